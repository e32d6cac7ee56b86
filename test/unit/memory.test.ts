// The client's cache limits: what the bot keeps nothing of costs nothing per server, and what
// discord.js needs (servers, channels, roles, permission overwrites) is cached as by default.
import { ChannelType, Client, type Guild, GatewayIntentBits, type TextChannel } from 'discord.js';
import { afterEach, describe, expect, it } from 'vitest';
import { memoryLimits } from '../../src/discord/memory';

const clients: Client[] = [];
afterEach(async () => {
  for (const client of clients.splice(0)) await client.destroy();
});

function newClient(): Client {
  const client = new Client({ intents: [GatewayIntentBits.Guilds], ...memoryLimits });
  clients.push(client);
  return client;
}

/** A GUILD_CREATE's server as discord.js takes it in: one role, one text channel, one member. */
function addGuild(client: Client, n: number): Guild {
  const id = String(200000000000000000n + BigInt(n));
  // What discord.js itself calls on GUILD_CREATE (internal, hence the cast).
  return (client.guilds as unknown as { _add(data: unknown): Guild })._add({
    id,
    name: `Club ${n}`,
    owner_id: '300000000000000001',
    features: [],
    emojis: [],
    stickers: [],
    roles: [{ id, name: '@everyone', permissions: '0', position: 0, color: 0, hoist: false, managed: false, mentionable: false, flags: 0 }],
    channels: [{ id: String(210000000000000000n + BigInt(n)), type: ChannelType.GuildText, name: 'screening-room', position: 0, permission_overwrites: [] }],
    members: [{ user: { id: '300000000000000001', username: 'owner', discriminator: '0', global_name: null, avatar: null }, roles: [], joined_at: new Date(0).toISOString(), deaf: false, mute: false, flags: 0 }],
  });
}

describe('cache limits', () => {
  it('gives every server the same empty collection for what the bot keeps nothing of, and it stays empty', () => {
    const client = newClient();
    const [a, b] = [addGuild(client, 1), addGuild(client, 2)];
    const [channelA, channelB] = [a.channels.cache.first() as TextChannel, b.channels.cache.first() as TextChannel];
    for (const [x, y] of [
      [a.members.cache, b.members.cache],
      [a.emojis.cache, b.emojis.cache],
      [a.voiceStates.cache, b.voiceStates.cache],
      [a.commands.cache, b.commands.cache],
      [channelA.messages.cache, channelB.messages.cache],
      [channelA.threads.cache, channelB.threads.cache],
    ]) {
      expect(x).toBe(y);
      expect(x!.size).toBe(0);
    }
  });

  it('keeps servers, channels, roles and permission overwrites per server, as discord.js needs them', () => {
    const client = newClient();
    const [a, b] = [addGuild(client, 1), addGuild(client, 2)];
    expect(client.guilds.cache.size).toBe(2);
    expect(a.channels.cache).not.toBe(b.channels.cache);
    expect(a.roles.cache).not.toBe(b.roles.cache);
    expect([a.channels.cache.size, a.roles.cache.size, b.channels.cache.size, b.roles.cache.size]).toEqual([1, 1, 1, 1]);
    expect((a.channels.cache.first() as TextChannel).permissionOverwrites.cache).not.toBe((b.channels.cache.first() as TextChannel).permissionOverwrites.cache);
    expect(client.channels.cache.size).toBe(2);
  });
});

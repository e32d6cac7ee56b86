// Two gateway shards over one Redis: each server is answered by its own shard, and ratings and
// polls survive a restart of every shard; machines can split the shards with SHARD_LIST.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DiscordStandin, type StandinGuild, startStandin } from '../../harness/discord/standin';
import { type BotProcess, startBotProcess, TEST_TOKEN, SHARDED_ENTRY_POINT } from '../../harness/botProcess';
import { redisAvailable, redisRequired, startRedis } from '../../harness/redis';
import type { StorageServer } from '../../harness/servers';
import { member, NUMBER, str, sub } from '../../harness/world';

const shardOf = (guildId: string, count: number) => Number((BigInt(guildId) >> 22n) % BigInt(count));

// Four servers, two on each shard of two.
function makeGuilds(): StandinGuild[] {
  const guilds: StandinGuild[] = [];
  for (let n = 1n; guilds.length < 4; n++) {
    const id = String((n << 22n) + 200000000000000000n);
    if (guilds.filter((guild) => shardOf(guild.id, 2) === shardOf(id, 2)).length >= 2) continue;
    guilds.push({ id, name: `Club ${guilds.length + 1}`, ownerId: '300000000000000001', channels: [{ id: String(BigInt(id) + 1n), name: 'screening-room' }] });
  }
  return guilds;
}

const runRedisTests = redisAvailable() || redisRequired();

describe.runIf(runRedisTests)('sharded over Redis', () => {
  const guilds = makeGuilds();
  let discord: DiscordStandin;
  let redis: StorageServer;
  const running: BotProcess[] = [];

  beforeAll(async () => {
    redis = await startRedis();
    discord = await startStandin({ token: TEST_TOKEN, guilds, recommendedShards: 2 });
  });
  afterAll(async () => {
    await Promise.all(running.map((bot) => bot.stop('SIGTERM')));
    await discord?.close();
    await redis?.close();
  });

  async function startSharded(env: Record<string, string> = {}): Promise<BotProcess> {
    const bot = startBotProcess({ apiUrl: discord.apiUrl, storageUrl: redis.url, entry: SHARDED_ENTRY_POINT, env });
    running.push(bot);
    await bot.waitForLog((line) => line.msg === 'all shards ready', 60_000);
    return bot;
  }

  const inGuild = (guild: StandinGuild, user = member(1)) => ({ guildId: guild.id, channelId: guild.channels[0]!.id, user });

  /** Which shard's process answered an interaction, from the bot's own per-interaction log line. */
  async function answeringShards(bot: BotProcess, interactionId: string): Promise<unknown> {
    const line = await bot.waitForLog((entry) => entry.interactionId === interactionId && entry.msg === 'interaction handled', 10_000);
    return line.shards;
  }

  it('answers each server from its own shard, keeps polls and ratings in Redis, and survives a restart of every shard', async () => {
    let bot = await startSharded({ SHARD_COUNT: 'auto' });
    const polls = new Map<string, { id: string; channelId: string; customId: string }>();
    for (const guild of guilds) {
      const film = discord.slash({ name: 'film', options: [str('title', 'her-smell')], ...inGuild(guild) });
      expect((await film.reply()).embeds[0].title).toBe('Her Smell (2018)');
      expect(await answeringShards(bot, film.id)).toEqual([shardOf(guild.id, 2)]);

      await discord.slash({ name: 'rate', options: [str('film', 'her-smell'), { name: 'stars', type: NUMBER, value: 4 }], ...inGuild(guild, member(2)) }).reply();
      const poll = await discord.slash({ name: 'watchparty', options: [sub('start', [str('film', 'her-smell')])], ...inGuild(guild) }).reply();
      polls.set(guild.id, { id: poll.id, channelId: poll.channelId, customId: poll.components[0].components[0].custom_id });
      const vote = discord.component({ customId: polls.get(guild.id)!.customId, componentType: 3, values: ['5'], message: poll, ...inGuild(guild, member(3)) });
      expect((await vote.reply()).content).toMatch(/^You rated Her Smell 5★/);
      expect(await answeringShards(bot, vote.id)).toEqual([shardOf(guild.id, 2)]);
    }

    // Many members voting at once on both shards: each poll's updates are serialised by the one
    // process that owns its server, so none is lost even with two processes writing to Redis.
    const bursts = guilds.map((guild) => {
      const poll = polls.get(guild.id)!;
      return Array.from({ length: 100 }, (_, i) =>
        discord.component({ customId: poll.customId, componentType: 3, values: ['4'], message: { id: poll.id, channelId: poll.channelId }, ...inGuild(guild, member(10_000 + i)) }).response(),
      );
    });
    const answers = await Promise.all(bursts.flat());
    expect(answers.filter((answer) => /^You rated Her Smell 4★/.test(answer.data.content))).toHaveLength(400);
    for (const guild of guilds) {
      const status = await discord.slash({ name: 'watchparty', options: [sub('status')], ...inGuild(guild) }).reply();
      expect(status.embeds[0].description).toContain('101 votes');
    }

    expect(await bot.stop('SIGTERM')).toBe(0);
    expect(bot.logs.filter((line) => line.msg === 'stopped')).toHaveLength(2);
    bot = await startSharded({ SHARD_COUNT: '2' });

    for (const guild of guilds) {
      const poll = polls.get(guild.id)!;
      const vote = await discord.component({ customId: poll.customId, componentType: 3, values: ['3'], message: { id: poll.id, channelId: poll.channelId }, ...inGuild(guild, member(4)) }).reply();
      expect(vote.content).toMatch(/^You rated Her Smell 3★/);
      const status = await discord.slash({ name: 'watchparty', options: [sub('status')], ...inGuild(guild) }).reply();
      expect(status.embeds[0].description).toContain('102 votes');
      const serverRating = async () => (await discord.slash({ name: 'film', options: [str('title', 'her-smell')], ...inGuild(guild) }).reply()).embeds[0].fields.find((field: { name: string }) => field.name === 'This server').value;
      // Member 2 rated 4, member 3 voted 5, a hundred voted 4 and member 4 voted 3 in this server, and in no other.
      // A vote's rating is saved just after its answer.
      await expect.poll(serverRating, { timeout: 5_000 }).toContain('**4.0** from 103 ratings');
    }
    // The next test's processes would otherwise wait for these shards' leases.
    expect(await bot.stop('SIGTERM')).toBe(0);
  }, 120_000);

  it('lets two machines split the shards with SHARD_LIST', async () => {
    const first = await startSharded({ SHARD_COUNT: '2', SHARD_LIST: '0' });
    const second = await startSharded({ SHARD_COUNT: '2', SHARD_LIST: '1' });
    for (const guild of guilds) {
      const film = discord.slash({ name: 'film', options: [str('title', 'her-smell')], ...inGuild(guild) });
      expect((await film.reply()).embeds[0].title).toBe('Her Smell (2018)');
      const owner = shardOf(guild.id, 2) === 0 ? first : second;
      expect(await answeringShards(owner, film.id)).toEqual([shardOf(guild.id, 2)]);
    }
    expect(await first.stop('SIGTERM')).toBe(0);
    expect(await second.stop('SIGTERM')).toBe(0);
  }, 120_000);
});

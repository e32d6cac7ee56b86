// A dropped gateway connection: the same bot process reconnects, answers commands again, and
// a poll started before the drop keeps taking votes afterwards.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MemberInput, StoredMessage } from '../../harness/discord/types';
import { FILM_CLUB, member, SCREENING_ROOM, slash, startWorld, str, sub, type World } from '../../harness/world';

const STRING_SELECT = 3;
let world: World;

beforeAll(async () => {
  world = await startWorld();
});
afterAll(async () => world?.close());

const current = (message: StoredMessage) => world.discord.message(message.channelId, message.id)!;

function vote(poll: StoredMessage, user: MemberInput, value: string) {
  return world.discord.component({ customId: poll.components[0].components[0].custom_id, componentType: STRING_SELECT, values: [value], message: poll, guildId: FILM_CLUB.id, channelId: SCREENING_ROOM, user });
}

/** Drops the gateway and waits until the bot has identified again; returns how long that took. */
async function dropAndWait(code: number): Promise<number> {
  const { discord } = world;
  const droppedAt = Date.now();
  discord.disconnectGateway(code);
  expect(discord.isConnected()).toBe(false);
  // While it is down, Discord has no connection to deliver a command to.
  expect(() => slash(discord, 'film', [str('title', 'her-smell')])).toThrow(/No ready gateway connection/);
  // discord.js waits up to ~5 s before identifying a shard again that identified less than 5 s ago.
  await discord.waitForReady(20_000);
  const tookMs = Date.now() - droppedAt;
  return tookMs;
}

describe('a dropped gateway connection', () => {
  it.each([
    [4000, 'unknown error: the client tries to resume, is refused and identifies again'],
    [1000, 'normal closure: the client identifies again'],
  ])('(close code %i, %s) is re-established by the same process, which answers /film again', async (code) => {
    const pid = world.bot.child.pid;
    const tookMs = await dropAndWait(code);
    expect(tookMs).toBeLessThan(20_000);
    const handle = slash(world.discord, 'film', [str('title', 'her-smell')]);
    const response = await handle.response();
    expect(response.latencyMs).toBeLessThan(3000);
    const card = await handle.reply();
    expect(card.embeds[0].title).toBe('Her Smell (2018)');
    expect(card.ephemeral).toBe(false);
    // The same process reconnected: it neither restarted nor exited.
    expect(world.bot.child.pid).toBe(pid);
    expect(world.bot.child.exitCode).toBeNull();
  }, 30_000);

  it('keeps a poll started before the drop taking votes, and its message showing them', async () => {
    const host = member(900);
    const poll = await slash(world.discord, 'watchparty', [sub('start', [str('film', 'her-smell')])], { user: host }).reply();
    expect((await vote(poll, member(1), '4').reply()).content).toMatch(/^You rated Her Smell 4★/);
    await world.discord.waitForChannelMessage(SCREENING_ROOM, (m) => m.id === poll.id && String(m.embeds[0]?.description).includes('1 vote so far'));

    await dropAndWait(4000);

    expect((await vote(poll, member(2), '5').reply()).content).toMatch(/^You rated Her Smell 5★/);
    expect((await vote(poll, member(1), '3').reply()).content).toMatch(/^You rated Her Smell 3★/);
    await world.discord.waitForChannelMessage(SCREENING_ROOM, (m) => m.id === poll.id && String(m.embeds[0]?.description).includes('2 votes so far · ★★★★☆ **4.0** average'));
    const status = await slash(world.discord, 'watchparty', [sub('status')]).reply();
    expect(status.embeds[0].description).toContain('2 votes');
    const ended = await slash(world.discord, 'watchparty', [sub('end')], { user: host }).reply();
    expect(ended.content).toMatch(/ended with 2 votes/);
    await world.discord.waitForChannelMessage(SCREENING_ROOM, (m) => m.id === poll.id && m.embeds[0]?.title === 'Results: Her Smell');
    expect(current(poll).embeds[0].description).toContain('**4.0** average from 2 votes');
  }, 30_000);
});

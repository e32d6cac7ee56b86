// Whether votes were counted (the poll message, /watchparty status, the film card), and raw keyv writes as a storage reference.
import type { DiscordStandin } from '../../harness/discord/standin';
import type { StandinGuild, StoredMessage } from '../../harness/discord/types';
import { currentPoll } from '../../harness/polls';
import { openStorage } from '../../src/storage/keyv';
import { actions, countIn } from './answers';

const SHOWN_ON_POLL = /(\d[\d,]*) votes? so far/;
const SHOWN_ON_CARD = /from (\d[\d,]*) ratings?/;

/**
 * The count the poll message shows once it has caught up with `expected` votes (its edits are
 * coalesced, at most one a second), or the last count it showed when `timeoutMs` ran out.
 */
export async function pollMessageCount(discord: DiscordStandin, poll: StoredMessage, expected: number, timeoutMs = 15_000): Promise<number | undefined> {
  const count = (message: StoredMessage) => countIn(message, SHOWN_ON_POLL);
  try {
    await discord.waitForChannelMessage(poll.channelId, (message) => message.id === poll.id && count(message) === expected, timeoutMs);
    return expected;
  } catch {
    return count(currentPoll(discord, poll));
  }
}

/** The vote count `/watchparty status` shows for the poll. */
export async function statusCount(discord: DiscordStandin, guild: StandinGuild, poll: StoredMessage): Promise<number | undefined> {
  const handle = actions(discord, guild).status(1);
  const reply = await handle.reply(30_000);
  const line = String(reply.embeds[0]?.description).split('\n').find((text) => text.includes(poll.id));
  return line === undefined ? undefined : countIn(line, /· (\d[\d,]*) votes?/);
}

/**
 * How many ratings the film card counts once it reaches `expected` (a vote becomes its member's
 * rating just after the answer), or the last count shown when `timeoutMs` ran out.
 */
export async function filmCardCount(discord: DiscordStandin, guild: StandinGuild, expected: number, timeoutMs = 30_000): Promise<number | undefined> {
  const deadline = Date.now() + timeoutMs;
  let count: number | undefined;
  for (;;) {
    const card = await actions(discord, guild).film(1).reply(30_000).catch(() => undefined);
    if (card) count = countIn(card, SHOWN_ON_CARD);
    if (count === expected || Date.now() > deadline) return count;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

export interface RawWrites {
  concurrentPerSec: number;
  sequentialPerSec: number;
}

/** The storage reference: `count` keyv sets of distinct keys, all at once and then one after another, in this process. */
export async function rawWrites(url: string, count: number): Promise<RawWrites> {
  const storage = await openStorage(url);
  try {
    const value = () => ({ stars: 4.5, at: Date.now() });
    await Promise.all(Array.from({ length: 20 }, (_, i) => storage.kv.set(`bench:warmup:${i}`, value())));
    let started = performance.now();
    await Promise.all(Array.from({ length: count }, (_, i) => storage.kv.set(`bench:concurrent:${i}`, value())));
    const concurrentPerSec = (count / (performance.now() - started)) * 1000;
    started = performance.now();
    for (let i = 0; i < count; i++) await storage.kv.set(`bench:sequential:${i}`, value());
    const sequentialPerSec = (count / (performance.now() - started)) * 1000;
    return { concurrentPerSec, sequentialPerSec };
  } finally {
    await storage.close();
  }
}

// Votes per second when many members vote at once, next to raw keyv writes on the same backend.
import { openStorage } from '../../src/storage/keyv';
import type { StandinGuild, StoredMessage } from '../../harness/discord/types';
import { member } from '../../harness/world';
import { castVote, isVoteConfirmation, openPoll, type Rig } from './harness';

/** Discord's deadline for the initial response; the burst runs with a longer one so slow answers are still timed. */
export const DISCORD_DEADLINE_MS = 3_000;
const WARMUP_VOTES = 20;

export interface VoteBurst {
  voters: number;
  /** Time the stand-in took to send all INTERACTION_CREATEs (part of `elapsedMs`). */
  dispatchMs: number;
  /** First dispatch → last initial response. */
  elapsedMs: number;
  votesPerSec: number;
  confirmed: number;
  overDeadline: number;
  p50Ms: number;
  maxMs: number;
  tallyShown: boolean;
  statusShown: boolean;
  failures: string[];
}

export async function voteBurst(rig: Rig, guild: StandinGuild, voters: number): Promise<VoteBurst> {
  const { discord } = rig;
  // Warm the vote path up on a poll of its own, so the burst's poll holds exactly `voters` votes.
  const warmupPoll = await openPoll(discord, guild);
  await Promise.all(Array.from({ length: WARMUP_VOTES }, (_, i) => castVote(discord, warmupPoll, 900_000 + i).response()));
  const poll = await openPoll(discord, guild);

  const started = Date.now();
  const handles = Array.from({ length: voters }, (_, i) => castVote(discord, poll, 100_000 + i));
  const dispatchMs = Date.now() - started;
  const failures: string[] = [];
  const responses = await Promise.all(
    handles.map((handle) =>
      handle.response(60_000).catch((error: unknown) => {
        failures.push(error instanceof Error ? error.message : String(error));
        return undefined;
      }),
    ),
  );
  const answered = responses.filter((response) => response !== undefined);
  const confirmed = answered.filter(isVoteConfirmation).length;
  if (confirmed < answered.length) failures.push(`${answered.length - confirmed} answers were not vote confirmations, e.g. ${JSON.stringify(answered.find((r) => !isVoteConfirmation(r))?.data).slice(0, 200)}`);
  const elapsedMs = Math.max(...answered.map((response) => response.at)) - started;
  const latencies = answered.map((response) => response.latencyMs).sort((a, b) => a - b);
  return {
    voters,
    dispatchMs,
    elapsedMs,
    votesPerSec: (confirmed / elapsedMs) * 1000,
    confirmed,
    overDeadline: latencies.filter((ms) => ms > DISCORD_DEADLINE_MS).length,
    p50Ms: latencies[Math.floor(latencies.length / 2)] ?? NaN,
    maxMs: latencies.at(-1) ?? NaN,
    tallyShown: await tallyShows(rig, poll, voters),
    statusShown: await statusShows(rig, guild, poll, voters),
    failures,
  };
}

/** The poll message catches up (its edits are coalesced, at most one a second) to show every vote. */
async function tallyShows(rig: Rig, poll: StoredMessage, voters: number): Promise<boolean> {
  const shows = (message: StoredMessage) => message.id === poll.id && String(message.embeds[0]?.description).includes(`${voters} votes so far`);
  return rig.discord.waitForChannelMessage(poll.channelId, shows, 15_000).then(
    () => true,
    () => false,
  );
}

/** `/watchparty status` lists the poll with every vote. */
async function statusShows(rig: Rig, guild: StandinGuild, poll: StoredMessage, voters: number): Promise<boolean> {
  const options = [{ name: 'status', type: 1 }];
  const reply = await rig.discord.slash({ name: 'watchparty', options, guildId: guild.id, channelId: poll.channelId, user: member(1) }).reply();
  const line = String(reply.embeds[0]?.description).split('\n').find((text) => text.includes(poll.id));
  return line?.includes(` ${voters} votes`) ?? false;
}

export interface RawWrites {
  concurrentPerSec: number;
  sequentialPerSec: number;
}

/** The storage floor: `count` keyv sets of distinct keys, all at once and then one after another, in this process. */
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

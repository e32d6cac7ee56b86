// Many members at once on one bot process: /help (no storage: the floor), then as many members voting on one poll.
import { join } from 'node:path';
import { startRedis } from '../../harness/redis';
import { actions, ANSWER_TIMEOUT_MS, type AtOnce, atOnce, EXPECT, warmUp } from './answers';
import { benchGuilds, type Cleanup, complaints, openPoll, scratchDir, startRig } from './harness';
import { pollMessageCount, type RawWrites, rawWrites, statusCount } from './votes';

export type Backend = 'sqlite' | 'redis';

export interface HelpThenVotes {
  backend: Backend;
  members: number;
  help: AtOnce;
  votes: AtOnce;
  /** What the poll message and `/watchparty status` counted afterwards (`members` when every vote was counted). */
  pollMessageCount: number | undefined;
  statusCount: number | undefined;
  /** keyv writes from this process on the same backend, once the bot has stopped. */
  raw?: RawWrites;
  warmupProblems: string[];
  exitCode: number | null;
  complaints: string[];
}

const WARMUP = 500;

/** A store for one bot process: a fresh SQLite file, or a throwaway Redis server. */
export async function freshStore(cleanup: Cleanup, backend: Backend): Promise<{ url: string; rawUrl: string; close: () => Promise<void> }> {
  if (backend === 'redis') {
    const redis = await startRedis();
    const close = cleanup.add('redis-server', () => redis.close());
    // Raw writes go to another database of the same server, after the bot is done with its own.
    return { url: redis.url, rawUrl: await redis.newDatabase(), close };
  }
  const dir = scratchDir(cleanup, 'reelside-bench-');
  return { url: `sqlite://${join(dir, 'bot.sqlite')}`, rawUrl: `sqlite://${join(dir, 'raw.sqlite')}`, close: async () => undefined };
}

export async function helpThenVotes(cleanup: Cleanup, backend: Backend, members: number, options: { rawWrites: boolean }): Promise<HelpThenVotes> {
  const guild = benchGuilds(1)[0]!;
  const store = await freshStore(cleanup, backend);
  const rig = await startRig(cleanup, { guilds: [guild], storageUrl: store.url, interactionDeadlineMs: ANSWER_TIMEOUT_MS });
  const act = actions(rig.discord, guild);
  let result: Omit<HelpThenVotes, 'exitCode' | 'complaints' | 'warmupProblems'>;
  const warmupProblems: string[] = [];
  try {
    // Warm both paths up first (the JIT, SQLite's cache, the connection pool); the vote warm-up
    // goes to a poll of its own so that the measured poll holds exactly `members` votes.
    const warmupPoll = await openPoll(rig.discord, guild);
    warmupProblems.push(...(await warmUp(WARMUP, (i) => act.help(900_000 + i), EXPECT.help)));
    warmupProblems.push(...(await warmUp(WARMUP, (i) => act.vote(warmupPoll, 900_000 + i), EXPECT.vote)));

    const help = await atOnce(members, (i) => act.help(500_000 + i), EXPECT.help);
    const poll = await openPoll(rig.discord, guild);
    const votes = await atOnce(members, (i) => act.vote(poll, 100_000 + i), EXPECT.vote);
    result = {
      backend,
      members,
      help,
      votes,
      pollMessageCount: await pollMessageCount(rig.discord, poll, members),
      statusCount: await statusCount(rig.discord, guild, poll),
    };
  } finally {
    await rig.close();
  }
  // The bot has stopped: the raw writes have the machine (and the Redis server) to themselves.
  if (options.rawWrites) result.raw = await rawWrites(store.rawUrl, members);
  await store.close();
  return { ...result, warmupProblems, exitCode: await rig.bot.exited, complaints: complaints(rig.bot) };
}

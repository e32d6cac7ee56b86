// One poll fed a steady stream of votes by distinct members: does the last vote cost what the first did, and what do status and the film card cost then?
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import type { InteractionHandle } from '../../harness/discord/types';
import { pollIdOf } from '../../harness/polls';
import { actions, type Answer, answerCounts, answerOf, ANSWER_TIMEOUT_MS, EXPECT, problemsOf, warmUp } from './answers';
import { type Backend, freshStore } from './atOnce';
import { benchGuilds, type Cleanup, complaints, openPoll, rssKb, startRig } from './harness';
import { type Kind, type LatencyOptions, type LatencySamples, measureLatency } from './latency';
import { type Stats, stats } from './report';
import { storeSize, type StoreSize } from './storeSize';
import { filmCardCount, pollMessageCount, statusCount } from './votes';

export interface GrowthOptions {
  votes: number;
  perSec: number;
  /** The first and the last this many votes are compared. */
  window: number;
  /** Latency sampling of /help, /film and /watchparty status with the poll empty, and again once it is full. */
  sampling: LatencyOptions;
}

export interface GrowthRun {
  backend: Backend;
  votes: number;
  /** Votes per second the stand-in actually sent, first dispatch to last. */
  sentPerSec: number;
  /** Most a dispatch fell behind its place in the schedule (the feed itself was too slow if large). */
  maxScheduleLagMs: number;
  standin: StandinLoad;
  answered: number;
  late: number;
  deferred: number;
  first: Stats;
  last: Stats;
  /** Latency by consecutive slices of the feed, to show a trend. */
  slices: { from: number; to: number; stats: Stats }[];
  problems: string[];
  pollMessageCount: number | undefined;
  statusCount: number | undefined;
  filmCardCount: number | undefined;
  size: StoreSize | undefined;
  sizeError?: string;
  /** /help, /film and /watchparty status with the poll open and empty, then full. */
  before: Record<SampledKind, LatencySamples>;
  after: Record<SampledKind, LatencySamples>;
  /** The bot's RSS just before the feed and once it was answered. */
  rssBeforeKb: number;
  rssAfterKb: number;
  exitCode: number | null;
  complaints: string[];
}

export type SampledKind = 'help' | 'film' | 'status';

/** The stand-in (in this process) during the feed: how late its event loop ran (so how late it may have timed answers), and its heap after. */
export interface StandinLoad {
  delayP99Ms: number;
  delayMaxMs: number;
  heapMb: number;
}

interface Feed {
  answers: Answer[];
  sentPerSec: number;
  maxLagMs: number;
  standin: StandinLoad;
}

const SLICES = 10;
const TICK_MS = 5;
/** Votes on a poll of their own before the feed: they warm the vote path up, and they are ratings of the film too. */
export const WARMUP_VOTES = 1_000;

export async function growth(cleanup: Cleanup, backend: Backend, options: GrowthOptions, progress: (text: string) => void): Promise<GrowthRun> {
  const guild = benchGuilds(1)[0]!;
  const store = await freshStore(cleanup, backend);
  const rig = await startRig(cleanup, { guilds: [guild], storageUrl: store.url, interactionDeadlineMs: ANSWER_TIMEOUT_MS });
  const act = actions(rig.discord, guild);
  let run: Omit<GrowthRun, 'exitCode' | 'complaints'>;
  try {
    const warmupPoll = await openPoll(rig.discord, guild);
    const warmupProblems = await warmUp(WARMUP_VOTES, (i) => act.vote(warmupPoll, 900_000 + i), EXPECT.vote);
    const poll = await openPoll(rig.discord, guild);
    let sampled = 0;
    const sample = () => {
      // Fresh members each time, as in a real server.
      const from = 700_000 + sampled;
      sampled += 10_000;
      const kinds: Record<SampledKind, Kind> = {
        help: { send: (i) => act.help(from + i), expect: EXPECT.help },
        film: { send: (i) => act.film(from + i), expect: EXPECT.film },
        status: { send: (i) => act.status(from + i), expect: EXPECT.status },
      };
      return measureLatency(kinds, options.sampling);
    };
    const before = await sample();

    const rssBeforeKb = rssKb(rig.bot.child.pid);
    const feed = await paced(options.votes, options.perSec, (i) => act.vote(poll, 100_000 + i), progress);
    const rssAfterKb = rssKb(rig.bot.child.pid);
    const answers = feed.answers;
    // An unanswered vote counts as infinitely slow: a window cannot look better for losing answers.
    const latencies = answers.map((a) => (a.ok ? a.latencyMs : Infinity));
    const window = (from: number, to: number) => stats(latencies.slice(from, to));
    const sliceSize = Math.ceil(options.votes / SLICES);
    const slices = Array.from({ length: SLICES }, (_, s) => ({ from: s * sliceSize, to: Math.min(options.votes, (s + 1) * sliceSize) })).map((slice) => ({ ...slice, stats: window(slice.from, slice.to) }));

    progress(`growth on ${backend}: checking the counts, sizing the store, then /help, /film and /watchparty status with the full poll`);
    const counted = {
      pollMessageCount: await pollMessageCount(rig.discord, poll, options.votes),
      statusCount: await statusCount(rig.discord, guild, poll),
      // The card counts the warm-up poll's voters too: every vote is also its member's rating of the film.
      filmCardCount: await filmCardCount(rig.discord, guild, options.votes + WARMUP_VOTES),
    };
    let size: StoreSize | undefined;
    let sizeError: string | undefined;
    try {
      size = await storeSize(store.url, { guildId: guild.id, pollId: pollIdOf(poll), filmId: 'her-smell' });
    } catch (error) {
      sizeError = error instanceof Error ? error.message : String(error);
    }
    const after = await sample();
    const { answered, late, deferred } = answerCounts(answers);
    run = {
      backend,
      votes: options.votes,
      sentPerSec: feed.sentPerSec,
      maxScheduleLagMs: feed.maxLagMs,
      standin: feed.standin,
      answered,
      late,
      deferred,
      first: window(0, options.window),
      last: window(options.votes - options.window, options.votes),
      slices,
      problems: [...warmupProblems, ...problemsOf(answers)],
      ...counted,
      size,
      ...(sizeError ? { sizeError } : {}),
      before,
      after,
      rssBeforeKb,
      rssAfterKb,
    };
  } finally {
    await rig.close();
  }
  await store.close();
  return { ...run, exitCode: await rig.bot.exited, complaints: complaints(rig.bot) };
}

/**
 * Sends `count` interactions at `perSec`, each at its place in a fixed schedule (vote i at
 * i ÷ perSec seconds), so that a slow answer never slows the feed: the stand-in keeps sending
 * whatever the bot does, as Discord would. Each answer is timed from its own dispatch.
 */
async function paced(count: number, perSec: number, send: (i: number) => InteractionHandle, progress: (text: string) => void): Promise<Feed> {
  const answers: Answer[] = new Array(count);
  const pending: Promise<void>[] = [];
  // How late this process's event loop ran its timers: the stand-in lives here, so a large delay
  // means answers were timed late by the stand-in, not answered late by the bot.
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  loopDelay.enable();
  const started = performance.now();
  let sent = 0;
  let maxLagMs = 0;
  let lastSentAt = started;
  let nextReport = started + 10_000;
  while (sent < count) {
    const now = performance.now();
    const due = Math.min(count, Math.floor(((now - started) * perSec) / 1000) + 1);
    if (due > sent) maxLagMs = Math.max(maxLagMs, now - (started + (sent * 1000) / perSec));
    while (sent < due) {
      const i = sent++;
      pending.push(answerOf(send(i), EXPECT.vote).then((answer) => void (answers[i] = answer)));
      lastSentAt = now;
    }
    if (now >= nextReport) {
      progress(`  ${sent} of ${count} votes sent`);
      nextReport += 10_000;
    }
    await sleep(TICK_MS);
  }
  await Promise.all(pending);
  loopDelay.disable();
  const standin = { delayP99Ms: loopDelay.percentile(99) / 1e6, delayMaxMs: loopDelay.max / 1e6, heapMb: process.memoryUsage().heapUsed / 1048576 };
  return { answers, sentPerSec: count > 1 ? ((count - 1) / (lastSentAt - started)) * 1000 : NaN, maxLagMs, standin };
}

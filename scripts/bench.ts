// `npm run bench -- [--quick] [--no-redis]`: latency, vote throughput and memory of the real bot process against the loopback Discord stand-in.
import { arch, cpus, loadavg, platform } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { redisAvailable, startRedis } from '../harness/redis';
import { benchGuilds, Cleanup, complaints, openPoll, type Rig, rssKb, scratchDir, startRig } from './bench/harness';
import { KINDS, type Kind, type LatencySamples, measureLatency } from './bench/latency';
import { fixed, mb, ratio, type Stats, stats, table } from './bench/report';
import { DISCORD_DEADLINE_MS, type RawWrites, rawWrites, type VoteBurst, voteBurst } from './bench/votes';

const USAGE = 'usage: npm run bench -- [--quick] [--no-redis]';
const flags = process.argv.slice(2);
const unknownFlags = flags.filter((flag) => flag !== '--quick' && flag !== '--no-redis');
if (unknownFlags.length > 0) {
  console.error(`unknown option ${unknownFlags.join(' ')}\n${USAGE}`);
  process.exit(2);
}
const quick = flags.includes('--quick');
const size = quick ? { samples: 50, voters: 200, servers: 250 } : { samples: 300, voters: 1_000, servers: 2_500 };
const LATENCY = { samples: size.samples, warmup: 20, concurrency: 10, rounds: 5 };

const cleanup = new Cleanup();
/** Findings worth a look (printed under the tables). */
const notes: string[] = [];
/** Failed checks: printed, and the run exits 1. */
const problems: string[] = [];
const progress = (text: string) => process.stderr.write(`· ${text}\n`);
let interrupted = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    interrupted = true;
    void cleanup.runAll().finally(() => process.exit(130));
  });
}
process.on('unhandledRejection', (reason) => problems.push(`unhandled rejection: ${String(reason)}`));

/** Stops a rig and notes what its bot complained about and how it exited. */
async function finish(rig: Rig, label: string): Promise<void> {
  const code = await rig.close();
  for (const complaint of complaints(rig.bot)) notes.push(`${label} logged ${complaint}`);
  if (code !== 0) problems.push(`${label} exited with ${code} on SIGTERM; stderr: ${rig.bot.stderr().slice(-300)}`);
}

/** Runs one section; a failure is reported and the other sections still run. */
async function section<T>(name: string, run: () => Promise<T>): Promise<T | undefined> {
  try {
    return await run();
  } catch (error) {
    problems.push(`${name} failed: ${error instanceof Error ? error.message : String(error)}`);
    return undefined;
  }
}

async function latency(): Promise<Record<Kind, LatencySamples>> {
  const guild = benchGuilds(1)[0]!;
  progress(`latency: ${LATENCY.samples} samples of each interaction, ${LATENCY.concurrency} in flight`);
  const rig = await startRig(cleanup, { guilds: [guild], storageUrl: `sqlite://${join(scratchDir(cleanup, 'reelside-bench-'), 'bot.sqlite')}` });
  try {
    const poll = await openPoll(rig.discord, guild);
    return await measureLatency(rig.discord, guild, poll, LATENCY);
  } finally {
    await finish(rig, 'latency bot');
  }
}

async function votes(backend: 'sqlite' | 'redis'): Promise<{ burst: VoteBurst; raw: RawWrites }> {
  const guild = benchGuilds(1)[0]!;
  progress(`votes on ${backend}: ${size.voters} members at once, then raw keyv writes`);
  let botUrl: string;
  let rawUrl: string;
  let closeRedis = async () => {};
  if (backend === 'redis') {
    const redis = await startRedis();
    closeRedis = cleanup.add('redis-server', () => redis.close());
    botUrl = rawUrl = redis.url;
  } else {
    const dir = scratchDir(cleanup, 'reelside-bench-');
    botUrl = `sqlite://${join(dir, 'bot.sqlite')}`;
    rawUrl = `sqlite://${join(dir, 'raw.sqlite')}`;
  }
  // A long interaction deadline, so that answers Discord would refuse are still timed (and counted as late).
  const rig = await startRig(cleanup, { guilds: [guild], storageUrl: botUrl, interactionDeadlineMs: 60_000 });
  let burst: VoteBurst;
  try {
    burst = await voteBurst(rig, guild, size.voters);
  } finally {
    await finish(rig, `${backend} vote bot`);
  }
  // The bot has stopped: the raw writes have the machine (and the Redis server) to themselves.
  const raw = await rawWrites(rawUrl, size.voters);
  await closeRedis();
  for (const failure of new Set(burst.failures)) problems.push(`${backend} votes: ${failure}`);
  if (burst.confirmed !== size.voters) problems.push(`${backend}: ${burst.confirmed} of ${size.voters} votes confirmed`);
  if (!burst.tallyShown) problems.push(`${backend}: the poll message never showed ${size.voters} votes`);
  if (!burst.statusShown) problems.push(`${backend}: /watchparty status did not show ${size.voters} votes`);
  if (burst.overDeadline > 0) notes.push(`${backend}: ${burst.overDeadline} of ${size.voters} votes were answered after Discord's ${DISCORD_DEADLINE_MS / 1000} s deadline (Discord would show "This interaction failed")`);
  return { burst, raw };
}

interface MemoryRun {
  servers: number;
  spawnToReadyMs: number;
  spawnToServingMs: number;
  guildsAtReady: number;
  rssAtReadyKb: number;
  rssSettledKb: number;
}

async function memory(servers: number): Promise<MemoryRun> {
  progress(`memory: the bot with ${servers} server${servers === 1 ? '' : 's'}`);
  const rig = await startRig(cleanup, { guilds: benchGuilds(servers), storageUrl: `sqlite://${join(scratchDir(cleanup, 'reelside-bench-'), 'bot.sqlite')}`, readyTimeoutMs: 180_000 });
  try {
    await sleep(2_000);
    const run = { servers, spawnToReadyMs: rig.spawnToReadyMs, spawnToServingMs: rig.spawnToServingMs, guildsAtReady: rig.guildsAtReady, rssAtReadyKb: rig.rssAtReadyKb, rssSettledKb: rssKb(rig.bot.child.pid) };
    if (run.guildsAtReady !== servers) problems.push(`the bot saw ${run.guildsAtReady} of ${servers} servers at READY`);
    return run;
  } finally {
    await finish(rig, `${servers}-server bot`);
  }
}

// ---------------------------------------------------------------------------------------------

const environment = {
  node: process.version,
  cpu: cpus()[0]?.model ?? 'unknown',
  cpus: cpus().length,
  platform: `${platform()} ${arch()}`,
  loadavg: loadavg().map((x) => Number(x.toFixed(2))),
  date: new Date().toISOString(),
  mode: quick ? 'quick' : 'full',
};
const useRedis = !flags.includes('--no-redis') && redisAvailable();
if (!flags.includes('--no-redis') && !useRedis) notes.push('redis-server is not installed: the Redis runs were skipped (Debian package redis-server)');
if (flags.includes('--no-redis')) notes.push('--no-redis: the Redis runs were skipped');

let exitCode = 1;
try {
  const lat = await section('latency', latency);
  const backends = useRedis ? (['sqlite', 'redis'] as const) : (['sqlite'] as const);
  const voteRuns: Partial<Record<'sqlite' | 'redis', { burst: VoteBurst; raw: RawWrites }>> = {};
  for (const backend of backends) voteRuns[backend] = await section(`${backend} votes`, () => votes(backend));
  const one = await section('memory with 1 server', () => memory(1));
  const many = await section(`memory with ${size.servers} servers`, () => memory(size.servers));

  const out: string[] = [];
  out.push(`Reelside benchmark (${environment.mode}) · node ${environment.node} · ${environment.cpu} × ${environment.cpus} · ${environment.platform} · load ${environment.loadavg.join(' ')} · ${environment.date}`);

  const latencyStats = lat ? (Object.fromEntries(KINDS.map((kind) => [kind, stats(lat[kind].samples)])) as Record<Kind, Stats>) : undefined;
  if (lat && latencyStats) {
    const floor = latencyStats.help.p50;
    const labels: Record<Kind, string> = { help: '/help (no-op floor: static reply, no storage)', film: '/film title:her-smell', autocomplete: '/film autocomplete "her"', vote: 'poll vote (a new member each time)' };
    const rows = KINDS.map((kind) => {
      const s = latencyStats[kind];
      return [labels[kind], String(s.n), fixed(s.p50), fixed(s.p99), fixed(s.mean, 1), fixed(s.max), ratio(s.p50, floor), String(lat[kind].failures.length)];
    });
    out.push('', table(`1. Interaction → initial response, ms (${LATENCY.concurrency} in flight, after ${LATENCY.warmup} warm-up calls each; SQLite)`, ['interaction', 'n', 'p50', 'p99', 'mean', 'max', 'p50 ÷ floor p50', 'failed'], rows));
    for (const kind of KINDS) for (const failure of new Set(lat[kind].failures)) problems.push(`latency ${kind}: ${failure}`);
  }

  const shown = Object.entries(voteRuns).filter((entry): entry is [string, { burst: VoteBurst; raw: RawWrites }] => entry[1] !== undefined);
  if (shown.length > 0) {
    const row = (label: string, cell: (run: { burst: VoteBurst; raw: RawWrites }) => string) => [label, ...shown.map(([, run]) => cell(run))];
    const yes = (ok: boolean) => (ok ? 'yes' : 'NO');
    out.push(
      '',
      table(`2. ${size.voters} members voting at once on one poll (a fresh bot process and store per backend) vs raw keyv writes`, ['', ...shown.map(([backend]) => backend)], [
        row('votes/s (until all answered)', (r) => fixed(r.burst.votesPerSec)),
        row('first dispatch → last answer, ms', (r) => fixed(r.burst.elapsedMs)),
        row('  of which the stand-in dispatching, ms', (r) => fixed(r.burst.dispatchMs)),
        row('answer latency p50 / max, ms', (r) => `${fixed(r.burst.p50Ms)} / ${fixed(r.burst.maxMs)}`),
        row(`answers after Discord's ${DISCORD_DEADLINE_MS / 1000} s deadline`, (r) => String(r.burst.overDeadline)),
        row('confirmations', (r) => `${r.burst.confirmed}/${r.burst.voters}`),
        row(`raw keyv writes/s, ${size.voters} at once (floor)`, (r) => fixed(r.raw.concurrentPerSec)),
        row(`raw keyv writes/s, ${size.voters} one by one`, (r) => fixed(r.raw.sequentialPerSec)),
        row('votes/s ÷ raw writes/s (at once)', (r) => ratio(r.burst.votesPerSec, r.raw.concurrentPerSec)),
        row('votes/s ÷ raw writes/s (one by one)', (r) => ratio(r.burst.votesPerSec, r.raw.sequentialPerSec)),
        row(`check: poll message shows ${size.voters} votes`, (r) => yes(r.burst.tallyShown)),
        row(`check: /watchparty status shows ${size.voters} votes`, (r) => yes(r.burst.statusShown)),
      ]),
    );
  }

  if (one || many) {
    const runs = [one, many].filter((run): run is MemoryRun => run !== undefined);
    const row = (label: string, cell: (run: MemoryRun) => string) => [label, ...runs.map(cell)];
    const rows = [
      row('servers seen at READY', (r) => String(r.guildsAtReady)),
      row('spawn → READY (all GUILD_CREATEs), ms', (r) => fixed(r.spawnToReadyMs)),
      row('spawn → commands registered, ms', (r) => fixed(r.spawnToServingMs)),
      row('RSS at READY, MB', (r) => mb(r.rssAtReadyKb)),
      row('RSS after a 2 s settle, MB', (r) => mb(r.rssSettledKb)),
    ];
    // Below ~1,000 servers the difference drowns in garbage-collector noise (it even comes out negative).
    const perServer = one && many && many.servers >= 1_000 ? fixed((many.rssSettledKb - one.rssSettledKb) / (many.servers - one.servers), 1) : '–';
    if (one && many) rows.push(['RSS per extra server after settle, KB', '', perServer]);
    out.push('', table('3. Bot process start-up and memory (SQLite, each server with one channel)', ['', ...runs.map((r) => `${r.servers} server${r.servers === 1 ? '' : 's'}`)], rows));
  }

  out.push('', `4. Environment: node ${environment.node}; CPU ${environment.cpu} × ${environment.cpus}; ${environment.platform}; load average ${environment.loadavg.join(' ')}; ${environment.date}`);
  if (notes.length > 0) out.push('', 'Notes:', ...notes.map((note) => `  - ${note}`));
  if (problems.length > 0) out.push('', 'PROBLEMS (the run exits 1):', ...problems.map((problem) => `  - ${problem}`));

  const summary = {
    ...environment,
    latencyMs: latencyStats && Object.fromEntries(KINDS.map((kind) => [kind, { ...roundStats(latencyStats[kind]), p50OverFloor: round(latencyStats[kind].p50 / latencyStats.help.p50, 2), failed: lat?.[kind].failures.length }])),
    votes: Object.fromEntries(
      shown.map(([backend, { burst, raw }]) => [
        backend,
        {
          voters: burst.voters,
          votesPerSec: round(burst.votesPerSec),
          elapsedMs: burst.elapsedMs,
          overDeadline: burst.overDeadline,
          rawConcurrentWritesPerSec: round(raw.concurrentPerSec),
          rawSequentialWritesPerSec: round(raw.sequentialPerSec),
          votesOverRawConcurrent: round(burst.votesPerSec / raw.concurrentPerSec, 3),
          votesOverRawSequential: round(burst.votesPerSec / raw.sequentialPerSec, 3),
          tallyShown: burst.tallyShown,
          statusShown: burst.statusShown,
        },
      ]),
    ),
    memory: [one, many].filter((run) => run !== undefined).map((run) => ({ ...run, spawnToReadyMs: round(run.spawnToReadyMs), spawnToServingMs: round(run.spawnToServingMs) })),
    problems,
  };
  out.push('', JSON.stringify(summary));
  process.stdout.write(`${out.join('\n')}\n`);
  exitCode = interrupted ? 130 : problems.length > 0 ? 1 : 0;
} finally {
  await cleanup.runAll();
}
process.exit(exitCode);

function round(x: number, digits = 0): number {
  return Number(x.toFixed(digits));
}

function roundStats(s: Stats): Record<keyof Stats, number> {
  return { n: s.n, p50: s.p50, p99: s.p99, mean: round(s.mean, 1), max: s.max };
}

// Start-up time and memory of the bot next to a bare discord.js client, both spawned the same way against the same servers.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { build } from 'esbuild';
import { NODE_BUNDLE } from '../build';
import type { DiscordStandin } from '../../harness/discord/standin';
import { PLANNED_LINE, benchGuilds, type Cleanup, complaints, plannedAtStart, rssKb, scratchDir, startRig } from './harness';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** Under dist/ (not committed), so that its imports resolve from the project's node_modules like the bot's. */
export const BARE_CLIENT = join(ROOT, 'dist', 'bench', 'bareClient.js');

// RSS is read again this long after READY, once the GUILD_CREATE flood's garbage had a chance to go.
export const SETTLE_MS = 2_000;

/** Compiles scripts/bench/bareClient.ts as scripts/build.ts compiles the bot: bundled own code, dependencies from node_modules. */
export async function buildBareClient(): Promise<string> {
  await build({
    entryPoints: [join(ROOT, 'scripts', 'bench', 'bareClient.ts')],
    outfile: BARE_CLIENT,
    ...NODE_BUNDLE,
  });
  return BARE_CLIENT;
}

/** The bot, the bare client, and (for information) the bare client with the bot's cache options. */
export type Client = 'bot' | 'bare' | 'bare+caches';
export const CLIENTS: Client[] = ['bare', 'bare+caches', 'bot'];

export interface StartupRun {
  client: Client;
  spawnToReadyMs: number;
  guildsAtReady: number;
  rssAtReadyKb: number;
  rssSettledKb: number;
  /** Spawn → 'serving' (the bot answers); the same as READY for the bare clients. */
  spawnToServingMs: number;
  rssAtServingKb: number;
  /** What the bot logged it planned at start-up: its stored parties and daily quotes, each with a timer. */
  planned: ReturnType<typeof plannedAtStart>;
  exitCode: number | null;
  complaints: string[];
}

export interface StartOptions {
  /** Fills the stand-in and the bot's fresh store (named by its URL) before the spawn. */
  prepare?: (discord: DiscordStandin, storageUrl: string) => Promise<void>;
  /**
   * What the settled RSS counts its 2 s from: READY (the start-up section, beside the bare client),
   * or 'serving', which a bot with much to resume reaches well after READY.
   */
  settleFrom?: 'ready' | 'serving';
  /** Waits for the bot's 'schedules planned' line (its parties and daily quotes planned after 'serving') before settling. */
  awaitPlanned?: boolean;
}

/** One start of one client against a fresh stand-in with `servers` servers. */
export async function startOnce(cleanup: Cleanup, client: Client, servers: number, options: StartOptions = {}): Promise<StartupRun> {
  const storageUrl = client === 'bot' ? `sqlite://${join(scratchDir(cleanup, 'reelside-bench-'), 'bot.sqlite')}` : undefined;
  const { prepare } = options;
  const rig = await startRig(cleanup, {
    guilds: benchGuilds(servers),
    ...(storageUrl ? { storageUrl } : { entry: BARE_CLIENT }),
    ...(client === 'bare+caches' ? { env: { BENCH_CACHES: 'bot' } } : {}),
    ...(prepare && storageUrl ? { prepare: (discord: DiscordStandin) => prepare(discord, storageUrl) } : {}),
    readyTimeoutMs: 180_000,
  });
  let rssSettledKb = NaN;
  let exitCode: number | null;
  try {
    // startRig returned at READY (bare client) or once serving (the bot): settle counts from READY either way, unless told otherwise.
    if (options.awaitPlanned) await rig.bot.waitForLog((line) => line.msg === PLANNED_LINE, 180_000);
    const from = options.awaitPlanned ? performance.now() : options.settleFrom === 'serving' ? rig.servingAt : rig.readyAt;
    await sleep(Math.max(0, SETTLE_MS - (performance.now() - from)));
    rssSettledKb = rssKb(rig.bot.child.pid);
  } finally {
    exitCode = await rig.close();
  }
  return {
    client,
    spawnToReadyMs: rig.spawnToReadyMs,
    guildsAtReady: rig.guildsAtReady,
    rssAtReadyKb: rig.rssAtReadyKb,
    rssSettledKb,
    spawnToServingMs: rig.spawnToServingMs,
    rssAtServingKb: rig.rssAtServingKb,
    planned: plannedAtStart(rig.bot),
    exitCode,
    complaints: complaints(rig.bot),
  };
}

export const DESCRIBE: Record<Client, string> = { bare: 'the bare discord.js client', 'bare+caches': "the bare client with the bot's cache options", bot: 'the bot' };

/**
 * `rounds` starts of each client, in turn (bare, bot, bare, bot…) so that drift in the
 * machine's load hits both alike; the goals use the medians, since one start's RSS varies by
 * several MB with the garbage collector's timing.
 */
export async function startupRounds(cleanup: Cleanup, servers: number, rounds: number, progress: (text: string) => void): Promise<StartupRun[]> {
  const runs: StartupRun[] = [];
  for (let round = 1; round <= rounds; round++) {
    for (const client of CLIENTS) {
      progress(`start-up and memory: ${DESCRIBE[client]} with ${servers} servers (round ${round} of ${rounds})`);
      runs.push(await startOnce(cleanup, client, servers));
    }
  }
  return runs;
}

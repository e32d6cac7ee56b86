// Benchmark plumbing: cleanup that always runs, the stand-in plus a client process (the bot or the bare client), RSS.
import { readFileSync } from 'node:fs';
import { type DiscordStandin, startStandin } from '../../harness/discord/standin';
import type { StandinGuild, StoredMessage } from '../../harness/discord/types';
import { type BotProcess, type LogLine, startBotProcess, TEST_TOKEN } from '../../harness/botProcess';
import { startPoll } from '../../harness/polls';
import { tempDir } from '../../harness/tmp';
import { member } from '../../harness/world';

/**
 * Undo steps, run newest first: each once, either early (via the returned function) or by runAll().
 * Once runAll() has begun (an interrupted run), `add` throws so that no new work starts.
 */
export class Cleanup {
  private readonly tasks: { what: string; run: () => unknown }[] = [];
  private readonly running = new Set<Promise<void>>();
  private stopping = false;

  add(what: string, run: () => unknown): () => Promise<void> {
    const task = { what, run };
    this.tasks.push(task); // even when stopping: the runAll() in progress undoes it
    if (this.stopping) throw new Error(`the benchmark is stopping, so ${what} is undone at once`);
    return async () => {
      const index = this.tasks.indexOf(task);
      if (index === -1) return;
      this.tasks.splice(index, 1);
      await run();
    };
  }

  /** Undoes everything; concurrent callers all return only when every step has finished. */
  async runAll(): Promise<void> {
    this.stopping = true;
    for (;;) {
      const task = this.tasks.pop();
      if (task) await this.start(task);
      else if (this.running.size > 0) await Promise.all(this.running);
      else return;
    }
  }

  private async start(task: { what: string; run: () => unknown }): Promise<void> {
    const done = Promise.resolve()
      .then(task.run)
      .then(
        () => undefined,
        (error: unknown) => void process.stderr.write(`cleanup of ${task.what} failed: ${String(error)}\n`),
      );
    this.running.add(done);
    await done;
    this.running.delete(done);
  }
}

export function scratchDir(cleanup: Cleanup, prefix: string): string {
  const dir = tempDir(prefix);
  cleanup.add(`temp dir ${dir.path}`, dir.remove);
  return dir.path;
}

/** VmRSS of a live process in kB (Linux). */
export function rssKb(pid: number | undefined): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!match) throw new Error(`no VmRSS for pid ${pid}`);
  return Number(match[1]);
}

/** `count` servers, each with one text channel. */
export function benchGuilds(count: number): StandinGuild[] {
  return Array.from({ length: count }, (_, i) => ({
    id: String(200000000000000001n + BigInt(i)),
    name: `Bench Club ${i + 1}`,
    ownerId: String(300000000000000001n + BigInt(i)),
    channels: [{ id: String(210000000000000001n + BigInt(i)), name: 'screening-room' }],
  }));
}

export interface Rig {
  discord: DiscordStandin;
  bot: BotProcess;
  /** Spawn → the 'ready' log line (discord.js ClientReady: READY plus every GUILD_CREATE). */
  spawnToReadyMs: number;
  /** performance.now() at the 'ready' line. */
  readyAt: number;
  guildsAtReady: number;
  rssAtReadyKb: number;
  /**
   * Spawn → the bot's 'serving' line (commands registered, every stored poll given its close timer;
   * parties and daily quotes are planned after it, see PLANNED_LINE). The bare client serves at READY.
   */
  spawnToServingMs: number;
  /** performance.now() at the 'serving' line (at 'ready' for the bare client). */
  servingAt: number;
  rssAtServingKb: number;
  /** Stops the process (SIGTERM, SIGKILL after 10 s) and the stand-in; resolves with the exit code. */
  close(): Promise<number | null>;
}

export interface RigOptions {
  guilds: StandinGuild[];
  /** The bot's store; the bare client has none. */
  storageUrl?: string;
  /** Another compiled entry point than the bot's (the bare client). */
  entry?: string;
  env?: Record<string, string>;
  /** Longer than Discord's 3 s, so that late answers are still timed (and counted as late). */
  interactionDeadlineMs?: number;
  readyTimeoutMs?: number;
  /**
   * Run once the stand-in is up and before the client is spawned, so that its time is not counted
   * in the start-up (the schedule section puts events on the stand-in's calendar and seeds the store).
   */
  prepare?: (discord: DiscordStandin) => Promise<void>;
}

/** A fresh stand-in with these servers and one client process connected to it, ready to serve. */
export async function startRig(cleanup: Cleanup, options: RigOptions): Promise<Rig> {
  const timeout = options.readyTimeoutMs ?? 60_000;
  const discord = await startStandin({ token: TEST_TOKEN, guilds: options.guilds, ...(options.interactionDeadlineMs ? { interactionDeadlineMs: options.interactionDeadlineMs } : {}) });
  const closeDiscord = cleanup.add('discord stand-in', () => discord.close());
  try {
    await options.prepare?.(discord);
  } catch (error) {
    await closeDiscord();
    throw error;
  }
  const spawnedAt = performance.now();
  // LOG_LEVEL info, the production default: readiness is an info line and debug would add per-interaction logging.
  const bot = startBotProcess({ apiUrl: discord.apiUrl, ...(options.storageUrl ? { storageUrl: options.storageUrl } : {}), ...(options.entry ? { entry: options.entry } : {}), env: { LOG_LEVEL: 'info', ...options.env } });
  const stopBot = cleanup.add(`client process ${bot.child.pid}`, () => terminate(bot));
  // RSS is read the moment the line arrives, before anything else runs in this process.
  const ready = await bot.waitForLog((line) => line.msg === 'ready', timeout).then((line) => ({ line, at: performance.now(), rss: rssKb(bot.child.pid) }));
  // The bot answers once its commands are registered and its poll timers set ('serving'); the bare client has nothing more to do.
  const serving = options.entry ? ready : await bot.ready(timeout).then(() => ({ at: performance.now(), rss: rssKb(bot.child.pid) }));
  return {
    discord,
    bot,
    spawnToReadyMs: ready.at - spawnedAt,
    readyAt: ready.at,
    guildsAtReady: Number(ready.line.guilds),
    rssAtReadyKb: ready.rss,
    spawnToServingMs: serving.at - spawnedAt,
    servingAt: serving.at,
    rssAtServingKb: serving.rss,
    async close() {
      await stopBot();
      await closeDiscord();
      return bot.exited;
    },
  };
}

async function terminate(bot: BotProcess): Promise<void> {
  const kill = setTimeout(() => bot.child.kill('SIGKILL'), 10_000);
  try {
    await bot.stop('SIGTERM');
  } finally {
    clearTimeout(kill);
  }
}

/** The bot's warn-and-worse log lines, counted by message, with the first one's error. */
export function complaints(bot: BotProcess): string[] {
  const counts = new Map<string, { n: number; first: LogLine }>();
  for (const line of bot.logs.filter((l: LogLine) => l.level >= 40)) {
    const entry = counts.get(line.msg) ?? { n: 0, first: line };
    entry.n++;
    counts.set(line.msg, entry);
  }
  return [...counts].map(([msg, { n, first }]) => {
    const err = first.err as { type?: string; message?: string } | undefined;
    return `${n}× "${msg}"${err ? ` (first: ${err.type ?? 'Error'}: ${String(err.message).slice(0, 160)})` : ''}`;
  });
}

/** The line the bot logs once every stored party and daily quote has its timer: after 'serving', a slice of servers at a time. */
export const PLANNED_LINE = 'schedules planned';

/** What the bot logged it planned at start-up (its 'schedules planned' line); undefined before it did. */
export function plannedAtStart(bot: BotProcess): { parties: number | undefined; dailyQuotes: number | undefined; ms: number | undefined } {
  const line = bot.logs.find((l: LogLine) => l.msg === PLANNED_LINE);
  const field = (name: string) => (line === undefined ? undefined : Number(line[name]));
  return { parties: field('parties'), dailyQuotes: field('dailyQuotes'), ms: field('ms') };
}

/** Posts a one-hour `/watchparty start film:her-smell` poll in the guild's first channel. */
export function openPoll(discord: DiscordStandin, guild: StandinGuild): Promise<StoredMessage> {
  return startPoll(discord, { guildId: guild.id, channelId: guild.channels[0]!.id, user: member(1) });
}

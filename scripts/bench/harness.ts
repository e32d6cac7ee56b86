// Benchmark plumbing: cleanup that always runs, the stand-in plus the real bot process, polls, RSS.
import { readFileSync } from 'node:fs';
import { type DiscordStandin, startStandin } from '../../harness/discord/standin';
import type { InteractionHandle, InteractionResponse, StandinGuild, StoredMessage } from '../../harness/discord/types';
import { type BotProcess, type LogLine, startBotProcess, TEST_TOKEN } from '../../harness/botProcess';
import { startPoll, vote } from '../../harness/polls';
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
  /** Spawn → the bot's 'ready' log line (discord.js ClientReady: READY plus every GUILD_CREATE). */
  spawnToReadyMs: number;
  /** Spawn → commands registered: the bot answers interactions. */
  spawnToServingMs: number;
  guildsAtReady: number;
  rssAtReadyKb: number;
  /** Stops the bot (SIGTERM, SIGKILL after 10 s) and the stand-in; resolves with the bot's exit code. */
  close(): Promise<number | null>;
}

export async function startRig(cleanup: Cleanup, options: { guilds: StandinGuild[]; storageUrl: string; interactionDeadlineMs?: number; readyTimeoutMs?: number }): Promise<Rig> {
  const timeout = options.readyTimeoutMs ?? 60_000;
  const discord = await startStandin({ token: TEST_TOKEN, guilds: options.guilds, ...(options.interactionDeadlineMs ? { interactionDeadlineMs: options.interactionDeadlineMs } : {}) });
  const closeDiscord = cleanup.add('discord stand-in', () => discord.close());
  const spawnedAt = performance.now();
  // LOG_LEVEL info, the production default: readiness is an info line and debug would add per-interaction logging.
  const bot = startBotProcess({ apiUrl: discord.apiUrl, storageUrl: options.storageUrl, env: { LOG_LEVEL: 'info' } });
  const stopBot = cleanup.add(`bot process ${bot.child.pid}`, () => terminate(bot));
  const readyLine = bot.waitForLog((line) => line.msg === 'ready', timeout).then((line) => ({ line, at: performance.now(), rss: rssKb(bot.child.pid) }));
  const [ready] = await Promise.all([readyLine, bot.ready(timeout)]);
  const servingAt = performance.now();
  return {
    discord,
    bot,
    spawnToReadyMs: ready.at - spawnedAt,
    spawnToServingMs: servingAt - spawnedAt,
    guildsAtReady: Number(ready.line.guilds),
    rssAtReadyKb: ready.rss,
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

/** The bot's warn-and-worse log lines, counted by message. */
export function complaints(bot: BotProcess): string[] {
  const counts = new Map<string, number>();
  for (const line of bot.logs.filter((l: LogLine) => l.level >= 40)) counts.set(line.msg, (counts.get(line.msg) ?? 0) + 1);
  return [...counts].map(([msg, n]) => `${n}× "${msg}"`);
}

/** Posts a one-hour `/watchparty start film:her-smell` poll in the guild's first channel. */
export function openPoll(discord: DiscordStandin, guild: StandinGuild): Promise<StoredMessage> {
  return startPoll(discord, { guildId: guild.id, channelId: guild.channels[0]!.id, user: member(1) });
}

export function castVote(discord: DiscordStandin, poll: StoredMessage, voter: number): InteractionHandle {
  return vote(discord, poll, member(voter), '4.5', { guildId: poll.guildId, channelId: poll.channelId });
}

export const isVoteConfirmation = (response: InteractionResponse): boolean => response.type === 4 && /^You rated /.test(String(response.data?.content ?? ''));

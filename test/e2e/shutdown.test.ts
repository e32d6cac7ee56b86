// A stop that cannot finish still ends the process, non-zero and saying why; a second signal ends it at once.
import { execFileSync, spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { createServer, type Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DiscordStandin, startStandin } from '../../harness/discord/standin';
import { type BotProcess, type LogLine, startBotProcess, TEST_TOKEN, SHARDED_ENTRY_POINT } from '../../harness/botProcess';
import { freshStorageUrl, SERVER_BACKENDS, type StorageServer, startStorageServer } from '../../harness/storage';
import { FILM_CLUB } from '../../harness/world';
import { REPEATED_SIGNAL_WINDOW_MS } from '../../src/shutdown';

const PROJECT_ROOT = fileURLToPath(new URL('../..', import.meta.url));
// src/shutdown.ts: BOT_STOP_DEADLINE_MS is 10 s; the shard manager's own deadline is later still.
const PAST_THE_DEADLINE_MS = 25_000;

const byMsg = (msg: string) => (line: LogLine) => line.msg === msg;

/** Resolves with the exit code, or rejects if the process is still running after `ms`. */
function exitWithin(bot: BotProcess, ms: number): Promise<number | null> {
  return Promise.race([
    bot.exited,
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`still running ${ms} ms later; last logs: ${JSON.stringify(bot.logs.slice(-4))}`)), ms).unref()),
  ]);
}

/**
 * A bot connected to its own Discord and its own Redis, which then stops answering every client:
 * closing the storage connections waits on replies that do not come, so the bot's stop hangs.
 */
async function botWithStalledStorage(entry?: string): Promise<{ bot: BotProcess; discord: DiscordStandin; close(): Promise<void> }> {
  const discord = await startStandin({ token: TEST_TOKEN, guilds: [FILM_CLUB] });
  const server: StorageServer = await startStorageServer('redis');
  const bot = startBotProcess({ apiUrl: discord.apiUrl, storageUrl: server.url, ...(entry ? { entry, env: { SHARD_COUNT: '1' } } : {}) });
  const close = async () => {
    if (bot.child.exitCode === null && bot.child.signalCode === null) bot.child.kill('SIGKILL');
    await bot.exited;
    // The pause holds every client's commands, CLIENT UNPAUSE's too; a SIGTERM still stops the server.
    await server.close();
    await discord.close();
  };
  try {
    await bot.waitForLog(byMsg(entry ? 'all shards ready' : 'serving'), 60_000);
    execFileSync('redis-cli', ['-u', server.url, 'CLIENT', 'PAUSE', '120000', 'ALL']);
  } catch (error) {
    await close();
    throw error;
  }
  return { bot, discord, close };
}

describe.runIf(SERVER_BACKENDS.includes('redis')).concurrent('npm start, when its stop cannot finish', () => {
  it('exits 1 after the deadline, with an error line saying so', async ({ expect }) => {
    const { bot, close } = await botWithStalledStorage();
    try {
      const signalledAt = Date.now();
      bot.child.kill('SIGTERM');
      expect(await exitWithin(bot, PAST_THE_DEADLINE_MS)).toBe(1);
      expect(Date.now() - signalledAt).toBeGreaterThanOrEqual(9_000);
      expect(bot.logs.find(byMsg('shutdown did not finish in time; exiting anyway'))).toMatchObject({ level: 50, deadlineMs: 10_000 });
      expect(bot.logs.find(byMsg('stopped'))).toBeUndefined();
    } finally {
      await close();
    }
  }, 90_000);

  it('exits 1 at once on a second SIGTERM, saying the shutdown was forced', async ({ expect }) => {
    const { bot, close } = await botWithStalledStorage();
    try {
      bot.child.kill('SIGTERM');
      await bot.waitForLog(byMsg('shutting down'));
      // Sooner, it would be taken for the first signal delivered twice.
      await sleep(REPEATED_SIGNAL_WINDOW_MS + 200);
      bot.child.kill('SIGTERM');
      expect(await exitWithin(bot, 5_000)).toBe(1);
      expect(bot.logs.find(byMsg('shutdown forced by a second signal'))).toMatchObject({ level: 50, signal: 'SIGTERM' });
    } finally {
      await close();
    }
  }, 90_000);
});

describe.runIf(SERVER_BACKENDS.includes('redis')).concurrent('npm run start:sharded, when a shard’s stop cannot finish', () => {
  it('exits 1 once the shard gives up at its own deadline, saying which shard', async ({ expect }) => {
    const { bot, close } = await botWithStalledStorage(SHARDED_ENTRY_POINT);
    try {
      bot.child.kill('SIGTERM');
      expect(await exitWithin(bot, PAST_THE_DEADLINE_MS)).toBe(1);
      // The shard's own line, then the manager's.
      expect(bot.logs.find((line) => line.msg === 'shutdown did not finish in time; exiting anyway' && line.role === undefined)).toMatchObject({ level: 50 });
      const failure = bot.logs.find((line) => line.msg === 'could not stop cleanly' && line.role === 'shard-manager');
      expect((failure?.err as { message: string }).message).toMatch(/shards did not stop cleanly: .*"shardId":0,"code":1/);
      expect(bot.logs.find(byMsg('all shards stopped'))).toBeUndefined();
    } finally {
      await close();
    }
  }, 120_000);

  it('exits 1 at once on a second SIGTERM, and takes its shard down with it', async ({ expect }) => {
    const { bot, discord, close } = await botWithStalledStorage(SHARDED_ENTRY_POINT);
    try {
      bot.child.kill('SIGTERM');
      await bot.waitForLog((line) => line.msg === 'shutting down' && line.role === 'shard-manager');
      await sleep(REPEATED_SIGNAL_WINDOW_MS + 200);
      bot.child.kill('SIGTERM');
      expect(await exitWithin(bot, 5_000)).toBe(1);
      expect(bot.logs.find((line) => line.msg === 'shutdown forced by a second signal' && line.role === 'shard-manager')).toMatchObject({ level: 50 });
      // No shard lives on without its manager: its gateway connection goes.
      await expect.poll(() => discord.isConnected(), { timeout: 5_000 }).toBe(false);
    } finally {
      await close();
    }
  }, 120_000);
});

describe('npm start, signalled while it is still starting', () => {
  it('has its signal handlers in place already: it logs the shutdown, and a second SIGTERM exits 1 at once', async ({ expect }) => {
    // A Discord that accepts connections and never answers keeps the bot in start-up.
    const held: Socket[] = [];
    const silent = createServer((socket) => void held.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as { port: number };
    const bot = startBotProcess({ apiUrl: `http://127.0.0.1:${port}/api`, storageUrl: 'sqlite://:memory:' });
    try {
      await expect.poll(() => held.length, { timeout: 30_000 }).toBeGreaterThan(0);
      bot.child.kill('SIGTERM');
      await bot.waitForLog(byMsg('shutting down'));
      // Sooner, it would be taken for the first signal delivered twice.
      await sleep(REPEATED_SIGNAL_WINDOW_MS + 200);
      bot.child.kill('SIGTERM');
      expect(await exitWithin(bot, 5_000)).toBe(1);
      expect(bot.logs.find(byMsg('shutdown forced by a second signal'))).toMatchObject({ level: 50 });
    } finally {
      if (bot.child.exitCode === null && bot.child.signalCode === null) bot.child.kill('SIGKILL');
      await bot.exited;
      for (const socket of held) socket.destroy();
      silent.close();
    }
  }, 60_000);
});

describe('Ctrl+C in a terminal', () => {
  /**
   * Runs an npm script in a process group of its own, as a terminal runs it: Ctrl+C signals the
   * whole group, so the bot (and each shard) gets SIGINT from the terminal and again from its parent.
   */
  function inTerminal(script: string, storageUrl: string, env: Record<string, string> = {}) {
    const child = spawn('npm', ['run', '--silent', script], {
      cwd: PROJECT_ROOT,
      detached: true,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', DISCORD_TOKEN: TEST_TOKEN, DISCORD_API_URL: discord.apiUrl, STORAGE_URL: storageUrl, LOG_LEVEL: 'info', REELSIDE_ENV_FILE: '/nonexistent', ...env },
    });
    let stdout = '';
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    return { child, exited, output: () => stdout, ctrlC: () => process.kill(-child.pid!, 'SIGINT'), kill: () => process.kill(-child.pid!, 'SIGKILL') };
  }

  let discord: DiscordStandin;
  beforeAll(async () => {
    discord = await startStandin({ token: TEST_TOKEN, guilds: [FILM_CLUB] });
  });
  afterAll(async () => discord?.close());

  it.each([
    ['start', {}, 'serving'],
    ['start:sharded', { SHARD_COUNT: '1' }, 'all shards ready'],
  ] as const)('stops `npm run %s` cleanly: one keypress is one request, not a forced stop', async (script, env, ready) => {
    const storage = await freshStorageUrl('sqlite');
    const run = inTerminal(script, storage.url, env);
    try {
      await expect.poll(() => run.output().includes(`"msg":"${ready}"`), { timeout: 60_000, interval: 100 }).toBe(true);
      run.ctrlC();
      expect(await run.exited).toBe(0);
      expect(run.output().match(/"msg":"stopped"/g)).toHaveLength(1);
      // The second SIGINT lands during the stop or after the exit, depending on timing: either way it forces nothing.
      expect(run.output()).not.toContain('shutdown forced');
    } finally {
      if (run.child.exitCode === null && run.child.signalCode === null) run.kill();
      storage.remove();
    }
  }, 90_000);
});

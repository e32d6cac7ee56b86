// `npm start` runs the compiled bot: plain node on dist/, no TypeScript loader, stack traces in .ts.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DiscordStandin, startStandin } from '../../harness/discord/standin';
import { TEST_TOKEN } from '../../harness/botProcess';
import { tempDir } from '../../harness/tmp';
import { FILM_CLUB, member, str } from '../../harness/world';
import { runScript } from '../support/run';

const PROJECT_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const MODULE_LOGGER = new URL('../support/moduleLog/register.mjs', import.meta.url).href;

let discord: DiscordStandin;
beforeAll(async () => {
  discord = await startStandin({ token: TEST_TOKEN, guilds: [FILM_CLUB] });
});
afterAll(async () => discord?.close());

/** `npm start` as an admin runs it, with every module each node process loads written to a file. */
async function npmStartLoggingModules(): Promise<{ modulesByPid: Map<string, string[]>; cardTitle: string }> {
  const dir = tempDir('reelside-compiled-');
  const moduleLog = join(dir.path, 'modules.log');
  const child = spawn('npm', ['start', '--silent'], {
    cwd: PROJECT_ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      NODE_OPTIONS: `--import ${MODULE_LOGGER}`,
      REELSIDE_MODULE_LOG: moduleLog,
      REELSIDE_ENV_FILE: '/nonexistent',
      DISCORD_TOKEN: TEST_TOKEN,
      DISCORD_API_URL: discord.apiUrl,
      STORAGE_URL: `sqlite://${join(dir.path, 'bot.sqlite')}`,
      LOG_LEVEL: 'info',
    },
  });
  const exited = new Promise((resolve) => child.on('exit', resolve));
  try {
    let stdout = '';
    child.stdout.setEncoding('utf8');
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the bot did not start serving: ${stdout}`)), 30_000);
      child.stdout.on('data', (chunk: string) => {
        stdout += chunk;
        if (stdout.includes('"msg":"serving"')) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
    const card = await discord.slash({ name: 'film', options: [str('title', 'her-smell')], guildId: FILM_CLUB.id, user: member(1) }).reply();
    child.kill('SIGTERM');
    await exited;
    const modulesByPid = new Map<string, string[]>();
    for (const line of readFileSync(moduleLog, 'utf8').trim().split('\n')) {
      const [pid, url] = line.split('\t') as [string, string];
      modulesByPid.set(pid, [...(modulesByPid.get(pid) ?? []), url]);
    }
    return { modulesByPid, cardTitle: card.embeds[0].title };
  } finally {
    child.kill('SIGKILL');
    dir.remove();
  }
}

describe('the compiled bot', () => {
  it('runs on plain node: the bot process loads dist/ and discord.js, and no TypeScript loader or .ts file', async () => {
    const { modulesByPid, cardTitle } = await npmStartLoggingModules();
    expect(cardTitle).toBe('Her Smell (2018)');
    const bot = [...modulesByPid.values()].find((urls) => urls.some((url) => url.endsWith('/dist/index.js')));
    expect(bot, 'no process loaded dist/index.js').toBeDefined();
    // The log is real: it saw the bot's own dependencies load.
    expect(bot!.some((url) => url.includes('/node_modules/discord.js/'))).toBe(true);
    expect(bot!.filter((url) => /\/node_modules\/(tsx|esbuild)\//.test(url) || /\.[cm]?ts$/.test(url))).toEqual([]);
  }, 60_000);

  it('points stack traces at the TypeScript sources', async () => {
    // A rejected token fails start-up, and the fatal log line carries the error's stack.
    const { stdout } = await runScript('dist/index.js', { DISCORD_TOKEN: 'MTAwMDAwMDAwMDAwMDAwMDAx.GwRong.this-token-is-not-the-one-discord-knows', DISCORD_API_URL: discord.apiUrl, STORAGE_URL: 'sqlite://:memory:' });
    const fatal = stdout.split('\n').filter(Boolean).map((line) => JSON.parse(line) as { msg: string; err?: { stack?: string } }).find((line) => line.msg === 'could not start');
    expect(fatal?.err?.stack).toMatch(/src\/[\w/]+\.ts:\d+:\d+/);
    expect(fatal?.err?.stack).not.toMatch(/dist\/index\.js:\d+/);
  }, 30_000);
});

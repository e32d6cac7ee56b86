// Stops, kills and outages: nothing confirmed to a member is lost, and the bot stops and recovers cleanly.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startStandin, type DiscordStandin } from '../../harness/discord/standin';
import type { InteractionResponse, StoredMessage } from '../../harness/discord/types';
import { openStorage } from '../../src/storage/keyv';
import { PollStore, voteCount } from '../../src/storage/polls';
import { RecordStore } from '../../src/storage/records';
import { type BotProcess, startBotProcess, TEST_TOKEN } from '../../harness/botProcess';
import { pollIdOf, startPoll as startPollIn, vote as voteIn } from '../../harness/polls';
import { freshStorageUrl, SERVER_BACKENDS, silentLog, type StorageServer, startStorageServer } from '../../harness/storage';
import { tempDir } from '../../harness/tmp';
import { FILM_CLUB, member, SCREENING_ROOM, str } from '../../harness/world';

const PROJECT_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const STORAGE_UNAVAILABLE = 'Storage is unavailable right now, so nothing was saved. Please try again in a moment.';

let discord: DiscordStandin;
const bots: BotProcess[] = [];
beforeAll(async () => {
  discord = await startStandin({ token: TEST_TOKEN, guilds: [FILM_CLUB] });
});
afterEach(async () => {
  await Promise.all(bots.splice(0).map((bot) => bot.stop('SIGKILL')));
});
afterAll(async () => discord?.close());

function launch(storageUrl: string, entry?: string, env: Record<string, string> = {}): BotProcess {
  const bot = startBotProcess({ apiUrl: discord.apiUrl, storageUrl, ...(entry ? { entry } : {}), env });
  bots.push(bot);
  return bot;
}

const range = (first: number, count: number) => Array.from({ length: count }, (_, i) => first + i);
const inClub = (n: number) => ({ guildId: FILM_CLUB.id, channelId: SCREENING_ROOM, user: member(n) });

const startPoll = () => startPollIn(discord);
const vote = (poll: StoredMessage, n: number, value = '4') => voteIn(discord, poll, member(n), value);

/** Which of these members have a vote stored, checking that the poll's count agrees with them. */
async function storedVoters(storageUrl: string, pollId: string, candidates: number[]): Promise<string[]> {
  const storage = await openStorage(storageUrl, silentLog);
  try {
    const polls = new PollStore(new RecordStore(storage.kv, silentLog));
    const poll = await polls.get(FILM_CLUB.id, pollId);
    if (!poll) return [];
    const voters = Object.keys(await polls.votesOf(poll, candidates.map((n) => member(n).id)));
    expect(voteCount(poll)).toBe(voters.length);
    return voters;
  } finally {
    await storage.close();
  }
}

describe('signals', () => {
  /** Runs an npm script as a container would, and signals only npm's own process. */
  function npmRun(script: string, storageUrl: string, env: Record<string, string> = {}) {
    const child = spawn('npm', ['run', '--silent', script], {
      cwd: PROJECT_ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', DISCORD_TOKEN: TEST_TOKEN, DISCORD_API_URL: discord.apiUrl, STORAGE_URL: storageUrl, LOG_LEVEL: 'info', REELSIDE_ENV_FILE: '/nonexistent', ...env },
    });
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    running.push(child);
    return { child, exited, output: () => stdout };
  }

  // A failed assertion must not leave a bot running: npm passes SIGTERM on to it.
  const running: ChildProcess[] = [];
  afterEach(() => {
    for (const child of running.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  });

  async function until(check: () => boolean, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!check()) {
      if (Date.now() > deadline) throw new Error('timed out');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  it('`npm start` stops cleanly when only npm gets SIGTERM', async () => {
    const storage = await freshStorageUrl('sqlite');
    const run = npmRun('start', storage.url);
    await until(() => run.output().includes('"msg":"serving"'), 30_000);
    expect((await discord.slash({ name: 'film', options: [str('title', 'her-smell')], ...inClub(1) }).reply()).embeds[0].title).toBe('Her Smell (2018)');
    run.child.kill('SIGTERM');
    expect(await run.exited).toBe(0);
    expect(run.output()).toContain('"msg":"stopped"');
    await until(() => !discord.isConnected(), 5_000);
    storage.remove();
  }, 60_000);

  it('`npm run start:sharded` passes a SIGTERM sent only to npm on to every shard', async () => {
    const storage = await freshStorageUrl('sqlite');
    const run = npmRun('start:sharded', storage.url, { SHARD_COUNT: '2' });
    await until(() => run.output().includes('"msg":"all shards ready"'), 60_000);
    run.child.kill('SIGTERM');
    expect(await run.exited).toBe(0);
    expect(run.output().match(/"msg":"stopped"/g)).toHaveLength(2);
    expect(run.output()).toContain('"msg":"all shards stopped"');
    storage.remove();
  }, 90_000);

  it('SIGTERM lets votes in flight finish: every confirmed vote is stored', async () => {
    const storage = await freshStorageUrl('sqlite');
    const bot = launch(storage.url);
    await bot.ready();
    const poll = await startPoll();
    const handles = Array.from({ length: 200 }, (_, i) => vote(poll, 100 + i));
    await handles[0]!.response();
    bot.child.kill('SIGTERM');
    const responses = await Promise.allSettled(handles.map((handle) => handle.response(4_000)));
    expect(await bot.exited).toBe(0);
    const confirmed = confirmedMembers(responses, 100);
    expect(confirmed.length).toBeGreaterThan(0);
    const stored = await storedVoters(storage.url, pollIdOf(poll), range(100, 200));
    for (const id of confirmed) expect(stored).toContain(id);
    storage.remove();
  }, 60_000);
});

describe('kill -9', () => {
  it('loses no vote that was confirmed to a member, and the poll goes on after a restart', async () => {
    const dir = tempDir();
    const storageUrl = `sqlite://${dir.path}/reelside.sqlite`;
    let bot = launch(storageUrl);
    await bot.ready();
    const poll = await startPoll();
    const handles = Array.from({ length: 400 }, (_, i) => vote(poll, 1000 + i));
    // Kill the process outright once some votes are confirmed and others are still in flight.
    let answered = 0;
    await new Promise<void>((resolve) => {
      for (const handle of handles) {
        void handle.response(10_000).then(() => {
          if (++answered === 50) resolve();
        }, () => undefined);
      }
    });
    bot.child.kill('SIGKILL');
    const responses = await Promise.allSettled(handles.map((handle) => handle.response(4_000)));
    const confirmed = confirmedMembers(responses, 1000);
    expect(confirmed.length).toBeGreaterThanOrEqual(50);

    bot = launch(storageUrl);
    await bot.ready();
    const after = await vote(poll, 5000, '5').reply();
    expect(after.content).toMatch(/^You rated Her Smell 5★/);
    // Also checks that the poll's count, written before the votes of a batch the kill may have cut short, agrees with the votes stored.
    const stored = await storedVoters(storageUrl, pollIdOf(poll), [...range(1000, 400), 5000]);
    for (const id of confirmed) expect(stored).toContain(id);
    await bot.stop();
    dir.remove();
  }, 60_000);
});

describe.each(SERVER_BACKENDS)('%s outage', (backend) => {
  let server: StorageServer;
  beforeAll(async () => {
    server = await startStorageServer(backend);
  });
  afterAll(async () => server?.close());

  it('tells members to try again within the deadline, saves nothing, and recovers by itself', async () => {
    const bot = launch(server.url);
    await bot.ready();
    const poll = await startPoll();
    expect((await vote(poll, 1, '4').reply()).content).toMatch(/^You rated/);
    const serverRating = async () => (await discord.slash({ name: 'film', options: [str('title', 'her-smell')], ...inClub(3) }).reply()).embeds[0].fields.find((field: { name: string }) => field.name === 'This server').value;
    // The vote's rating is saved just after its answer.
    await expect.poll(serverRating, { timeout: 5_000 }).toMatch(/from 1 rating/);

    await server.stop();
    const during = vote(poll, 2, '1');
    const response = await during.response();
    expect(response.latencyMs).toBeLessThan(3000);
    expect(response.data.content).toBe(STORAGE_UNAVAILABLE);
    expect(response.data.flags & 64).toBe(64);
    // The card still shows, with the rating as this process last saved it (only it writes this server's records).
    expect(await serverRating()).toMatch(/from 1 rating/);

    await server.start();
    await expect
      .poll(async () => (await vote(poll, 4, '5').response()).data.content, { timeout: 15_000, interval: 500 })
      .toMatch(/^You rated Her Smell 5★/);
    // The vote refused during the outage was not queued to land later.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const stored = await storedVoters(server.url, pollIdOf(poll), range(1, 4));
    expect(stored).toContain(member(1).id);
    expect(stored).toContain(member(4).id);
    expect(stored).not.toContain(member(2).id);
    expect(bot.child.exitCode).toBeNull();
  }, 60_000);
});

describe.runIf(SERVER_BACKENDS.includes('redis'))('slow storage', () => {
  let server: StorageServer;
  beforeAll(async () => {
    server = await startStorageServer('redis');
  });
  afterAll(async () => server?.close());

  /** Redis holds every write for `ms`, as an overloaded server would. */
  const pauseWrites = (ms: number) => execFileSync('redis-cli', ['-u', server.url, 'CLIENT', 'PAUSE', String(ms), 'WRITE']);

  // A database of its own per test: the previous test's killed bot still holds its shard lease in its own.
  it('defers a vote that cannot be saved quickly, then confirms it, inside Discord’s deadline', async () => {
    const url = await server.newDatabase();
    const bot = launch(url);
    await bot.ready();
    const poll = await startPoll();
    pauseWrites(1_800);
    const slow = vote(poll, 1, '4');
    const acknowledged = await slow.response();
    expect(acknowledged.type).toBe(5);
    expect(acknowledged.latencyMs).toBeLessThan(3000);
    expect(acknowledged.data.flags & 64).toBe(64);
    const confirmed = await slow.reply(5_000);
    expect(confirmed.content).toMatch(/^You rated Her Smell 4★/);
    expect(await storedVoters(url, pollIdOf(poll), [1])).toContain(member(1).id);
  }, 30_000);

  it('tells the member to try again, in the deferred reply, when storage stays stuck', async () => {
    const bot = launch(await server.newDatabase());
    await bot.ready();
    const poll = await startPoll();
    pauseWrites(2_600);
    const stuck = vote(poll, 2, '2');
    expect((await stuck.response()).type).toBe(5);
    const told = await stuck.reply(5_000);
    expect(told.ephemeral).toBe(true);
    expect(told.content).toBe(STORAGE_UNAVAILABLE);
  }, 30_000);
});

function confirmedMembers(responses: PromiseSettledResult<InteractionResponse>[], firstMember: number): string[] {
  return responses.flatMap((result, i) =>
    result.status === 'fulfilled' && /^You rated/.test(result.value.data?.content ?? '') ? [member(firstMember + i).id] : [],
  );
}

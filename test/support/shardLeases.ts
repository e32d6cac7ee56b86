// Two `npm start`s for the same servers: the second waits for the first's shard lease and takes
// over when it stops or dies, never serving at the same time, and no member's vote is lost.
// One file per backend runs these (test/e2e/lease.*.test.ts), so the backends run side by side.
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { createClient } from '@keyv/redis';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type DiscordStandin, startStandin } from '../../harness/discord/standin';
import type { StoredMessage } from '../../harness/discord/types';
import { type BotProcess, type LogLine, startBotProcess, TEST_TOKEN } from '../../harness/botProcess';
import { POLL_HOST, pressEnd, startPoll, vote } from '../../harness/polls';
import { type Backend, closeServersOfThisFile, freshStorageUrl } from '../../harness/storage';
import { FILM_CLUB, member, str } from '../../harness/world';
import { ADVISORY_LOCK_NAMESPACE } from '../../src/storage/lease/postgres';
import { redisLeaseKey } from '../../src/storage/lease/redis';

const WAITING = 'shard 0 is served by another process; waiting for its lease';
const LOST = 'shard 0 is now served by another process: this one stops writing';

export function describeShardLeases(backend: Backend): void {
  let discord: DiscordStandin;
  let storage: { url: string; remove(): void } | undefined;
  const bots: BotProcess[] = [];

  beforeEach(async () => {
    discord = await startStandin({ token: TEST_TOKEN, guilds: [FILM_CLUB] });
    unanswered = 0;
  });
  afterEach(async () => {
    await Promise.all(bots.splice(0).map((bot) => bot.stop('SIGKILL')));
    await discord.close();
    storage?.remove();
    storage = undefined;
  });
  afterAll(closeServersOfThisFile);

  /** `npm start` against the stand-in and this test's store. */
  function launch(): BotProcess {
    const bot = startBotProcess({ apiUrl: discord.apiUrl, storageUrl: storage!.url });
    bots.push(bot);
    return bot;
  }

  const isLine = (msg: string) => (line: LogLine) => line.msg === msg;

  /** Clicks that got no answer: Discord showed the member "This interaction failed". */
  let unanswered = 0;

  /**
   * What a member does when nobody answers (no process serves the server, or the one that did is
   * stopping) or the bot says to try again: click again, until the bot confirms the vote.
   */
  async function voteUntilConfirmed(poll: StoredMessage, n: number, stars: string): Promise<string> {
    const giveUpAt = Date.now() + 60_000;
    while (Date.now() < giveUpAt) {
      try {
        const { content } = await vote(discord, poll, member(n), stars).reply(5_000);
        if (content?.startsWith('You rated')) return content;
      } catch {
        unanswered++;
      }
      await sleep(200);
    }
    throw new Error(`member ${n}'s vote was never confirmed`);
  }

  /** The poll's closing tally, as its results message shows it: votes per star value. */
  function tallyOf(results: StoredMessage): Map<string, number> {
    const rows = String(results.embeds[0].description).matchAll(/^\s*(\d★) .* (\d+)$/gm);
    return new Map([...rows].map(([, stars, count]) => [stars!, Number(count)] as const).filter(([, count]) => count > 0));
  }

  describe(`two copies of one shard on ${backend}`, () => {
    beforeEach(async () => {
      storage = await freshStorageUrl(backend);
    });

    it('the second waits, saying why, without connecting to Discord, and stops at once on SIGTERM', async () => {
      const first = launch();
      await first.ready();
      const second = launch();
      const waiting = await second.waitForLog(isLine(WAITING));
      expect(waiting).toMatchObject({ level: 30, backend, shard: 0 });
      expect(discord.gatewaySessions()).toHaveLength(1);

      expect(await second.stop('SIGTERM')).toBe(0);
      expect(second.logs.some(isLine('serving'))).toBe(false);
      const card = await discord.slash({ name: 'film', options: [str('title', 'her-smell')], guildId: FILM_CLUB.id, user: member(1) }).reply();
      expect(card.embeds[0].title).toBe('Her Smell (2018)');
      expect(discord.gatewaySessions()).toHaveLength(1);
    }, 60_000);

    for (const signal of ['SIGTERM', 'SIGKILL'] as const) {
      it(`the second takes over when the first gets ${signal}, one at a time, and every member's vote is counted`, async () => {
        const first = launch();
        await first.ready();
        const poll = await startPoll(discord);
        const second = launch();
        await second.waitForLog(isLine(WAITING));

        // Forty members, each with a rating of 1 to 5 stars, arrive in four waves around the handover.
        const confirmations = new Map<number, Promise<string>>();
        const wave = (from: number) => {
          for (let n = from; n < from + 10; n++) confirmations.set(n, voteUntilConfirmed(poll, n, String((n % 5) + 1)));
        };
        wave(1);
        await Promise.all(confirmations.values());
        first.child.kill(signal);
        wave(11); // while the first stops or dies
        expect(await first.exited).toBe(signal === 'SIGTERM' ? 0 : null);
        wave(21); // before the second has connected
        await second.ready();
        wave(31);
        const confirmed = await Promise.all(confirmations.values());
        expect(unanswered).toBeGreaterThan(0); // some clicks did fall in the handover

        const results = await pressEnd(discord, poll, POLL_HOST).reply();
        expect(results.embeds[0].title).toBe('Results: Her Smell');
        expect(results.embeds[0].description).toContain('**3.0** average from 40 votes');
        const expected = new Map<string, number>();
        for (const text of confirmed) {
          const stars = /^You rated Her Smell (\d★)/.exec(text)![1]!;
          expected.set(stars, (expected.get(stars) ?? 0) + 1);
        }
        expect(tallyOf(results)).toEqual(expected);

        // Discord never had two sessions for the server's shard at once: no moment with two
        // processes answering its members.
        expect(discord.mostSessionsAtOnce(FILM_CLUB.id)).toBe(1);
      }, 90_000);
    }
  });

  if (backend === 'redis') describe('losing the Redis lease', () => {
    beforeEach(async () => {
      storage = await freshStorageUrl('redis');
    });

    it('stops the holder, with an error naming the shard and reason, once another process holds its lease', async () => {
      const bot = launch();
      await bot.ready();
      // As if this process had been paused past its lease and another had taken it meanwhile.
      const redis = createClient({ url: storage!.url });
      await redis.connect();
      try {
        await redis.set(redisLeaseKey(0), 'another-process', { expiration: { type: 'PX', value: 60_000 } });
      } finally {
        await redis.close();
      }
      const lost = await bot.waitForLog(isLine(LOST));
      expect(lost).toMatchObject({ level: 50, backend: 'redis', shard: 0, reason: 'another process took its lease' });
      expect(await bot.exited).toBe(1);
      expect(bot.logs.some(isLine('stopped'))).toBe(true);
    }, 60_000);
  });

  if (backend === 'postgres') describe('the Postgres lease connection breaking', () => {
    beforeEach(async () => {
      storage = await freshStorageUrl('postgres');
    });

    /** Ends the bot's lease session from the server side, as a restart or a network fault would. */
    async function breakLeaseConnection(admin: pg.Client): Promise<void> {
      const { rowCount } = await admin.query(
        `SELECT pg_terminate_backend(pid, 5000) FROM pg_locks WHERE locktype = 'advisory' AND granted AND classid = $1 AND objid = 0 AND pid <> pg_backend_pid()`,
        [ADVISORY_LOCK_NAMESPACE],
      );
      expect(rowCount).toBe(1);
    }

    async function withAdmin(use: (admin: pg.Client) => Promise<void>): Promise<void> {
      const admin = new pg.Client({ connectionString: storage!.url });
      await admin.connect();
      try {
        await use(admin);
      } finally {
        await admin.end();
      }
    }

    it('refuses writes until the lock is taken again, then goes on serving', async () => {
      const bot = launch();
      await bot.ready();
      const poll = await startPoll(discord);
      await withAdmin(breakLeaseConnection);
      const lapse = await bot.waitForLog(isLine('the lease of shard 0 could not be kept: writes are refused until it is'));
      expect(lapse).toMatchObject({ level: 50, backend: 'postgres', shard: 0 });
      await bot.waitForLog(isLine('the lease of shard 0 is held again: writes resume'));
      expect(await voteUntilConfirmed(poll, 1, '4')).toMatch(/^You rated Her Smell 4★/);
      expect(bot.child.exitCode).toBeNull();
    }, 60_000);

    it('stops the holder when another session took the lock meanwhile', async () => {
      const bot = launch();
      await bot.ready();
      await withAdmin(async (admin) => {
        await breakLeaseConnection(admin);
        await admin.query('SELECT pg_advisory_lock($1, 0)', [ADVISORY_LOCK_NAMESPACE]);
        const lost = await bot.waitForLog(isLine(LOST));
        expect(lost).toMatchObject({ level: 50, backend: 'postgres', shard: 0, reason: 'another process took its lease' });
        expect(await bot.exited).toBe(1);
      });
    }, 60_000);
  });
}

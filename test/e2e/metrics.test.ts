// Health and metrics as an operator sees them: /readyz through a Redis outage, /metrics counting
// what members did, one scrape target for a sharded machine, and no secret in any of it.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type BotProcess, SHARDED_ENTRY_POINT, startBotProcess, TEST_TOKEN } from '../../harness/botProcess';
import { type DiscordStandin, type StandinGuild, startStandin } from '../../harness/discord/standin';
import { redisAvailable, redisRequired, startRedis } from '../../harness/redis';
import { freePort, type StorageServer } from '../../harness/servers';
import { metricValue } from '../../harness/metrics';
import { startPoll } from '../../harness/polls';
import { freshStorageUrl } from '../../harness/storage';
import { FILM_CLUB, member, NUMBER, OTHER_CLUB, SCREENING_ROOM, str } from '../../harness/world';

const STORAGE_UNAVAILABLE = 'Storage is unavailable right now, so nothing was saved. Please try again in a moment.';
const PASSWORD = 'metrics-test-password-3f9a';
// A member's own words, typed into an option: they must never become a label.
const MEMBER_TEXT = 'my private film diary entry';
// Redis's default user has no password, so it accepts any: the URL still carries one to leak.
const withPassword = (url: string) => url.replace('redis://', `redis://default:${PASSWORD}@`);

const bots: BotProcess[] = [];
afterEach(async () => {
  await Promise.all(bots.splice(0).map((bot) => bot.stop('SIGKILL')));
});

/** Everything the endpoint answered during a test, to search for secrets at the end. */
const seen: string[] = [];

async function get(base: string, path: string): Promise<{ status: number; body: string }> {
  const response = await fetch(`${base}${path}`);
  const body = await response.text();
  seen.push(body);
  return { status: response.status, body };
}

/** The value of one series in Prometheus text, by its name and labels exactly as printed. */
const interactions = (name: string, outcome = 'ok', kind = 'command') => `reelside_interactions_total{kind="${kind}",name="${name}",outcome="${outcome}"}`;

function expectNoSecrets(): void {
  expect(seen.length).toBeGreaterThan(0);
  for (const body of seen) {
    expect(body).not.toContain(TEST_TOKEN);
    // Any part of the token (Discord's three dot-separated parts) would be a leak too.
    for (const part of TEST_TOKEN.split('.')) expect(body).not.toContain(part);
    expect(body).not.toContain(PASSWORD);
    expect(body).not.toContain(MEMBER_TEXT);
    expect(body).not.toContain('poll:vote:');
  }
}

const runRedisTests = redisAvailable() || redisRequired();

describe.runIf(runRedisTests)('one bot process over Redis, with METRICS_PORT set', () => {
  let discord: DiscordStandin;
  let redis: StorageServer;
  beforeAll(async () => {
    redis = await startRedis();
    discord = await startStandin({ token: TEST_TOKEN, guilds: [FILM_CLUB] });
  });
  afterAll(async () => {
    await discord?.close();
    await redis?.close();
  });

  const inClub = (n: number) => ({ guildId: FILM_CLUB.id, channelId: SCREENING_ROOM, user: member(n) });

  it('is ready, counts interactions by command, turns unready during a Redis outage and ready after it', async () => {
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const bot = startBotProcess({ apiUrl: discord.apiUrl, storageUrl: withPassword(await redis.newDatabase()), env: { METRICS_PORT: String(port) } });
    bots.push(bot);
    await bot.ready();

    expect(await get(base, '/healthz')).toEqual({ status: 200, body: 'ok\n' });
    const ready = await get(base, '/readyz');
    expect(ready.status).toBe(200);
    expect(JSON.parse(ready.body)).toEqual({ ready: true });
    expect((await get(base, '/nowhere')).status).toBe(404);

    for (let i = 0; i < 3; i++) expect((await discord.slash({ name: 'help', ...inClub(1) }).reply()).embeds.length).toBeGreaterThan(0);
    for (let i = 0; i < 2; i++) expect((await discord.slash({ name: 'film', options: [str('title', 'her-smell')], ...inClub(1) }).reply()).embeds[0].title).toBe('Her Smell (2018)');
    // A member's mistake, typed in their own words, and a button from no version of Reelside.
    expect((await discord.slash({ name: 'film', options: [str('title', MEMBER_TEXT)], ...inClub(2) }).reply()).ephemeral).toBe(true);
    const forged = await discord.component({ customId: 'poll:vote:forged0000:extra', componentType: 2, message: { id: '290000000000000001', channelId: SCREENING_ROOM }, ...inClub(2) }).reply();
    expect(forged.content).toMatch(/older version of Reelside/);

    await startPoll(discord);

    const before = (await get(base, '/metrics')).body;
    expect(metricValue(before, 'reelside_open_polls')).toBe(1);
    expect(metricValue(before, interactions('help'))).toBe(3);
    expect(metricValue(before, interactions('film'))).toBe(2);
    expect(metricValue(before, interactions('film', 'user_error'))).toBe(1);
    expect(metricValue(before, interactions('unknown', 'user_error', 'component'))).toBe(1);
    expect(metricValue(before, 'reelside_interaction_duration_seconds_count{kind="command",name="help"}')).toBe(3);
    expect(metricValue(before, 'reelside_storage_operations_total{backend="redis",outcome="ok"}')).toBeGreaterThan(0);
    expect(metricValue(before, 'reelside_storage_operations_total{backend="redis",outcome="failure"}')).toBe(0);
    expect(before).toContain('# TYPE process_cpu_user_seconds_total counter');
    expect(before).toContain('# TYPE reelside_gateway_ping_seconds gauge');

    await redis.stop();
    try {
      await expect.poll(async () => (await get(base, '/readyz')).status, { timeout: 15_000, interval: 250 }).toBe(503);
      expect(JSON.parse((await get(base, '/readyz')).body)).toEqual({ ready: false, reason: 'storage is not answering' });
      // Up, but not ready: an orchestrator should wait, not restart it.
      expect((await get(base, '/healthz')).status).toBe(200);
      const refused = await discord.slash({ name: 'rate', options: [str('film', 'her-smell'), { name: 'stars', type: NUMBER, value: 4 }], ...inClub(3) }).reply();
      expect(refused.content).toBe(STORAGE_UNAVAILABLE);
      const during = (await get(base, '/metrics')).body;
      expect(metricValue(during, interactions('rate', 'failure'))).toBe(1);
      expect(metricValue(during, 'reelside_storage_operations_total{backend="redis",outcome="failure"}')).toBeGreaterThan(0);
    } finally {
      await redis.start();
    }
    await expect.poll(async () => (await get(base, '/readyz')).status, { timeout: 20_000, interval: 250 }).toBe(200);
    expect(JSON.parse((await get(base, '/readyz')).body)).toEqual({ ready: true });

    const after = (await get(base, '/metrics')).body;
    expect(metricValue(after, interactions('help'))).toBe(3);
    expectNoSecrets();

    // Stopping closes the port with the bot.
    expect(await bot.stop('SIGTERM')).toBe(0);
    await expect(fetch(`${base}/healthz`)).rejects.toThrow();
  }, 90_000);
});

describe('the sharded bot (npm run start:sharded), with METRICS_PORT set', () => {
  let discord: DiscordStandin;
  let storage: { url: string; remove(): void };
  const shardOf = (guildId: string) => Number((BigInt(guildId) >> 22n) % 2n);
  // Two servers, one on each of two shards.
  const guilds: StandinGuild[] = [FILM_CLUB, { ...OTHER_CLUB, id: String(BigInt(FILM_CLUB.id) + (1n << 22n)) }];

  beforeAll(async () => {
    expect(guilds.map((guild) => shardOf(guild.id)).sort()).toEqual([0, 1]);
    // Heartbeats every half second, so each shard has a gateway ping to show soon after it connects.
    discord = await startStandin({ token: TEST_TOKEN, guilds, recommendedShards: 2, heartbeatIntervalMs: 500 });
    storage = await freshStorageUrl('sqlite');
  });
  afterAll(async () => {
    await discord?.close();
    storage?.remove();
  });

  it('serves every shard’s figures from the manager’s one port: both gateway pings, summed counters, readiness of all', async () => {
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const bot = startBotProcess({ apiUrl: discord.apiUrl, storageUrl: storage.url, entry: SHARDED_ENTRY_POINT, env: { SHARD_COUNT: '2', METRICS_PORT: String(port) } });
    bots.push(bot);
    await bot.waitForLog((line) => line.msg === 'all shards ready', 60_000);

    const inGuild = (guild: StandinGuild) => ({ guildId: guild.id, channelId: guild.channels[0]!.id, user: member(1) });
    for (const guild of guilds) for (let i = 0; i < 2; i++) await discord.slash({ name: 'help', ...inGuild(guild) }).reply();
    await discord.slash({ name: 'film', options: [str('title', 'her-smell')], ...inGuild(guilds[1]!) }).reply();

    await expect
      .poll(async () => {
        const text = (await get(base, '/metrics')).body;
        return [metricValue(text, 'reelside_gateway_ping_seconds{shard="0"}'), metricValue(text, 'reelside_gateway_ping_seconds{shard="1"}')].every((ping) => ping !== undefined && ping >= 0);
      }, { timeout: 20_000, interval: 250 })
      .toBe(true);
    const text = (await get(base, '/metrics')).body;
    // Two /help on each shard's server, added up across the shard processes.
    expect(metricValue(text, interactions('help'))).toBe(4);
    expect(metricValue(text, interactions('film'))).toBe(1);
    expect(metricValue(text, 'reelside_interaction_duration_seconds_count{kind="command",name="help"}')).toBe(4);
    expect(text.match(/^# TYPE reelside_interactions_total counter$/gm)).toHaveLength(1);

    const ready = await get(base, '/readyz');
    expect(ready.status).toBe(200);
    expect(JSON.parse(ready.body)).toEqual({ ready: true });
    // The shard processes inherit METRICS_PORT but leave the port to their manager.
    expect(bot.logs.filter((line) => line.msg === 'health and metrics served')).toHaveLength(1);
    expect(bot.logs.filter((line) => /could not listen/.test(line.msg))).toEqual([]);
    expectNoSecrets();

    expect(await bot.stop('SIGTERM')).toBe(0);
    await expect(fetch(`${base}/healthz`)).rejects.toThrow();
  }, 120_000);
});

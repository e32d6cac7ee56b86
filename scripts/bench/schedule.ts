// Issue 7's "Scale": the bot with 4 upcoming watch parties and a daily quote stored for every server
// (10,000 and 2,500 over 2,500 servers), started and asked the same things as the same bot on an
// empty store, in the same run.
import { join } from 'node:path';
import { DateTime } from 'luxon';
import { TEST_TOKEN } from '../../harness/botProcess';
import type { DiscordStandin } from '../../harness/discord/standin';
import type { StandinGuild } from '../../harness/discord/types';
import { FILMS_DIR, readFilmFile } from '../../src/data/load';
import { translator } from '../../src/i18n';
import { createLogger } from '../../src/log';
import { eventDescription, eventName } from '../../src/replies/schedule';
import { nextDailyPost, parseClock } from '../../src/schedule/time';
import { openStorage } from '../../src/storage/keyv';
import { type NewParty, PartyStore } from '../../src/storage/parties';
import { RecordStore } from '../../src/storage/records';
import { SettingsStore } from '../../src/storage/settings';
import { actions, EXPECT, inFlight, type Shown } from './answers';
import { benchGuilds, type Cleanup, complaints, PLANNED_LINE, plannedAtStart, type Rig, scratchDir, startRig } from './harness';
import { type Kind, type LatencyOptions, type LatencySamples, measureLatency } from './latency';
import { type StartupRun, startOnce } from './startup';

export const PARTIES_PER_SERVER = 4;
/** The daily quotes' zones, one per server in turn: both hemispheres, offsets either side of UTC. */
const ZONES = ['UTC', 'Europe/Paris', 'America/New_York', 'Asia/Tokyo', 'Australia/Sydney', 'America/Los_Angeles'];
const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;
// Nothing may come due while the bench runs (a full run takes minutes): a step that ran would
// measure Discord calls, not the stored calendar. Parties start 2 hours to 300 days ahead (inside
// the bot's one-year limit, and past setTimeout's 24.8 days, which its timers re-arm across).
const NEAREST_MS = 2 * HOUR_MS;
const FARTHEST_MS = 300 * DAY_MS;
/** Daily quotes at a local time 3 to 20 hours from now (today's or tomorrow's, whichever comes first). */
const QUOTE_AHEAD_MS = { from: 3 * HOUR_MS, to: 20 * HOUR_MS };
// Spreads the n-th party or quote over its range without clustering any server's (the golden ratio's fractional part).
const spread = (n: number) => (n * 0.618_033_988_75) % 1;

const FILM = readFilmFile(join(FILMS_DIR, 'her-smell.json'));

export interface PlannedServer {
  guild: StandinGuild;
  parties: { startAt: number; pollAt: number }[];
  quote: { time: string; zone: string };
}

/** Every server's parties (the film's runtime long) and daily quote, as of `now`. */
export function calendar(guilds: readonly StandinGuild[], now: number): PlannedServer[] {
  return guilds.map((guild, i) => ({
    guild,
    parties: Array.from({ length: PARTIES_PER_SERVER }, (_, k) => {
      const startAt = roundToMinute(now + NEAREST_MS + spread(i * PARTIES_PER_SERVER + k) * (FARTHEST_MS - NEAREST_MS));
      return { startAt, pollAt: startAt + (FILM.runtimeMinutes ?? 120) * MINUTE_MS };
    }),
    quote: dailyQuote(i, now),
  }));
}

const roundToMinute = (at: number) => Math.ceil(at / MINUTE_MS) * MINUTE_MS;

/** The i-th server's daily quote: a local time some hours from now in one of ZONES, checked with the bot's own rule. */
function dailyQuote(i: number, now: number): PlannedServer['quote'] {
  const zone = ZONES[i % ZONES.length]!;
  const time = DateTime.fromMillis(now + QUOTE_AHEAD_MS.from + spread(i) * (QUOTE_AHEAD_MS.to - QUOTE_AHEAD_MS.from), { zone }).toFormat('HH:mm');
  // A DST change in between could move it; better to refuse than to post during the run.
  const next = nextDailyPost(parseClock(time)!, zone, now, { since: now });
  if (next.at - now < NEAREST_MS) throw new Error(`the daily quote at ${time} ${zone} would come due within ${NEAREST_MS / HOUR_MS} h`);
  return { time, zone };
}

/**
 * Puts the calendar where production has it: each party's event on the stand-in's calendar (Discord
 * sends a server's events with its GUILD_CREATE, which the bot asks for), then the parties with those
 * events' ids and the daily quotes in a fresh store, through the bot's own store classes.
 */
export async function seedCalendar(discord: DiscordStandin, storageUrl: string, planned: PlannedServer[], now: number): Promise<void> {
  const storage = await openStorage(storageUrl);
  try {
    // Warnings (a refused write) go to stderr with the bench's progress, not into its printed tables.
    const records = new RecordStore(storage.kv, createLogger('warn', [], process.stderr), { backend: storage.backend });
    const partyStore = new PartyStore(records);
    const settingsStore = new SettingsStore(records);
    let next = 0;
    await inFlight(planned.length, 20, async () => {
      const { guild, parties, quote } = planned[next++]!;
      const channel = guild.channels[0]!;
      await Promise.all(
        parties.map(async (times) => {
          const eventId = await createEvent(discord, guild, times);
          // As `/watchparty schedule` in that channel stores it, with the default poll duration.
          const party: NewParty = { filmId: FILM.id, film: { title: FILM.title, year: FILM.year }, hostId: guild.ownerId, channelId: channel.id, eventId, where: `in <#${channel.id}>`, ...times, pollDurationMs: HOUR_MS };
          await partyStore.add(guild.id, PartyStore.newId(), party, now);
        }),
      );
      await settingsStore.update(guild.id, (current) => ({ ...current, timezone: quote.zone, dailyQuote: { channelId: channel.id, time: quote.time, since: now } }));
    });
  } finally {
    await storage.close();
  }
}

/** The party's scheduled event, created over REST as the bot creates it (src/discord/channels.ts); resolves with its id. */
async function createEvent(discord: DiscordStandin, guild: StandinGuild, times: PlannedServer['parties'][number]): Promise<string> {
  const response = await fetch(`${discord.apiUrl}/v10/guilds/${guild.id}/scheduled-events`, {
    method: 'POST',
    headers: { authorization: `Bot ${TEST_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      name: eventName(translator('en'), FILM),
      description: eventDescription(translator('en'), FILM),
      scheduled_start_time: new Date(times.startAt).toISOString(),
      scheduled_end_time: new Date(times.pollAt).toISOString(),
      privacy_level: 2,
      entity_type: 3,
      entity_metadata: { location: `#${guild.channels[0]!.name}` },
    }),
  });
  if (!response.ok) throw new Error(`the stand-in refused a scheduled event: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { id: string }).id;
}

/**
 * Requests by which the bot acted on its own: a message posted in a channel (a starting message, a
 * poll, a daily quote) or a scheduled event changed. None may come: nothing is due during the run.
 */
function stepsRun(discord: DiscordStandin): number {
  return discord.requests.filter((r) => (r.method === 'POST' && /\/channels\/\d+\/messages$/.test(r.path)) || (r.method !== 'GET' && /\/scheduled-events\/\d+$/.test(r.path))).length;
}

export type Store = 'empty' | 'seeded';
/** In this order in every round, and in every round of interactions. */
export const STORES: Store[] = ['empty', 'seeded'];

export const storeLabel = (store: Store, servers: number) =>
  store === 'empty' ? 'on an empty store' : `with ${servers * PARTIES_PER_SERVER} parties and ${servers} daily quotes stored`;

export interface ScheduleStart extends StartupRun {
  store: Store;
  /** How long the stand-in's events and the store took to fill (before the spawn, not counted). */
  seedMs: number;
  stepsRun: number;
}

/** Fills the stand-in and the store (for the seeded store), and keeps the stand-in to look at later. */
function preparer(store: Store) {
  const prepared = { discord: undefined as DiscordStandin | undefined, seedMs: 0 };
  const prepare = async (discord: DiscordStandin, storageUrl: string) => {
    prepared.discord = discord;
    if (store === 'empty') return;
    const startedAt = performance.now();
    await seedCalendar(discord, storageUrl, calendar(discord.guilds, Date.now()), Date.now());
    prepared.seedMs = performance.now() - startedAt;
  };
  return { prepared, prepare };
}

/**
 * `rounds` starts of the bot on each store in turn (empty, seeded, empty…), each against a fresh
 * stand-in and store, exactly as the start-up section starts it; RSS settles from 'serving', since
 * the seeded bot has its timers to set after READY.
 */
export async function scheduleStartups(cleanup: Cleanup, servers: number, rounds: number, progress: (text: string) => void): Promise<ScheduleStart[]> {
  const runs: ScheduleStart[] = [];
  for (let round = 1; round <= rounds; round++) {
    for (const store of STORES) {
      progress(`schedule: the bot ${storeLabel(store, servers)}, ${servers} servers (round ${round} of ${rounds})`);
      const { prepared, prepare } = preparer(store);
      const run = await startOnce(cleanup, 'bot', servers, { prepare, settleFrom: 'serving', awaitPlanned: true });
      runs.push({ ...run, store, seedMs: prepared.seedMs, stepsRun: prepared.discord ? stepsRun(prepared.discord) : NaN });
    }
  }
  return runs;
}

export type Interaction = 'help' | 'film' | 'autocomplete' | 'status';
const INTERACTIONS: Interaction[] = ['help', 'film', 'autocomplete', 'status'];

export interface ScheduleLatency {
  /** The server the interactions came from (a seeded one). */
  guildId: string;
  samples: Record<Store, Record<Interaction, LatencySamples>>;
  bots: { store: Store; planned: ReturnType<typeof plannedAtStart>; stepsRun: number; exitCode: number | null; complaints: string[] }[];
}

/** /watchparty status lists the server's parties: all of them on the seeded store, none on the empty one. */
const STATUS: Record<Store, (shown: Shown) => boolean> = {
  seeded: (shown) => shown.embeds?.[0]?.title === 'Upcoming watch parties' && String(shown.embeds[0].description).split('\n').length === PARTIES_PER_SERVER,
  empty: (shown) => /^No polls are open/.test(shown.content ?? ''),
};

/**
 * Both bots at once, each with its own stand-in of `servers` servers, asked from the same server in
 * turn: the kinds of both are interleaved in each round, so that drift in the machine's load hits
 * both stores alike.
 */
export async function scheduleLatency(cleanup: Cleanup, servers: number, options: LatencyOptions, progress: (text: string) => void): Promise<ScheduleLatency> {
  const guilds = benchGuilds(servers);
  const guild = guilds[Math.floor(servers / 2)]!;
  const rigs: Partial<Record<Store, Rig>> = {};
  const bots: ScheduleLatency['bots'] = [];
  let measured: Record<`${Store}.${Interaction}`, LatencySamples>;
  try {
    for (const store of STORES) {
      progress(`schedule latency: starting the bot ${storeLabel(store, servers)}, ${servers} servers`);
      const storageUrl = `sqlite://${join(scratchDir(cleanup, 'reelside-bench-'), 'bot.sqlite')}`;
      const { prepare } = preparer(store);
      rigs[store] = await startRig(cleanup, { guilds, storageUrl, prepare: (discord) => prepare(discord, storageUrl), readyTimeoutMs: 180_000 });
      // Measured once every timer is set: the planning after 'serving' is timed by the start-up runs.
      await rigs[store]!.bot.waitForLog((line) => line.msg === PLANNED_LINE, 180_000);
    }
    progress(`schedule latency: ${options.samples} samples of each interaction on each bot, ${options.concurrency} in flight`);
    const kinds = Object.fromEntries(STORES.flatMap((store) => Object.entries(kindsOf(rigs[store]!.discord, guild, store)).map(([kind, k]) => [`${store}.${kind}`, k]))) as Record<`${Store}.${Interaction}`, Kind>;
    measured = await measureLatency(kinds, options);
  } finally {
    for (const store of STORES) {
      const rig = rigs[store];
      if (!rig) continue;
      const exitCode = await rig.close();
      bots.push({ store, planned: plannedAtStart(rig.bot), stepsRun: stepsRun(rig.discord), exitCode, complaints: complaints(rig.bot) });
    }
  }
  const samples = Object.fromEntries(STORES.map((store) => [store, Object.fromEntries(INTERACTIONS.map((kind) => [kind, measured[`${store}.${kind}`]]))])) as ScheduleLatency['samples'];
  return { guildId: guild.id, samples, bots };
}

function kindsOf(discord: DiscordStandin, guild: StandinGuild, store: Store): Record<Interaction, Kind> {
  const act = actions(discord, guild);
  return {
    help: { send: (i) => act.help(2 + (i % 50)), expect: EXPECT.help },
    film: { send: (i) => act.film(2 + (i % 50)), expect: EXPECT.film },
    autocomplete: { send: (i) => act.autocomplete(2 + (i % 50)), expect: EXPECT.autocomplete },
    status: { send: (i) => act.status(2 + (i % 50)), expect: STATUS[store] },
  };
}

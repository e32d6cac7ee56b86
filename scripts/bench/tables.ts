// The printed tables, one per section, built from the sections' results.
import type { AtOnce } from './answers';
import type { HelpThenVotes } from './atOnce';
import type { GrowthRun } from './growth';
import type { LatencySamples } from './latency';
import { fixed, mb, median, ratio, type Stats, stats, table } from './report';
import { type Interaction, PARTIES_PER_SERVER, type ScheduleLatency, type ScheduleStart, type Store, STORES, storeLabel } from './schedule';
import type { ReviewsKind, ReviewsRun } from './reviews';
import type { Size } from './storeSize';
import type { StartupRun } from './startup';
import type { TmdbRun } from './tmdb';

const range = (xs: number[], show: (x: number) => string) => `${show(median(xs))} (${xs.map(show).join(', ')})`;
const p50p99max = (s: Stats) => `${fixed(s.p50)} / ${fixed(s.p99)} / ${fixed(s.max)}`;
const count = (n: number | undefined) => (n === undefined ? '–' : String(n));

export function startupTable(runs: StartupRun[], servers: number): string {
  const of = (client: StartupRun['client']) => runs.filter((run) => run.client === client);
  const clients = [of('bare'), of('bare+caches'), of('bot')];
  const row = (label: string, cell: (rs: StartupRun[]) => string) => [label, ...clients.map(cell)];
  return table(
    `1. Start-up and memory, ${servers} servers (each with one channel): median (each run), the clients started in turn`,
    ['', 'bare discord.js client', "… with the bot's cache options (info)", 'Reelside bot'],
    [
      row('servers seen at READY', (rs) => rs.map((r) => r.guildsAtReady).join(', ')),
      row('spawn → READY, ms', (rs) => range(rs.map((r) => r.spawnToReadyMs), (x) => fixed(x))),
      row('RSS at READY, MB', (rs) => range(rs.map((r) => r.rssAtReadyKb), mb)),
      row('RSS 2 s after READY, MB', (rs) => range(rs.map((r) => r.rssSettledKb), mb)),
    ],
  );
}

export function latencyTable(lat: Record<string, LatencySamples>, labels: Record<string, string>, title: string): string {
  const floor = stats(lat.help?.samples ?? []);
  const rows = Object.entries(lat).map(([kind, { samples, problems }]) => {
    const s = stats(samples);
    return [labels[kind] ?? kind, String(s.n), fixed(s.p50), fixed(s.p99), fixed(s.max), ratio(s.p50, floor.p50), ratio(s.p99, floor.p99), String(problems.length)];
  });
  return table(title, ['interaction', 'n', 'p50', 'p99', 'max', 'p50 ÷ /help', 'p99 ÷ /help', 'problems'], rows);
}

export function atOnceTable(runs: HelpThenVotes[]): string {
  const row = (label: string, cell: (run: HelpThenVotes) => string) => [label, ...runs.map(cell)];
  const both = (label: string, cell: (a: AtOnce, run: HelpThenVotes) => string): string[][] => [row(`/help: ${label}`, (r) => cell(r.help, r)), row(`votes: ${label}`, (r) => cell(r.votes, r))];
  return table(
    '3. Members acting at once on one bot process: /help (no storage, the floor), then a vote each on one poll',
    ['', ...runs.map((run) => `${run.members} at once, ${run.backend}`)],
    [
      ...both('answered per second (first dispatch → last answer)', (a) => fixed(a.perSec)),
      ...both('answered / within 3 s / late / deferred', (a) => `${a.answered} / ${a.withinDeadline} / ${a.late} / ${a.deferred}`),
      ...both('latency p50 / p99 / max, ms', (a) => p50p99max(a.latency)),
      row('votes/s ÷ /help per s', (r) => ratio(r.votes.perSec, r.help.perSec)),
      ...both('the stand-in sending them all, ms', (a) => fixed(a.dispatchMs)),
      row('votes counted: poll message / status', (r) => `${count(r.pollMessageCount)} / ${count(r.statusCount)}`),
      row('raw keyv writes/s at once / one by one (info)', (r) => (r.raw ? `${fixed(r.raw.concurrentPerSec)} / ${fixed(r.raw.sequentialPerSec)}` : '–')),
    ],
  );
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
const size = (s: Size | undefined) => (s ? `${kb(s.valueBytes)} in ${s.keys} key${s.keys === 1 ? '' : 's'}, the record itself ${kb(s.recordBytes)} (keys: ${kb(s.keyBytes)} more)` : '–');

export function growthTable(run: GrowthRun, window: number): string {
  const rows = [
    ['votes sent / per second / most behind schedule', `${run.votes} / ${fixed(run.sentPerSec)} / ${fixed(run.maxScheduleLagMs)} ms`],
    ["the stand-in's event-loop delay p99 / max (answers timed that late); its heap", `${fixed(run.standin.delayP99Ms)} / ${fixed(run.standin.delayMaxMs)} ms; ${fixed(run.standin.heapMb)} MB`],
    ['answered / late (> 3 s) / deferred', `${run.answered} / ${run.late} / ${run.deferred}`],
    [`first ${window} votes: p50 / p99 / max, ms`, p50p99max(run.first)],
    [`last ${window} votes: p50 / p99 / max, ms`, p50p99max(run.last)],
    ...run.slices.map((slice) => [`  votes ${slice.from + 1}–${slice.to}: p50 / p99 / max`, p50p99max(slice.stats)]),
    ['bot RSS before the feed → after it, MB', `${mb(run.rssBeforeKb)} → ${mb(run.rssAfterKb)}`],
    ['votes counted: poll message / status / film card ratings', `${count(run.pollMessageCount)} / ${count(run.statusCount)} / ${count(run.filmCardCount)}`],
    ['stored: the poll', size(run.size?.poll)],
    ["stored: the film's ratings", size(run.size?.ratings)],
    ['stored: the rest of the server', size(run.size?.otherInServer)],
  ];
  return table(`4. Growth: one poll fed a steady stream of votes by distinct members`, ['', run.backend], rows);
}

export function growthLatencyTable(run: GrowthRun, labels: Record<string, string>, title: string): string {
  const help = stats(run.after.help.samples);
  const rows = (['help', 'film', 'status'] as const).map((kind) => {
    const [before, after] = [stats(run.before[kind].samples), stats(run.after[kind].samples)];
    return [labels[kind] ?? kind, `${fixed(before.p50)} / ${fixed(before.p99)}`, `${fixed(after.p50)} / ${fixed(after.p99)}`, ratio(after.p99, before.p99), ratio(after.p99, help.p99)];
  });
  return table(title, ['interaction', 'empty: p50 / p99', 'full: p50 / p99', 'full ÷ empty p99', 'full p99 ÷ /help'], rows);
}

export function tmdbColdTable(run: TmdbRun, coldTmdbMs: number): string {
  const { cold } = run;
  const s = stats(cold.latencies);
  const rows = [
    ['TMDB requests while warm: first asks / measured asks (none: the cache answers)', `${run.requestsWarmingUp} / ${run.requestsWhileWarm}`],
    ['cold: autocompletes of new titles sent / answered / within 3 s', `${cold.sent} / ${cold.answered} / ${cold.withinDeadline}`],
    ['cold: dispatch → choices shown, p50 / p99 / max, ms', p50p99max(s)],
    ['cold: TMDB requests they caused / answered by TMDB in the end', `${cold.requests} / ${cold.requestsAnswered}`],
    ['cold titles asked again once TMDB had answered: with TMDB films / new TMDB requests', `${cold.again.withTmdbFilms} of ${cold.sent} / ${cold.again.requests}`],
  ];
  return table(`   TMDB requests, and cold autocompletes: titles nobody asked before, with the stand-in taking ${coldTmdbMs / 1000} s to answer`, ['', 'SQLite'], rows);
}

export function scheduleStartupTable(runs: ScheduleStart[], servers: number): string {
  const of = (store: Store) => runs.filter((run) => run.store === store);
  const [empty, seeded] = STORES.map(of) as [ScheduleStart[], ScheduleStart[]];
  /** A figure of each start: both stores' medians (each start), and seeded ÷ empty of the medians or, for memory, their difference. */
  const row = (label: string, figure: (r: ScheduleStart) => number, show: (x: number) => string, compare: 'ratio' | 'difference') => {
    const [a, b] = [median(empty.map(figure)), median(seeded.map(figure))];
    return [label, range(empty.map(figure), show), range(seeded.map(figure), show), compare === 'ratio' ? ratio(b, a) : `${b >= a ? '+' : ''}${show(b - a)}`];
  };
  const counts = (rs: ScheduleStart[]) => rs.map((r) => `${count(r.planned.parties)} / ${count(r.planned.dailyQuotes)}`).join(', ');
  return table(
    `6. Watch parties and daily quotes stored: start-up and memory of the bot, ${servers} servers, median (each start), the stores started in turn`,
    ['', 'empty store', storeLabel('seeded', servers).replace(/^with /, ''), 'seeded ÷ empty'],
    [
      ['servers seen at READY', empty.map((r) => r.guildsAtReady).join(', '), seeded.map((r) => r.guildsAtReady).join(', '), ''],
      ["planned at start-up (the bot's log): parties / daily quotes", counts(empty), counts(seeded), ''],
      row('spawn → READY, ms', (r) => r.spawnToReadyMs, (x) => fixed(x), 'ratio'),
      row('READY → serving (commands, poll timers), ms', (r) => r.spawnToServingMs - r.spawnToReadyMs, (x) => fixed(x), 'ratio'),
      row('spawn → serving, ms (the goal: members are answered from here)', (r) => r.spawnToServingMs, (x) => fixed(x), 'ratio'),
      row('then: every party and daily quote planned (in the background, a slice of servers at a time), ms', (r) => r.planned.ms ?? NaN, (x) => fixed(x), 'ratio'),
      row('RSS at serving, MB', (r) => r.rssAtServingKb, mb, 'difference'),
      row('RSS 2 s after serving, MB', (r) => r.rssSettledKb, mb, 'difference'),
      ['filling the stand-in and the store before the spawn (not counted), s', '–', range(seeded.map((r) => r.seedMs / 1000), (x) => fixed(x, 1)), ''],
    ],
  );
}

const SCHEDULE_LABELS: Record<Interaction, string> = {
  help: '/help (the floor: static reply, no storage)',
  film: '/film title:her-smell',
  autocomplete: '/film autocomplete "her"',
  status: `/watchparty status (info: the server's ${PARTIES_PER_SERVER} parties, or none)`,
};

export function scheduleLatencyTable(run: ScheduleLatency, servers: number, title: string): string {
  const help = stats(run.samples.seeded.help.samples);
  const rows = (Object.keys(SCHEDULE_LABELS) as Interaction[]).map((kind) => {
    const [empty, seeded] = [stats(run.samples.empty[kind].samples), stats(run.samples.seeded[kind].samples)];
    const problems = run.samples.empty[kind].problems.length + run.samples.seeded[kind].problems.length;
    return [SCHEDULE_LABELS[kind], `${fixed(empty.p50)} / ${fixed(empty.p99)}`, `${fixed(seeded.p50)} / ${fixed(seeded.p99)}`, ratio(seeded.p99, empty.p99), ratio(seeded.p99, help.p99), String(problems)];
  });
  return table(title, ['interaction', 'empty: p50 / p99', `${storeLabel('seeded', servers).replace(/^with /, '')}: p50 / p99`, 'seeded ÷ empty p99', 'seeded p99 ÷ /help', 'problems'], rows);
}

export function reviewsLabels(run: ReviewsRun): Record<ReviewsKind, string> {
  return {
    help: '/help (the floor: static reply, no storage)',
    first: '/reviews film:her-smell (page 1, newest first)',
    last: `page button to page ${run.pages} of ${run.pages} (the oldest)`,
    second: 'page button to page 2 (info)',
  };
}

export function reviewsStoreTable(run: ReviewsRun): string {
  const rows = [
    ['reviews / pages of five', `${run.reviews} / ${run.pages}`],
    ["stored: the film's review index and its reviews", size(run.size)],
    ['storing them through ReviewStore before the spawn (not counted), s', fixed(run.seedMs / 1000, 1)],
  ];
  return table('   What the store holds', ['', 'SQLite'], rows);
}

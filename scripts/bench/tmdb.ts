// TMDB as a film source: /film autocomplete against the loopback TMDB stand-in, warm (every query cached) beside /help, then cold with TMDB slower than Discord's deadline.
import { join } from 'node:path';
import type { InteractionHandle } from '../../harness/discord/types';
import { STANDIN_FILMS, startTmdbStandin, type TmdbRequestLogEntry, type TmdbStandin } from '../../harness/tmdb/standin';
import { normalizeTitle } from '../../src/data/normalize';
import { TMDB_FILM_PREFIX } from '../../src/films/model';
import { MIN_TMDB_QUERY_LENGTH } from '../../src/films/tmdbFilms';
import { actions, type Answer, answerCounts, answerOf, ANSWER_TIMEOUT_MS, EXPECT, inFlight, problemsOf, suggestsTmdbFilm } from './answers';
import { benchGuilds, type Cleanup, complaints, scratchDir, startRig } from './harness';
import { type LatencyOptions, type LatencySamples, measureLatency } from './latency';

/** The stand-in's delay while warm: a quick TMDB, which a warm cache should not be asking anyway. */
export const WARM_TMDB_MS = 50;
/** The stand-in's delay while cold: beyond Discord's 3 s, so an answer in time cannot have waited for TMDB. */
export const COLD_TMDB_MS = 5_000;
/** Cold autocompletes in flight at once: a few members typing, so slow TMDB requests pile up as they would. */
const COLD_IN_FLIGHT = 5;

/**
 * What members type, and the TMDB film each must be offered. A bundled film of the same title and
 * year would stand in for TMDB's (none of these is bundled), so an answer without TMDB's film is a
 * wrong answer here, not a fast one.
 */
const WARM_TITLES: { typed: string; title: string; year?: string }[] = [
  { typed: 'fight', title: 'Fight Club' },
  { typed: 'matrix', title: 'The Matrix' },
  { typed: 'alien', title: 'Alien' },
  { typed: 'jaws', title: 'Jaws' },
  { typed: 'casablanca', title: 'Casablanca' },
  { typed: 'whiplash', title: 'Whiplash' },
  { typed: 'arrival', title: 'Arrival' },
  { typed: 'moonlight', title: 'Moonlight' },
  { typed: 'godfather', title: 'The Godfather' },
  { typed: 'mad max', title: 'Mad Max: Fury Road' },
  { typed: 'amelie', title: 'Amélie' },
  { typed: 'psycho', title: 'Psycho', year: '1960' },
];

export interface WarmQuery {
  typed: string;
  tmdbId: number;
}

/** WARM_TITLES with the stand-in's ids (looked up, so a change to its films fails here, not as wrong answers). */
export function warmQueries(): WarmQuery[] {
  return WARM_TITLES.map(({ typed, title, year }) => {
    const film = STANDIN_FILMS.find((candidate) => candidate.title === title && (!year || candidate.releaseDate.startsWith(year)));
    if (!film) throw new Error(`the TMDB stand-in does not know ${title}${year ? ` (${year})` : ''}`);
    return { typed, tmdbId: film.id };
  });
}

/**
 * `count` queries nobody has asked: prefixes of the stand-in's titles a keystroke at a time, one
 * film after another, each at least MIN_TMDB_QUERY_LENGTH long (shorter ones never reach TMDB)
 * and distinct once normalized (the cache and the bot's shared requests go by the normalized query).
 */
export function coldQueries(count: number, asked: string[]): string[] {
  const seen = new Set(asked.map(normalizeTitle));
  const titles = [...new Set(STANDIN_FILMS.map((film) => normalizeTitle(film.title)))];
  const queries: string[] = [];
  for (let length = MIN_TMDB_QUERY_LENGTH; queries.length < count; length++) {
    const longEnough = titles.filter((title) => title.length >= length);
    if (longEnough.length === 0) throw new Error(`the stand-in's titles give only ${queries.length} distinct queries, not ${count}`);
    for (const title of longEnough) {
      const query = normalizeTitle(title.slice(0, length));
      if (query.length < MIN_TMDB_QUERY_LENGTH || seen.has(query)) continue;
      seen.add(query);
      queries.push(query);
      if (queries.length === count) break;
    }
  }
  return queries;
}

export interface TmdbRun {
  queries: WarmQuery[];
  /** /help and the warm autocompletes, interleaved in one measurement. */
  warm: Record<'help' | 'autocomplete', LatencySamples>;
  warmupProblems: string[];
  /** TMDB requests while each warm query was asked the first time (one per query). */
  requestsWarmingUp: number;
  /** TMDB requests while the warm queries were measured: none when the cache answered them all. */
  requestsWhileWarm: number;
  cold: ColdRun;
  exitCode: number | null;
  complaints: string[];
}

export interface ColdRun {
  sent: number;
  /** Dispatch → choices shown, for each answered one. */
  latencies: number[];
  answered: number;
  withinDeadline: number;
  problems: string[];
  /** TMDB requests the cold autocompletes caused (one per query), and how many of them TMDB answered in the end. */
  requests: number;
  requestsAnswered: number;
  /** The same queries asked again once TMDB had answered: how many offered TMDB films, and the TMDB requests they took (none: the late answers were cached). */
  again: { withTmdbFilms: number; requests: number; problems: string[] };
}

export interface TmdbOptions {
  samples: number;
  latency: Omit<LatencyOptions, 'samples'>;
  coldAutocompletes: number;
}

export async function tmdbRun(cleanup: Cleanup, options: TmdbOptions, progress: (text: string) => void): Promise<TmdbRun> {
  const guild = benchGuilds(1)[0]!;
  const tmdb = await startTmdbStandin({ latencyMs: WARM_TMDB_MS });
  const closeTmdb = cleanup.add('TMDB stand-in', () => tmdb.close());
  // A deadline past Discord's 3 s: a late cold answer is still timed (and fails the goal) instead of vanishing.
  const rig = await startRig(cleanup, {
    guilds: [guild],
    storageUrl: `sqlite://${join(scratchDir(cleanup, 'reelside-bench-'), 'bot.sqlite')}`,
    env: { TMDB_TOKEN: tmdb.token, TMDB_API_URL: tmdb.url },
    interactionDeadlineMs: ANSWER_TIMEOUT_MS,
  });
  const act = actions(rig.discord, guild);
  const queries = warmQueries();
  let result: Omit<TmdbRun, 'exitCode' | 'complaints'>;
  try {
    progress(`tmdb: ${queries.length} titles asked once (TMDB at ${WARM_TMDB_MS} ms), then ${options.samples} samples each of /help and of their autocomplete`);
    const warmupProblems: string[] = [];
    const before = tmdb.requests.length;
    // One at a time: each query's first ask is the one that fills the cache.
    for (const [i, query] of queries.entries()) {
      const answer = await answerOf(act.autocomplete(2 + i, query.typed), suggestsTmdbFilm(query.tmdbId));
      if (answer.problem) warmupProblems.push(`"${query.typed}": ${answer.problem}`);
    }
    const warmedUp = tmdb.requests.length;
    const queryOf = (i: number) => queries[i % queries.length]!;
    const warm = await measureLatency(
      {
        help: { send: (i) => act.help(2 + (i % 50)), expect: EXPECT.help },
        autocomplete: { send: (i) => act.autocomplete(2 + (i % 50), queryOf(i).typed), expect: (shown, i) => suggestsTmdbFilm(queryOf(i).tmdbId)(shown) },
      },
      { samples: options.samples, ...options.latency },
    );
    const requestsWhileWarm = tmdb.requests.length - warmedUp;

    progress(`tmdb: ${options.coldAutocompletes} autocompletes of new titles with TMDB at ${COLD_TMDB_MS / 1000} s, ${COLD_IN_FLIGHT} in flight, then the same again once TMDB has answered`);
    const cold = await coldRun(tmdb, (n, typed) => act.autocomplete(n, typed), coldQueries(options.coldAutocompletes, queries.map((q) => q.typed)));
    result = { queries, warm, warmupProblems, requestsWarmingUp: warmedUp - before, requestsWhileWarm, cold };
  } finally {
    await rig.close();
    await closeTmdb();
  }
  return { ...result, exitCode: await rig.bot.exited, complaints: complaints(rig.bot) };
}

/** Cold autocompletes with TMDB slower than Discord's deadline, then the same titles again once TMDB's late answers are in. */
async function coldRun(tmdb: TmdbStandin, autocomplete: (n: number, typed: string) => InteractionHandle, queries: string[]): Promise<ColdRun> {
  tmdb.latencyMs = COLD_TMDB_MS;
  const from = tmdb.requests.length;
  const answers: Answer[] = [];
  let next = 0;
  await inFlight(queries.length, COLD_IN_FLIGHT, async () => {
    const i = next++;
    answers.push(await answerOf(autocomplete(100 + i, queries[i]!), EXPECT.choices));
  });
  const requests = tmdb.requests.slice(from);

  // The bot stopped waiting at its cutoff; its requests run on and should land in the cache.
  await answered(requests, COLD_TMDB_MS + 5_000);
  // The bot writes the answer to storage after reading it: give that write a moment before asking again.
  await new Promise((resolve) => setTimeout(resolve, 500));
  const againFrom = tmdb.requests.length;
  let withTmdbFilms = 0;
  const againAnswers: Answer[] = [];
  for (const [i, typed] of queries.entries()) {
    const answer = await answerOf(autocomplete(200 + i, typed), (shown) => {
      if (shown.choices?.some((choice) => String(choice.value).startsWith(TMDB_FILM_PREFIX))) withTmdbFilms++;
      return EXPECT.choices(shown);
    });
    againAnswers.push(answer);
  }
  const counts = answerCounts(answers);
  return {
    sent: queries.length,
    latencies: answers.filter((a) => a.ok).map((a) => a.latencyMs),
    answered: counts.answered,
    withinDeadline: counts.withinDeadline,
    problems: problemsOf(answers),
    requests: requests.length,
    requestsAnswered: requests.filter((r) => r.status === 200).length,
    again: { withTmdbFilms, requests: tmdb.requests.length - againFrom, problems: problemsOf(againAnswers) },
  };
}

/** Waits until TMDB has answered these requests, at most `timeoutMs` (a request the bot gave up on is never answered). */
async function answered(requests: TmdbRequestLogEntry[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (requests.some((r) => r.answeredAt === undefined) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
}


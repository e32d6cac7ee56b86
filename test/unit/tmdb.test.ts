// The TMDB client against the loopback TMDB stand-in: card model, typed failures, 429 retries, aborts and outages.
import { inspect } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { STANDIN_FILMS, type StandinFilm, type TmdbStandin, startTmdbStandin } from '../../harness/tmdb/standin';
import { createLogger } from '../../src/log';
import {
  MAX_RATE_LIMIT_RETRIES,
  TmdbAuthError,
  TmdbClient,
  type TmdbClientOptions,
  TmdbMalformedError,
  TmdbNotFoundError,
  TmdbUnavailableError,
  retryAfterMs,
} from '../../src/data/tmdb/client';

const TOKEN = 'tmdb-read-token-3c9f1a7e5b';

let tmdb: TmdbStandin;
const standins: TmdbStandin[] = [];

async function standin(films?: readonly StandinFilm[]): Promise<TmdbStandin> {
  const started = await startTmdbStandin({ token: TOKEN, ...(films ? { films } : {}) });
  standins.push(started);
  return started;
}

function client(options: Partial<TmdbClientOptions> = {}, on: TmdbStandin = tmdb): TmdbClient {
  return new TmdbClient({ token: TOKEN, apiUrl: on.url, timeoutMs: 10_000, ...options });
}

/** The rejection of `promise`, failing the test if it resolves. */
async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    (value) => expect.fail(`expected a rejection, got ${JSON.stringify(value)}`),
    (error: unknown) => error,
  );
}

beforeEach(async () => {
  tmdb = await standin();
});

afterEach(async () => {
  await Promise.all(standins.splice(0).map((s) => s.close()));
});

describe('searchMovies', () => {
  it('finds films by title, with year and original title', async () => {
    const results = await client().searchMovies('fight club');
    expect(results[0]).toEqual({ tmdbId: 550, title: 'Fight Club', originalTitle: 'Fight Club', year: 1999 });
    expect(tmdb.requests).toMatchObject([{ method: 'GET', path: '/3/search/movie', query: { query: 'fight club', include_adult: 'false' }, status: 200 }]);
  });

  it('sends accents and non-Latin titles intact', async () => {
    expect(await client().searchMovies('Amélie')).toEqual([{ tmdbId: 194, title: 'Amélie', originalTitle: "Le Fabuleux Destin d'Amélie Poulain", year: 2001 }]);
    expect((await client().searchMovies('spirited away'))[0]?.originalTitle).toBe('千と千尋の神隠し');
  });

  it('lists every match, e.g. both films titled Psycho', async () => {
    const results = await client().searchMovies('psycho');
    expect(results.map((r) => `${r.title} (${r.year})`)).toEqual(['Psycho (1960)', 'Psycho (1998)']);
  });

  it('returns no results for a film TMDB does not know', async () => {
    expect(await client().searchMovies('Paddington 2')).toEqual([]);
    expect(tmdb.requests).toHaveLength(1);
  });

  it('asks nothing for a blank query', async () => {
    expect(await client().searchMovies('   ')).toEqual([]);
    expect(tmdb.requests).toHaveLength(0);
  });
});

describe('movieDetails', () => {
  it('builds the card model: credits with roles, directors, genres and votes', async () => {
    const card = await client().movieDetails(550);
    expect(card).toEqual({
      tmdbId: 550,
      title: 'Fight Club',
      originalTitle: 'Fight Club',
      year: 1999,
      runtimeMinutes: 139,
      directors: ['David Fincher'],
      cast: [
        { name: 'Edward Norton', role: 'The Narrator' },
        { name: 'Brad Pitt', role: 'Tyler Durden' },
        { name: 'Helena Bonham Carter', role: 'Marla Singer' },
        { name: 'Meat Loaf', role: 'Robert Paulson' },
        { name: 'Jared Leto', role: 'Angel Face' },
      ],
      synopsis: STANDIN_FILMS.find((film) => film.id === 550)?.overview,
      genres: ['Drama', 'Thriller'],
      voteAverage: 8.4,
      voteCount: 31000,
    });
    expect(tmdb.requests).toMatchObject([{ path: '/3/movie/550', query: { append_to_response: 'credits' } }]);
  });

  it('keeps only crew credited as Director, all of them', async () => {
    const card = await client().movieDetails(603);
    expect(card.directors).toEqual(['Lana Wachowski', 'Lilly Wachowski']);
  });

  it("turns TMDB's unknowns into absent fields and keeps the top ten billed", async () => {
    const cast = Array.from({ length: 12 }, (_, i) => ({ name: `Player ${i + 1}`, character: i === 0 ? '' : `Role ${i + 1}` }));
    const unknown: StandinFilm = { id: 9_000_001, title: 'Untitled Project', releaseDate: '', runtime: null, directors: [], cast, overview: '', genres: ['Drama'], voteAverage: 0, voteCount: 0 };
    const zeroRuntime: StandinFilm = { ...unknown, id: 9_000_002, title: 'Short Notice', releaseDate: '2031-01-01', runtime: 0 };
    const films = await standin([unknown, zeroRuntime]);

    const card = await client({}, films).movieDetails(unknown.id);
    expect(card).toEqual({ tmdbId: unknown.id, title: 'Untitled Project', originalTitle: 'Untitled Project', directors: [], cast: expect.any(Array), genres: ['Drama'], voteAverage: 0, voteCount: 0 });
    expect(card.cast).toHaveLength(10);
    expect(card.cast[0]).toEqual({ name: 'Player 1' });
    expect(card.cast[9]).toEqual({ name: 'Player 10', role: 'Role 10' });

    const short = await client({}, films).movieDetails(zeroRuntime.id);
    expect(short.year).toBe(2031);
    expect(short.runtimeMinutes).toBeUndefined();
  });

  it('throws TmdbNotFoundError for an id TMDB does not know', async () => {
    const error = await rejection(client().movieDetails(999_999_999));
    expect(error).toBeInstanceOf(TmdbNotFoundError);
    expect((error as TmdbNotFoundError).path).toBe('/3/movie/999999999');
  });

  it('refuses an id that cannot be a TMDB id without asking', async () => {
    await expect(client().movieDetails(-1)).rejects.toThrow(RangeError);
    await expect(client().movieDetails(1.5)).rejects.toThrow(RangeError);
    expect(tmdb.requests).toHaveLength(0);
  });
});

describe('a refused token', () => {
  it('is a TmdbAuthError that shows the token nowhere', async () => {
    const wrong = 'tmdb-wrong-token-8d2b44c1aa';
    const lines: string[] = [];
    const log = createLogger('trace', [], { write: (line: string) => void lines.push(line) });
    const error = await rejection(client({ token: wrong, log }).movieDetails(550));

    expect(error).toBeInstanceOf(TmdbAuthError);
    expect(error).toMatchObject({ status: 401, tmdbStatusCode: 7 });
    const seen = [String(error), (error as Error).stack, inspect(error, { depth: 10 }), JSON.stringify(error), ...lines].join('\n');
    expect(lines.length).toBeGreaterThan(0);
    expect(seen).not.toContain(wrong);
    expect(seen).not.toContain(TOKEN);
    expect(JSON.stringify(tmdb.requests)).not.toContain(wrong);
  });

  it('is never sent in a URL', async () => {
    await client().searchMovies('alien');
    await client().movieDetails(348);
    expect(JSON.stringify(tmdb.requests)).not.toContain(TOKEN);
    expect(tmdb.requests.every((r) => !('api_key' in r.query))).toBe(true);
  });

  it('stays out of the client when it is inspected or serialized', () => {
    const c = client();
    expect(inspect(c, { depth: 10, showHidden: true })).not.toContain(TOKEN);
    expect(JSON.stringify(c)).not.toContain(TOKEN);
  });
});

describe('a malformed answer', () => {
  it('is a TmdbMalformedError naming the wrong fields, not the body', async () => {
    tmdb.malformNext();
    const error = await rejection(client().movieDetails(550));
    expect(error).toBeInstanceOf(TmdbMalformedError);
    const { issues, message } = error as TmdbMalformedError;
    expect(issues.map((issue) => issue.split(':')[0])).toEqual(expect.arrayContaining(['runtime', 'vote_average', 'credits.cast[0].character']));
    expect(message).not.toContain('insomniac');
    expect(message).not.toContain('139 minutes');
  });

  it('is a TmdbMalformedError for a search too', async () => {
    tmdb.malformNext();
    const error = await rejection(client().searchMovies('fight club'));
    expect(error).toBeInstanceOf(TmdbMalformedError);
    expect((error as TmdbMalformedError).issues[0]).toMatch(/^results\[0\]\.id: /);
  });

  it('is a TmdbMalformedError when the body is not JSON', async () => {
    tmdb.malformNext('json');
    const error = await rejection(client().movieDetails(550));
    expect(error).toBeInstanceOf(TmdbMalformedError);
    expect((error as TmdbMalformedError).issues).toEqual(['the body is not JSON']);
  });
});

describe('HTTP 429', () => {
  it('waits as Retry-After says, then retries and succeeds', async () => {
    tmdb.failNext(429, { retryAfter: 1 });
    const results = await client().searchMovies('fight club');
    expect(results[0]?.tmdbId).toBe(550);

    const [limited, retry] = tmdb.requests;
    expect(tmdb.requests.map((r) => r.status)).toEqual([429, 200]);
    expect(retry!.at - limited!.answeredAt!).toBeGreaterThanOrEqual(990);
  });

  it('does not hold up other calls while one waits', async () => {
    tmdb.failNext(429, { retryAfter: 1 });
    const waiting = client().movieDetails(550);
    await tmdb.waitForRequests(1);
    const other = await client().movieDetails(603);
    expect(other.title).toBe('The Matrix');
    await waiting;

    expect(tmdb.requests.map((r) => `${r.path} ${r.status}`)).toEqual(['/3/movie/550 429', '/3/movie/603 200', '/3/movie/550 200']);
    expect(tmdb.requests[1]!.answeredAt!).toBeLessThan(tmdb.requests[2]!.at);
  });

  it(`gives up after ${MAX_RATE_LIMIT_RETRIES} retries`, async () => {
    for (let i = 0; i <= MAX_RATE_LIMIT_RETRIES; i++) tmdb.failNext(429, { retryAfter: 0 });
    const error = await rejection(client().searchMovies('jaws'));
    expect(error).toBeInstanceOf(TmdbUnavailableError);
    expect(error).toMatchObject({ status: 429 });
    expect(tmdb.requests).toHaveLength(MAX_RATE_LIMIT_RETRIES + 1);
  });

  it('fails at once when the wait would outlast the call', async () => {
    tmdb.failNext(429, { retryAfter: 30 });
    const error = await rejection(client({ timeoutMs: 5_000 }).searchMovies('jaws'));
    expect(error).toBeInstanceOf(TmdbUnavailableError);
    expect(tmdb.requests).toHaveLength(1);
  });

  it("ends the wait when the caller's signal fires", async () => {
    tmdb.failNext(429, { retryAfter: 20 });
    const controller = new AbortController();
    const call = client({ timeoutMs: 60_000 }).searchMovies('jaws', { signal: controller.signal });
    await tmdb.waitForRequests(1);
    controller.abort();
    const error = await rejection(call);
    expect(error).toMatchObject({ name: 'AbortError' });
    expect(tmdb.requests).toHaveLength(1);
  });
});

describe('slow or missing TMDB', () => {
  it("rejects promptly when the caller's signal fires, long before a slow answer", async () => {
    tmdb.latencyMs = 5_000;
    const started = Date.now();
    const error = await rejection(client().searchMovies('fight club', { signal: AbortSignal.timeout(1_500) }));
    expect(error).toMatchObject({ name: 'TimeoutError' });
    expect(Date.now() - started).toBeLessThan(4_000);
    expect(tmdb.requests).toHaveLength(1);
    expect(tmdb.requests[0]!.status).toBeUndefined();
  });

  it('asks nothing when the signal has already fired', async () => {
    await expect(client().movieDetails(550, { signal: AbortSignal.abort() })).rejects.toMatchObject({ name: 'AbortError' });
    expect(tmdb.requests).toHaveLength(0);
  });

  it('is TmdbUnavailableError past its own timeout', async () => {
    tmdb.latencyMs = 2_000;
    const error = await rejection(client({ timeoutMs: 300 }).movieDetails(550));
    expect(error).toBeInstanceOf(TmdbUnavailableError);
    expect((error as Error).message).toMatch(/within 300 ms/);
  });

  it('is TmdbUnavailableError on a 5xx, without retrying', async () => {
    tmdb.failNext(500);
    const error = await rejection(client().movieDetails(550));
    expect(error).toBeInstanceOf(TmdbUnavailableError);
    expect(error).toMatchObject({ status: 500 });
    expect(tmdb.requests).toHaveLength(1);
  });

  it('is TmdbUnavailableError during an outage, and recovers after it', async () => {
    const c = client();
    await tmdb.stop();
    const error = await rejection(c.searchMovies('alien'));
    expect(error).toBeInstanceOf(TmdbUnavailableError);
    expect((error as Error).cause).toBeDefined();
    expect(inspect(error, { depth: 10 })).not.toContain(TOKEN);

    await tmdb.start();
    expect((await c.searchMovies('alien'))[0]?.title).toBe('Alien');
  });
});

describe('construction', () => {
  it('refuses a blank token, a bad URL or a bad timeout', () => {
    expect(() => new TmdbClient({ token: ' ', apiUrl: 'https://api.themoviedb.org', timeoutMs: 1_000 })).toThrow(TypeError);
    expect(() => new TmdbClient({ token: TOKEN, apiUrl: 'ftp://example.org', timeoutMs: 1_000 })).toThrow(TypeError);
    expect(() => new TmdbClient({ token: TOKEN, apiUrl: 'https://api.themoviedb.org', timeoutMs: 0 })).toThrow(RangeError);
  });

  it('reads Retry-After in seconds or as a date', () => {
    expect(retryAfterMs('2')).toBe(2_000);
    expect(retryAfterMs('0')).toBe(0);
    expect(retryAfterMs(null)).toBe(1_000);
    expect(retryAfterMs('soon')).toBe(1_000);
    const now = Date.parse('2030-01-01T00:00:00Z');
    expect(retryAfterMs('Tue, 01 Jan 2030 00:00:03 GMT', now)).toBe(3_000);
  });
});

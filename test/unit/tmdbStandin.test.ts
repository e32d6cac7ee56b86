// The TMDB stand-in itself: TMDB's shapes and error bodies, its films, the request log and its test controls.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { movieDetailsJson, searchResultJson } from '../../harness/tmdb/payloads';
import { STANDIN_FILMS, type TmdbStandin, startTmdbStandin } from '../../harness/tmdb/standin';
import { movieDetailsSchema, searchResultSchema } from '../../src/data/tmdb/schemas';

const TOKEN = 'tmdb-standin-token-71c0d9';
let tmdb: TmdbStandin;

/** GET with the stand-in's token, another one, or (null) none. */
function get(path: string, token: string | null = TOKEN): Promise<Response> {
  return fetch(`${tmdb.url}${path}`, token === null ? {} : { headers: { Authorization: `Bearer ${token}` } });
}

beforeEach(async () => {
  tmdb = await startTmdbStandin({ token: TOKEN });
});

afterEach(async () => {
  await tmdb.close();
});

describe('films', () => {
  it('holds about twenty films with unique ids, Fight Club but not Paddington 2', () => {
    expect(STANDIN_FILMS.length).toBeGreaterThanOrEqual(18);
    expect(new Set(STANDIN_FILMS.map((film) => film.id)).size).toBe(STANDIN_FILMS.length);
    expect(STANDIN_FILMS.find((film) => film.title === 'Fight Club')?.releaseDate).toMatch(/^1999-/);
    expect(STANDIN_FILMS.some((film) => film.title.startsWith('Paddington'))).toBe(false);
  });

  it("answers every film in shapes the client's schemas accept", () => {
    for (const film of STANDIN_FILMS) {
      expect(searchResultSchema.safeParse(searchResultJson(film)).success, film.title).toBe(true);
      expect(movieDetailsSchema.safeParse(movieDetailsJson(film, true)).success, film.title).toBe(true);
    }
  });
});

describe('answers', () => {
  it('refuses a missing or wrong token, and an api_key in the URL, with TMDB\'s 401 body', async () => {
    for (const response of [await get('/3/movie/550', null), await get('/3/movie/550', 'nope'), await get(`/3/movie/550?api_key=${TOKEN}`, null)]) {
      expect(response.status).toBe(401);
      expect(await response.json()).toEqual({ success: false, status_code: 7, status_message: 'Invalid API key: You must be granted a valid key.' });
    }
    expect(tmdb.requests[2]?.query).toEqual({ api_key: '[redacted]' });
    expect(JSON.stringify(tmdb.requests)).not.toContain(TOKEN);
  });

  it("answers 404 with TMDB's body for an unknown id or path", async () => {
    for (const path of ['/3/movie/424242424', '/3/movie/abc', '/3/tv/1399']) {
      const response = await get(path);
      expect(response.status).toBe(404);
      expect(await response.json()).toMatchObject({ success: false, status_code: 34 });
    }
  });

  it('appends credits only when asked', async () => {
    const plain = (await (await get('/3/movie/550')).json()) as Record<string, unknown>;
    expect(plain).not.toHaveProperty('credits');
    const full = (await (await get('/3/movie/550?append_to_response=videos,credits')).json()) as { credits: { cast: unknown[]; crew: unknown[] } };
    expect(full.credits.cast[0]).toMatchObject({ name: 'Edward Norton', character: 'The Narrator', order: 0, known_for_department: 'Acting' });
    expect(full.credits.crew).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'David Fincher', job: 'Director', department: 'Directing' })]));
  });

  it('searches titles by word prefix, exact title first', async () => {
    const page = (await (await get('/3/search/movie?query=her&include_adult=false')).json()) as { results: { title: string }[]; page: number };
    expect(page.page).toBe(1);
    expect(page.results[0]?.title).toBe('Her');
  });
});

describe('controls', () => {
  it('sends an injected failure once, with Retry-After', async () => {
    tmdb.failNext(429, { retryAfter: 3 });
    const limited = await get('/3/movie/550');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('3');
    expect(await limited.json()).toMatchObject({ status_code: 25 });
    expect((await get('/3/movie/550')).status).toBe(200);
  });

  it('delays answers by latencyMs, changeable at any time', async () => {
    tmdb.latencyMs = 300;
    await get('/3/movie/550');
    tmdb.latencyMs = 0;
    await get('/3/movie/550');
    const [slow, fast] = tmdb.requests;
    expect(slow!.answeredAt! - slow!.at).toBeGreaterThanOrEqual(290);
    expect(fast!.answeredAt! - fast!.at).toBeLessThan(290);
  });

  it('is unreachable between stop() and start(), on the same URL', async () => {
    const url = tmdb.url;
    await tmdb.stop();
    expect(tmdb.running).toBe(false);
    await expect(get('/3/movie/550')).rejects.toThrow();
    await tmdb.start();
    expect(tmdb.url).toBe(url);
    expect((await get('/3/movie/550')).status).toBe(200);
  });
});

// TMDB as a film source, against the loopback TMDB stand-in: suggestions, cards, the cache, outages, rate limits and a bad token.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addServerFilm } from '../../harness/films';
import { STANDIN_FILMS, type StandinFilm, startTmdbStandin, type TmdbStandin } from '../../harness/tmdb/standin';
import { FILM_CLUB, member, slash, startWorld, str, type World } from '../../harness/world';

/** A TMDB twin of the bundled film: suggestions must show the bundled one only. */
const HER_SMELL_ON_TMDB: StandinFilm = {
  id: 492611,
  title: 'Her Smell',
  releaseDate: '2018-09-09',
  runtime: 135,
  directors: ['Alex Ross Perry'],
  cast: [{ name: 'Elisabeth Moss', character: 'Becky Something' }],
  overview: 'A punk rocker spirals.',
  genres: ['Drama', 'Music'],
  voteAverage: 6.1,
  voteCount: 200,
};
const ATTRIBUTION = 'This product uses the TMDB API but is not endorsed or certified by TMDB.';
const UNAVAILABLE = 'Online film lookups (TMDB) are unavailable right now';

let tmdb: TmdbStandin;
let world: World;

beforeAll(async () => {
  tmdb = await startTmdbStandin({ films: [...STANDIN_FILMS, HER_SMELL_ON_TMDB] });
  world = await startWorld({ env: { TMDB_TOKEN: tmdb.token, TMDB_API_URL: tmdb.url } });
});
afterAll(async () => {
  await world?.close();
  await tmdb?.close();
});

const suggest = (typed: string) => world.discord.autocomplete({ name: 'film', options: [{ name: 'title', type: 3, value: typed, focused: true }], guildId: FILM_CLUB.id, user: member(1) });
const card = (title: string) => slash(world.discord, 'film', [str('title', title)]);
const requestsFor = (path: string) => tmdb.requests.filter((request) => request.path === path);
const fieldsOf = (message: { embeds: { fields: { name: string; value: string }[] }[] }) => Object.fromEntries(message.embeds[0]!.fields.map((field) => [field.name, field.value]));

describe('with TMDB configured', () => {
  it('suggests TMDB’s films as the member types “fight”', async () => {
    expect(await suggest('fight').choices()).toContainEqual({ name: 'Fight Club (1999)', value: 'tmdb:550' });
  });

  it('shows a bundled film over its TMDB twin', async () => {
    expect(await suggest('her smell').choices()).toEqual([{ name: 'Her Smell (2018)', value: 'her-smell' }]);
  });

  it('shows a TMDB card with credits and roles, genres, TMDB’s own average and its credit line', async () => {
    const shown = await card('tmdb:550').reply();
    expect(shown.ephemeral).toBe(false);
    expect(shown.embeds[0].title).toBe('Fight Club (1999)');
    const fields = fieldsOf(shown);
    expect(fields).toMatchObject({ Runtime: '139 min', Director: 'David Fincher', Genres: 'Drama, Thriller', 'TMDB users': '8.4/10 from 31,000 votes' });
    expect(fields.Cast).toContain('**Edward Norton** as The Narrator');
    expect(fields.Cast).toContain('**Brad Pitt** as Tyler Durden');
    expect(fields['This server']).toMatch(/^Not rated here yet/);
    expect(shown.embeds[0].footer.text).toBe(ATTRIBUTION);
  });

  it('serves a second lookup from the cache: TMDB sees no second request', async () => {
    expect(requestsFor('/3/movie/550')).toHaveLength(1);
    expect((await card('tmdb:550').reply()).embeds[0].title).toBe('Fight Club (1999)');
    const searches = requestsFor('/3/search/movie').length;
    await suggest('fight').choices();
    expect(requestsFor('/3/movie/550')).toHaveLength(1);
    expect(requestsFor('/3/search/movie')).toHaveLength(searches);
  });

  it('finds a TMDB film by its typed title, and rates it', async () => {
    expect((await card('The Matrix').reply()).embeds[0].title).toBe('The Matrix (1999)');
    const rated = await slash(world.discord, 'rate', [str('film', 'tmdb:603'), { name: 'stars', type: 10, value: 4 }]).reply();
    expect(rated.content).toBe('You rated The Matrix 4★.');
    expect(fieldsOf(await card('tmdb:603').reply())['This server']).toContain('**4.0** from 1 rating');
  });

  it('refuses a server film that TMDB already has, so its ratings are not split between two ids', async () => {
    const reply = await addServerFilm(world.discord, { title: 'Fight Club', year: '1999' });
    expect(reply.content).toContain('**Fight Club (1999)** is known to Reelside already');
    expect(await suggest('fight club').choices()).toEqual([{ name: 'Fight Club (1999)', value: 'tmdb:550' }]);
  });

  it('says a film without critics’ quotes has none, and names the films that do', async () => {
    const reply = await slash(world.discord, 'quote', [str('film', 'tmdb:550')]).reply();
    expect(reply.ephemeral).toBe(true);
    expect(reply.content).toBe('**Fight Club (1999)** has no critics’ quotes in Reelside. Quotes are kept for **Her Smell (2018)**: try `/quote film:Her Smell`.');
  });

  it('honours a 429’s Retry-After of 1 s, and answers the member', async () => {
    tmdb.failNext(429, { retryAfter: 1 });
    const shown = await card('tmdb:238').reply(8_000);
    expect(shown.embeds[0].title).toBe('The Godfather (1972)');
    const [refused, retried] = requestsFor('/3/movie/238');
    expect(refused!.status).toBe(429);
    expect(retried!.at - refused!.answeredAt!).toBeGreaterThanOrEqual(1_000);
  });

  it('answers suggestions inside Discord’s deadline when TMDB is slow, with the films it has, and caches TMDB’s late answer', async () => {
    tmdb.latencyMs = 2_500;
    try {
      const handle = suggest('her');
      const response = await handle.response();
      expect(response.latencyMs).toBeLessThan(3_000);
      expect(await handle.choices()).toEqual([{ name: 'Her Smell (2018)', value: 'her-smell' }]);
      await expect.poll(() => requestsFor('/3/search/movie').at(-1)?.status, { timeout: 5_000 }).toBe(200);
    } finally {
      tmdb.latencyMs = 0;
    }
    await expect.poll(async () => (await suggest('her').choices()).map((choice) => choice.name), { timeout: 3_000 }).toContain('Her (2013)');
  });

  it('during a TMDB outage tells the member online lookups are down, while bundled and cached films still work', async () => {
    await tmdb.stop();
    try {
      const reply = await card('tmdb:680').reply();
      expect(reply.ephemeral).toBe(true);
      expect(reply.content).toContain(UNAVAILABLE);
      const typed = await card('Pulp Fiction').reply();
      expect(typed.content).toContain('Online film lookups (TMDB) are unavailable right now, so only Reelside’s own films and this server’s were searched');
      expect((await card('her-smell').reply()).embeds[0].title).toBe('Her Smell (2018)');
      expect((await card('tmdb:550').reply()).embeds[0].title).toBe('Fight Club (1999)');
      expect(await suggest('her sm').choices()).toEqual([{ name: 'Her Smell (2018)', value: 'her-smell' }]);
      await world.bot.waitForLog((line) => line.msg.startsWith('TMDB lookups failing'));
    } finally {
      await tmdb.start();
    }
    expect((await card('tmdb:680').reply()).embeds[0].title).toBe('Pulp Fiction (1994)');
  });

  it('never logs the TMDB token', () => {
    expect(JSON.stringify(world.bot.logs)).not.toContain(tmdb.token);
    expect(world.bot.stderr()).not.toContain(tmdb.token);
  });
});

describe('with a token TMDB refuses', () => {
  let refused: World;
  beforeAll(async () => {
    refused = await startWorld({ env: { TMDB_TOKEN: 'not-the-right-token-0123456789', TMDB_API_URL: tmdb.url } });
  });
  afterAll(async () => refused?.close());

  it('tells the member online lookups are unavailable, and the bundled films keep working', async () => {
    const reply = await slash(refused.discord, 'film', [str('title', 'tmdb:550')]).reply();
    expect(reply.content).toContain(UNAVAILABLE);
    expect((await slash(refused.discord, 'film', [str('title', 'her-smell')]).reply()).embeds[0].title).toBe('Her Smell (2018)');
    const logged = await refused.bot.waitForLog((line) => line.msg.startsWith('TMDB lookups failing'));
    expect(JSON.stringify(logged)).toContain('TMDB refused the API read access token (HTTP 401');
    expect(JSON.stringify(refused.bot.logs)).not.toContain('not-the-right-token-0123456789');
  });
});

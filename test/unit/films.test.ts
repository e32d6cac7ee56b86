// The film sources together: order, merging, the TMDB cutoff, the cache, and what a failure leaves.
import Keyv from 'keyv';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadFilmCatalog } from '../../src/data/catalog';
import { TmdbClient } from '../../src/data/tmdb/client';
import { StorageUnavailableError } from '../../src/errors';
import { Films } from '../../src/films/films';
import { TmdbFilms } from '../../src/films/tmdbFilms';
import { RecordStore } from '../../src/storage/records';
import { ServerFilmStore } from '../../src/storage/serverFilms';
import { TmdbCache } from '../../src/storage/tmdbCache';
import { openTestStorage, silentLog } from '../../harness/storage';
import { STANDIN_FILMS, startTmdbStandin, type TmdbStandin } from '../../harness/tmdb/standin';

const GUILD = '200000000000000001';
const catalog = loadFilmCatalog();
let tmdb: TmdbStandin;
let store: Awaited<ReturnType<typeof openTestStorage>>;
let serverFilms: ServerFilmStore;

beforeAll(async () => {
  tmdb = await startTmdbStandin({ films: [...STANDIN_FILMS, { id: 492611, title: 'Her Smell', releaseDate: '2018-09-09', runtime: 135, directors: [], cast: [], overview: '', genres: [], voteAverage: 0, voteCount: 0 }] });
});
afterAll(async () => tmdb.close());
beforeEach(async () => {
  store = await openTestStorage();
  serverFilms = new ServerFilmStore(store.records);
  tmdb.latencyMs = 0;
});
afterEach(async () => store.close());

function films(options: { tmdb?: boolean; cutoffMs?: number } = {}): Films {
  const client = new TmdbClient({ token: tmdb.token, apiUrl: tmdb.url, timeoutMs: 5_000 });
  const source = options.tmdb === false ? undefined : new TmdbFilms(client, new TmdbCache(store.records), silentLog);
  return new Films(catalog, serverFilms, source, options.cutoffMs);
}
const labels = (names: { title: string; year?: number }[]) => names.map((name) => `${name.title} (${name.year})`);

describe('suggestions', () => {
  it('list bundled films, then the server’s, then TMDB’s, each title and year once', async () => {
    await serverFilms.add(GUILD, { title: 'Her Majesty', year: 2001, directors: [] }, { id: '1', name: 'Mod' }, 0);
    const names = await films().suggest(GUILD, 'her');
    expect(labels(names.slice(0, 2))).toEqual(['Her Smell (2018)', 'Her Majesty (2001)']);
    expect(names.slice(2).every((name) => name.id.startsWith('tmdb:'))).toBe(true);
    expect(labels(names)).toContain('Her (2013)');
    expect(labels(names).filter((label) => label === 'Her Smell (2018)')).toHaveLength(1);
  });

  it('leave hidden server films out, unless asked for', async () => {
    const added = await serverFilms.add(GUILD, { title: 'Hidden Gem', year: 2001, directors: [] }, { id: '1', name: 'Mod' }, 0);
    await serverFilms.setHidden(GUILD, added.slug, true);
    expect(await films({ tmdb: false }).suggest(GUILD, 'hidden')).toEqual([]);
    expect(await films({ tmdb: false }).suggest(GUILD, 'hidden', { hidden: true, serverOnly: true })).toEqual([{ id: 'server:hidden-gem-2001', title: 'Hidden Gem', year: 2001 }]);
  });

  it('give up on a slow TMDB at the cutoff, and find its answer cached on the next keystroke', async () => {
    tmdb.latencyMs = 600;
    const source = films({ cutoffMs: 150 });
    const startedAt = Date.now();
    expect(labels(await source.suggest(GUILD, 'fight'))).toEqual([]);
    expect(Date.now() - startedAt).toBeLessThan(500);
    await expect.poll(() => tmdb.requests.at(-1)?.status, { timeout: 2_000 }).toBe(200);
    const before = tmdb.requests.length;
    expect(labels(await source.suggest(GUILD, 'fight'))).toContain('Fight Club (1999)');
    expect(tmdb.requests.length).toBe(before);
  });

  it('ask TMDB once for members typing the same thing at the same time', async () => {
    tmdb.latencyMs = 100;
    const before = tmdb.requests.length;
    const source = films();
    const answers = await Promise.all(Array.from({ length: 20 }, () => source.suggest(GUILD, 'alien')));
    expect(answers.every((names) => labels(names).includes('Alien (1979)'))).toBe(true);
    expect(tmdb.requests.length - before).toBe(1);
  });

  it('leave TMDB out when it is down', async () => {
    await tmdb.stop();
    try {
      expect(labels(await films().suggest(GUILD, 'her sm'))).toEqual(['Her Smell (2018)']);
    } finally {
      await tmdb.start();
    }
  });
});

describe('resolving what a member typed', () => {
  it('finds bundled, server and TMDB films by id, title or label, keeping each source’s id', async () => {
    await serverFilms.add(GUILD, { title: 'Paddington 2', year: 2017, directors: [] }, { id: '1', name: 'Mod' }, 0);
    const source = films();
    expect((await source.resolve(GUILD, 'HER SMELL')).film?.id).toBe('her-smell');
    expect((await source.resolve(GUILD, 'Paddington 2 (2017)')).film?.id).toBe('server:paddington-2-2017');
    expect((await source.resolve(GUILD, 'server:paddington-2-2017')).film?.id).toBe('server:paddington-2-2017');
    expect((await source.resolve(GUILD, 'fight club')).film?.id).toBe('tmdb:550');
    expect((await source.resolve(GUILD, 'tmdb:550')).film).toMatchObject({ source: 'tmdb', title: 'Fight Club', year: 1999 });
    expect((await source.resolve('200000000000000002', 'server:paddington-2-2017')).film).toBeUndefined();
  });

  it('offers the closest titles for something unknown, TMDB’s among them', async () => {
    const resolution = await films().resolve(GUILD, 'fight clu');
    expect(resolution.film).toBeUndefined();
    expect(!resolution.film && labels(resolution.suggestions)).toContain('Fight Club (1999)');
  });

  it('says when TMDB could not be asked', async () => {
    await tmdb.stop();
    try {
      const resolution = await films().resolve(GUILD, 'pulp fiction');
      expect(resolution).toMatchObject({ tmdbUnavailable: true });
      await expect(films().resolve(GUILD, 'tmdb:680')).rejects.toThrow('TMDB');
    } finally {
      await tmdb.start();
    }
  });

  it('treats a TMDB id TMDB does not know as unknown', async () => {
    expect((await films().resolve(GUILD, 'tmdb:999999999')).film).toBeUndefined();
  });
});

describe('with storage down', () => {
  it('still suggests and finds the films that need no storage, and says storage is down for the rest', async () => {
    // A store whose every call fails, as an unreachable database does.
    const refuse = () => {
      throw new Error('connection refused');
    };
    const down = Object.assign(new Map<string, unknown>(), { get: refuse, getMany: refuse });
    const unreachable = new RecordStore(new Keyv<unknown>({ store: down, throwOnErrors: true }), silentLog);
    const source = new Films(catalog, new ServerFilmStore(unreachable), undefined);
    expect(labels(await source.suggest(GUILD, 'her'))).toEqual(['Her Smell (2018)']);
    expect((await source.resolve(GUILD, 'her smell')).film?.id).toBe('her-smell');
    await expect(source.resolve(GUILD, 'paddington 2')).rejects.toThrow(StorageUnavailableError);
  });
});

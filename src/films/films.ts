// Every film a command can name, from three sources searched in order: the bundled dataset, the
// films this server added, then TMDB when it is configured. Suggestions merge them (a bundled
// film wins over the same title and year elsewhere); a film keeps the id of the source it came
// from, since ratings, polls and reviews are kept by it.
import { type FilmCatalog, MAX_SEARCH_RESULTS, TitleIndex } from '../data/catalog';
import { normalizeTitle } from '../data/normalize';
import { StorageUnavailableError } from '../errors';
import { TmdbError, TmdbNotFoundError } from '../data/tmdb/errors';
import type { TmdbSearchResult } from '../data/tmdb/model';
import type { ServerFilmStore } from '../storage/serverFilms';
import { type AnyFilm, bundled, type FilmName, fromServer, fromTmdb, SERVER_FILM_PREFIX, type ServerFilm, serverFilmId, tmdbFilmId, tmdbIdOf } from './model';
import type { TmdbFilms } from './tmdbFilms';

/** Suggestions must reach Discord inside its 3 s: TMDB gets this long, then the others answer alone. */
export const TMDB_SUGGESTION_CUTOFF_MS = 1_500;

/** A server film as the title index sees it. */
export type IndexedServerFilm = FilmName & { film: ServerFilm };

/** What `resolve` found, or why not: the command words it for the member. */
export type Resolution =
  | { film: AnyFilm }
  | { film?: undefined; suggestions: FilmName[]; tmdbUnavailable: boolean };

export interface SuggestOptions {
  /** Include films a moderator hid (for the commands that manage them). */
  hidden?: boolean;
  /** Only this server's films (for `/films edit` and the like). */
  serverOnly?: boolean;
}

export class Films {
  /** Each server's films as indexes, by the list object they were built from (ServerFilmStore keeps it until it changes). */
  private readonly indexes = new WeakMap<object, { all: TitleIndex<IndexedServerFilm>; visible: TitleIndex<IndexedServerFilm> }>();

  constructor(
    readonly catalog: FilmCatalog,
    private readonly serverFilms: ServerFilmStore,
    private readonly tmdb: TmdbFilms | undefined,
    private readonly cutoffMs: number = TMDB_SUGGESTION_CUTOFF_MS,
  ) {}

  /**
   * Autocomplete choices for `typed`, at most 25. TMDB is asked only when the others leave room,
   * and given TMDB_SUGGESTION_CUTOFF_MS; a slower answer still lands in the cache for the next
   * keystroke. A TMDB failure leaves its films out: suggestions are best effort.
   */
  async suggest(guildId: string | null, typed: string, options: SuggestOptions = {}): Promise<FilmName[]> {
    // TMDB is asked at once, beside the server's films: a slow storage read must not eat its time.
    const fromTmdb = this.tmdb && !options.serverOnly ? this.withinCutoff(this.tmdb.search(typed)) : undefined;
    // With storage down the other sources still answer: suggestions are best effort.
    const server = guildId ? await this.serverIndexes(guildId).catch(unlessStorageDown) : undefined;
    const fromServerFilms = ((options.hidden ? server?.all : server?.visible)?.search(typed, MAX_SEARCH_RESULTS) ?? []).map(nameOf);
    if (options.serverOnly) return fromServerFilms;
    const names: FilmName[] = [...this.catalog.search(typed, MAX_SEARCH_RESULTS).map(nameOf), ...fromServerFilms];
    if (fromTmdb && names.length < MAX_SEARCH_RESULTS) names.push(...((await fromTmdb) ?? []).map(tmdbName));
    return distinct(names).slice(0, MAX_SEARCH_RESULTS);
  }

  /**
   * The film a member picked (an id from the suggestions) or typed (a title, or "Title (year)").
   * Throws TmdbError when only TMDB could answer and it failed; unknown input resolves to suggestions.
   */
  async resolve(guildId: string | null, typed: string): Promise<Resolution> {
    const text = typed.trim();
    const known = this.catalog.find(text);
    if (known) return { film: bundled(known) };

    // With storage down a TMDB film can still be found; only when nothing is does the outage count.
    let storageDown: unknown;
    const server = guildId
      ? await this.serverIndex(guildId).catch((error: unknown) => {
          storageDown = error;
          return unlessStorageDown(error);
        })
      : undefined;
    const notFound = (resolution: Resolution): Resolution => {
      if (storageDown) throw storageDown;
      return resolution;
    };
    const tmdbId = tmdbIdOf(text.toLowerCase());
    if (tmdbId !== undefined && this.tmdb) {
      try {
        return { film: fromTmdb(await this.tmdb.details(tmdbId)) };
      } catch (error) {
        if (!(error instanceof TmdbNotFoundError)) throw error;
      }
    }
    const byTitle = server?.find(text);
    if (byTitle) return { film: fromServer(byTitle.film) };

    const suggestions = [...this.catalog.closest(text, 3).map(nameOf), ...(server?.closest(text, 3) ?? []).map(nameOf)];
    if (!this.tmdb || text === '') return notFound({ suggestions: distinct(suggestions).slice(0, 3), tmdbUnavailable: false });
    let results: TmdbSearchResult[];
    try {
      results = await this.tmdb.search(text);
    } catch (error) {
      if (!(error instanceof TmdbError)) throw error;
      return notFound({ suggestions: distinct(suggestions).slice(0, 3), tmdbUnavailable: true });
    }
    const match = new TitleIndex(distinctIds(results.map(tmdbName))).find(text);
    if (match) return { film: fromTmdb(await this.tmdb.details(tmdbIdOf(match.id)!)) };
    return notFound({ suggestions: distinct([...results.slice(0, 3).map(tmdbName), ...suggestions]).slice(0, 3), tmdbUnavailable: false });
  }

  /**
   * A film by the id something was kept under (a poll, a rating), or undefined when no source has
   * it any more. Throws TmdbError when TMDB would have to answer and cannot.
   */
  async get(guildId: string | null, id: string): Promise<AnyFilm | undefined> {
    const known = this.catalog.get(id);
    if (known) return bundled(known);
    if (id.startsWith(SERVER_FILM_PREFIX)) {
      const film = guildId ? (await this.serverIndex(guildId)).get(id) : undefined;
      return film && fromServer(film.film);
    }
    const tmdbId = tmdbIdOf(id);
    if (tmdbId === undefined || !this.tmdb) return undefined;
    try {
      return fromTmdb(await this.tmdb.details(tmdbId));
    } catch (error) {
      if (error instanceof TmdbNotFoundError) return undefined;
      throw error;
    }
  }

  /** This server's films, hidden ones too, as a title index (rebuilt only when the list changed). */
  async serverIndex(guildId: string): Promise<TitleIndex<IndexedServerFilm>> {
    return (await this.serverIndexes(guildId)).all;
  }

  private async serverIndexes(guildId: string): Promise<{ all: TitleIndex<IndexedServerFilm>; visible: TitleIndex<IndexedServerFilm> }> {
    const list = await this.serverFilms.list(guildId);
    let indexes = this.indexes.get(list);
    if (!indexes) {
      const entries = list.films.map((film) => ({ id: serverFilmId(film.slug), title: film.title, year: film.year, film }));
      indexes = { all: new TitleIndex(entries), visible: new TitleIndex(entries.filter((entry) => !entry.film.hidden)) };
      this.indexes.set(list, indexes);
    }
    return indexes;
  }

  /**
   * TMDB's film of this exact title and year, if TMDB is configured and answers: a server film
   * that duplicates it would split the film's ratings between two ids. Best effort.
   */
  async tmdbTwin(title: string, year: number): Promise<FilmName | undefined> {
    if (!this.tmdb) return undefined;
    const results = await this.tmdb.search(title).catch(() => []);
    const label = normalizeTitle(title);
    return results.map(tmdbName).find((name) => name.year === year && normalizeTitle(name.title) === label);
  }

  /** Whether TMDB is one of the sources. */
  get hasTmdb(): boolean {
    return this.tmdb !== undefined;
  }

  /**
   * TMDB's film of exactly this title (or original title) and year, for an import. With `ask`
   * false only cached answers count, and 'unasked' means TMDB would have to be asked. Throws
   * TmdbError when TMDB is asked and fails.
   */
  async tmdbMatch(title: string, year: number, { ask }: { ask: boolean }): Promise<FilmName | undefined | 'unasked'> {
    if (!this.tmdb) return undefined;
    const results = ask ? await this.tmdb.search(title) : await this.tmdb.cachedSearch(title);
    if (results === undefined) return 'unasked';
    const label = normalizeTitle(title);
    const exact = (text: string) => normalizeTitle(text) === label;
    const match = results.find((result) => result.year === year && exact(result.title)) ?? results.find((result) => result.year === year && exact(result.originalTitle));
    return match && tmdbName(match);
  }

  /** The TMDB answer if it comes within the cutoff; undefined when it is late or failed. */
  private async withinCutoff<T>(request: Promise<T>): Promise<T | undefined> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), this.cutoffMs)));
    try {
      return await Promise.race([request.catch(() => undefined), late]);
    } finally {
      clearTimeout(timer);
    }
  }
}

/** A storage outage reads as "no server films" (undefined); any other failure is a bug and goes on. */
function unlessStorageDown(error: unknown): undefined {
  if (error instanceof StorageUnavailableError) return undefined;
  throw error;
}

const nameOf = ({ id, title, year }: FilmName): FilmName => ({ id, title, year });
const tmdbName = (result: TmdbSearchResult): FilmName => ({ id: tmdbFilmId(result.tmdbId), title: result.title, year: result.year });

/** TMDB may list a film twice across a page boundary; a title index takes each id once. */
function distinctIds(names: FilmName[]): FilmName[] {
  return [...new Map(names.map((name) => [name.id, name])).values()];
}

/** The first of each title and year: sources come in order, so a bundled film wins. */
function distinct(names: FilmName[]): FilmName[] {
  const seen = new Set<string>();
  return names.filter((name) => {
    const key = `${normalizeTitle(name.title)}|${name.year ?? ''}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

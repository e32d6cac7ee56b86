// TMDB as a film source: answers from the storage cache when it has them, one request per
// question however many members ask it at once, and a single log line when TMDB goes down.
import { normalizeTitle } from '../data/normalize';
import type { TmdbClient } from '../data/tmdb/client';
import { TmdbError, TmdbNotFoundError } from '../data/tmdb/errors';
import type { TmdbMovieCard, TmdbSearchResult } from '../data/tmdb/model';
import type { Logger } from '../log';
import type { TmdbCache } from '../storage/tmdbCache';

/** One letter matches half of TMDB; two is where suggestions start to mean something. */
export const MIN_TMDB_QUERY_LENGTH = 2;
/** No title is longer; the cap also keeps cache keys short whatever a member pastes. */
const MAX_TMDB_QUERY_LENGTH = 100;

export class TmdbFilms {
  /** Requests in flight by cache key: members typing the same title share one. */
  private readonly inFlight = new Map<string, Promise<unknown>>();
  private failing = false;

  constructor(
    private readonly client: TmdbClient,
    private readonly cache: TmdbCache,
    private readonly log: Logger,
  ) {}

  /** TMDB's films matching `query` (none for a query under MIN_TMDB_QUERY_LENGTH). Throws TmdbError when TMDB fails. */
  async search(query: string): Promise<TmdbSearchResult[]> {
    const normalized = searchQuery(query);
    if (normalized.length < MIN_TMDB_QUERY_LENGTH) return [];
    return this.cached(
      `search:${normalized}`,
      () => this.cache.search(normalized),
      () => this.client.searchMovies(normalized),
      (results) => this.cache.rememberSearch(normalized, results),
    );
  }

  /** What `search` would answer from the cache alone: undefined when only TMDB could answer. */
  async cachedSearch(query: string): Promise<TmdbSearchResult[] | undefined> {
    const normalized = searchQuery(query);
    if (normalized.length < MIN_TMDB_QUERY_LENGTH) return [];
    return this.cache.search(normalized).catch(() => undefined);
  }

  /** A film's card; TmdbNotFoundError when TMDB has no such film, another TmdbError when TMDB fails. */
  async details(tmdbId: number): Promise<TmdbMovieCard> {
    return this.cached(
      `movie:${tmdbId}`,
      () => this.cache.movie(tmdbId),
      () => this.client.movieDetails(tmdbId),
      (card) => this.cache.rememberMovie(card),
    );
  }

  private async cached<T>(flightKey: string, read: () => Promise<T | undefined>, fetch: () => Promise<T>, remember: (value: T) => Promise<void>): Promise<T> {
    // The cache is a saving, never a reason to fail: storage being down only costs a request.
    const hit = await read().catch(() => undefined);
    if (hit !== undefined) return hit;
    const running = this.inFlight.get(flightKey) as Promise<T> | undefined;
    if (running) return running;
    const request = this.fetchAndRemember(fetch, remember).finally(() => this.inFlight.delete(flightKey));
    this.inFlight.set(flightKey, request);
    return request;
  }

  private async fetchAndRemember<T>(fetch: () => Promise<T>, remember: (value: T) => Promise<void>): Promise<T> {
    let value: T;
    try {
      value = await fetch();
    } catch (error) {
      if (error instanceof TmdbError && !(error instanceof TmdbNotFoundError)) this.noteFailure(error);
      throw error;
    }
    this.noteSuccess();
    await remember(value).catch((error: unknown) => this.log.debug({ err: error }, 'TMDB answer not cached'));
    return value;
  }

  // The error names the endpoint and status only (see data/tmdb/errors), never the token.
  private noteFailure(error: TmdbError): void {
    if (this.failing) return;
    this.failing = true;
    this.log.error({ err: error }, 'TMDB lookups failing: members are told online lookups are unavailable');
  }

  private noteSuccess(): void {
    if (!this.failing) return;
    this.failing = false;
    this.log.info('TMDB lookups answering again');
  }
}

/** A search as it is asked and cached. Normalizing can lengthen text (one ligature becomes many letters), so the cap comes after. */
function searchQuery(query: string): string {
  return [...normalizeTitle(query)].slice(0, MAX_TMDB_QUERY_LENGTH).join('').trim();
}

// TMDB answers kept in storage, so a busy server does not run into TMDB's rate limit: a film's
// details for a week, a search for an hour. Shared by every server and every shard.
import * as z from 'zod';
import type { TmdbMovieCard, TmdbSearchResult } from '../data/tmdb/model';
import { keys } from './keys';
import type { ExpiringType, RecordStore } from './records';

export const TMDB_DETAILS_TTL_MS = 7 * 24 * 60 * 60 * 1000;
export const TMDB_SEARCH_TTL_MS = 60 * 60 * 1000;

const searchResultSchema = z.object({ tmdbId: z.number().int().positive(), title: z.string(), originalTitle: z.string(), year: z.number().int().optional() });

const movieCardSchema = z.object({
  tmdbId: z.number().int().positive(),
  title: z.string(),
  originalTitle: z.string(),
  year: z.number().int().optional(),
  runtimeMinutes: z.number().int().positive().optional(),
  directors: z.array(z.string()),
  cast: z.array(z.object({ name: z.string(), role: z.string().optional() })),
  synopsis: z.string().optional(),
  genres: z.array(z.string()),
  voteAverage: z.number(),
  voteCount: z.number(),
}) satisfies z.ZodType<TmdbMovieCard, unknown>;

const searchSchema = z.object({ results: z.array(searchResultSchema) });

export class TmdbCache {
  private readonly movies: ExpiringType<TmdbMovieCard>;
  private readonly searches: ExpiringType<z.infer<typeof searchSchema>>;

  constructor(records: RecordStore) {
    this.movies = records.expiring(movieCardSchema);
    this.searches = records.expiring(searchSchema);
  }

  movie(tmdbId: number): Promise<TmdbMovieCard | undefined> {
    return this.movies.get(keys.tmdbMovie(tmdbId));
  }

  rememberMovie(card: TmdbMovieCard): Promise<void> {
    return this.movies.set(keys.tmdbMovie(card.tmdbId), card, TMDB_DETAILS_TTL_MS);
  }

  /** `query` as normalized by the caller, so "Fight" and "fight " share one entry. */
  async search(query: string): Promise<TmdbSearchResult[] | undefined> {
    return (await this.searches.get(keys.tmdbSearch(query)))?.results;
  }

  rememberSearch(query: string, results: TmdbSearchResult[]): Promise<void> {
    return this.searches.set(keys.tmdbSearch(query), { results }, TMDB_SEARCH_TTL_MS);
  }
}

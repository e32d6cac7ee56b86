// TMDB as a source, loaded only when configured: an operator without a token pays nothing for it.
import type { Logger } from '../log';
import type { RecordStore } from '../storage/records';
import type { TmdbFilms } from './tmdbFilms';

/**
 * One lookup's budget, 429 waits included. Film cards are deferred after 1.5 s, so a card can wait
 * this long; suggestions stop waiting much sooner (see TMDB_SUGGESTION_CUTOFF_MS) and let the
 * request finish into the cache.
 */
export const TMDB_CALL_TIMEOUT_MS = 8_000;

export async function openTmdbFilms(settings: { token: string; apiUrl: string }, records: RecordStore, log: Logger): Promise<TmdbFilms> {
  const [{ TmdbClient }, { TmdbCache }, { TmdbFilms }] = await Promise.all([import('../data/tmdb/client'), import('../storage/tmdbCache'), import('./tmdbFilms')]);
  const tmdbLog = log.child({ source: 'tmdb' });
  const client = new TmdbClient({ token: settings.token, apiUrl: settings.apiUrl, timeoutMs: TMDB_CALL_TIMEOUT_MS, log: tmdbLog });
  return new TmdbFilms(client, new TmdbCache(records), tmdbLog);
}

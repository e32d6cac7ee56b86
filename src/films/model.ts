// The films Reelside knows, from any source, and the ids that key everything kept about them.
import type { Titled } from '../data/catalog';
import type { Film } from '../data/schema';
import type { TmdbMovieCard } from '../data/tmdb/model';
import type { ServerFilm } from '../storage/serverFilms';

/**
 * A film's id never changes once ratings, polls or reviews are keyed by it: the bundled slug
 * ("her-smell"), "server:<slug>" for a film a server added, or "tmdb:<id>".
 */
export const SERVER_FILM_PREFIX = 'server:';
export const TMDB_FILM_PREFIX = 'tmdb:';

export const serverFilmId = (slug: string) => `${SERVER_FILM_PREFIX}${slug}`;
export const tmdbFilmId = (tmdbId: number) => `${TMDB_FILM_PREFIX}${tmdbId}`;

/** The number in "tmdb:550", or undefined for anything else. */
export function tmdbIdOf(id: string): number | undefined {
  const match = /^tmdb:([1-9]\d{0,11})$/.exec(id);
  return match ? Number(match[1]) : undefined;
}

/** Enough to name a film in a suggestion, a list or a poll. */
export type FilmName = Titled;

export type { ServerFilm } from '../storage/serverFilms';

export type AnyFilm =
  | { source: 'bundled'; id: string; title: string; year: number; film: Film }
  | { source: 'server'; id: string; title: string; year: number; film: ServerFilm }
  | { source: 'tmdb'; id: string; title: string; year?: number | undefined; film: TmdbMovieCard };

export const bundled = (film: Film): AnyFilm => ({ source: 'bundled', id: film.id, title: film.title, year: film.year, film });
export const fromServer = (film: ServerFilm): AnyFilm => ({ source: 'server', id: serverFilmId(film.slug), title: film.title, year: film.year, film });
export const fromTmdb = (film: TmdbMovieCard): AnyFilm => ({ source: 'tmdb', id: tmdbFilmId(film.tmdbId), title: film.title, year: film.year, film });

/** A film's synopsis and runtime, whichever source it came from (for a party's event). */
export function filmFacts(film: AnyFilm): { synopsis?: string; runtimeMinutes?: number } {
  const synopsis = film.film.synopsis;
  const runtimeMinutes = film.film.runtimeMinutes;
  return { ...(synopsis ? { synopsis } : {}), ...(runtimeMinutes ? { runtimeMinutes } : {}) };
}

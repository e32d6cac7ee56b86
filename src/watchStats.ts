// The math of `/stats`: what a server's history adds up to, and whose ratings track its averages.
import type { WatchedFilm } from './storage/history';

/** A member needs this many films rated among those compared before they can be named closest. */
export const MIN_FILMS_COMPARED = 3;
/** The most recent films compared: bounded reads, however long the history. */
export const MAX_FILMS_COMPARED = 100;

export interface HistoryFigures {
  /** Watch parties whose poll closed. */
  parties: number;
  /** Different films among them. */
  films: number;
  /** The mean of the rated parties' averages. */
  average?: number;
  rated: number;
  highest?: WatchedFilm;
  lowest?: WatchedFilm;
}

/** `watched` newest first, as the history keeps it: a tie goes to the most recent party. */
export function historyFigures(watched: readonly WatchedFilm[]): HistoryFigures {
  const rated = watched.filter((item): item is WatchedFilm & { average: number } => item.average !== undefined);
  let highest: WatchedFilm | undefined;
  let lowest: WatchedFilm | undefined;
  for (const item of rated) {
    if (!highest || item.average > highest.average!) highest = item;
    if (!lowest || item.average < lowest.average!) lowest = item;
  }
  return {
    parties: watched.length,
    films: new Set(watched.map((item) => item.filmId)).size,
    ...(rated.length > 0 ? { average: rated.reduce((sum, item) => sum + item.average, 0) / rated.length } : {}),
    rated: rated.length,
    ...(highest ? { highest } : {}),
    ...(lowest ? { lowest } : {}),
  };
}

/** The distinct films of the most recent parties, newest first, at most MAX_FILMS_COMPARED. */
export function filmsToCompare(watched: readonly WatchedFilm[]): string[] {
  return [...new Set(watched.map((item) => item.filmId))].slice(0, MAX_FILMS_COMPARED);
}

/** One film: the server's average rating of it, and each compared member's own (undefined: not rated). */
export interface FilmSample {
  average: number;
  ratings: (number | undefined)[];
}

export interface ClosestMember {
  /** Index into the members compared. */
  member: number;
  /** Mean absolute difference from the server's average, in stars. */
  difference: number;
  films: number;
}

/**
 * The member whose ratings sit nearest the server's averages: the smallest mean absolute
 * difference over the films they rated, among members with MIN_FILMS_COMPARED of them at least.
 * A tie goes to the member with more films, then to the one listed first.
 */
export function closestToAverage(memberCount: number, samples: readonly FilmSample[]): ClosestMember | undefined {
  let best: ClosestMember | undefined;
  for (let member = 0; member < memberCount; member++) {
    let total = 0;
    let films = 0;
    for (const sample of samples) {
      const rating = sample.ratings[member];
      if (rating === undefined) continue;
      total += Math.abs(rating - sample.average);
      films += 1;
    }
    if (films < MIN_FILMS_COMPARED) continue;
    const difference = total / films;
    if (!best || difference < best.difference - 1e-9 || (Math.abs(difference - best.difference) <= 1e-9 && films > best.films)) best = { member, difference, films };
  }
  return best;
}

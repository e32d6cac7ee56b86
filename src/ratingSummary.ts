// The math of a set of ratings: average, count and histogram, shared by the film card and polls.
import { STAR_VALUES } from './stars';

export interface RatingSummary {
  count: number;
  average: number;
  /** How many ratings each half-star value got, in STAR_VALUES order. */
  histogram: { stars: number; count: number }[];
}

/** How many ratings a tally (counts per half-star value) holds. */
export function ratingCount(tally: readonly number[]): number {
  return tally.reduce((sum, count) => sum + count, 0);
}

/** The summary of ratings counted per half-star value, in STAR_VALUES order (as storage keeps them). */
export function summariseTally(tally: readonly number[]): RatingSummary | undefined {
  const histogram = STAR_VALUES.map((stars, index) => ({ stars, count: tally[index] ?? 0 }));
  const count = ratingCount(tally);
  if (count === 0) return undefined;
  const total = histogram.reduce((sum, bar) => sum + bar.stars * bar.count, 0);
  return { count, average: total / count, histogram };
}

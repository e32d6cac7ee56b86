// The math of a set of ratings: average, count and histogram, shared by the film card and polls.
import { STAR_VALUES } from './stars';

export interface RatingSummary {
  count: number;
  average: number;
  /** How many ratings each half-star value got, in STAR_VALUES order. */
  histogram: { stars: number; count: number }[];
}

export function summarise(values: number[]): RatingSummary | undefined {
  if (values.length === 0) return undefined;
  const total = values.reduce((sum, value) => sum + value, 0);
  return {
    count: values.length,
    average: total / values.length,
    histogram: STAR_VALUES.map((stars) => ({ stars, count: values.filter((value) => value === stars).length })),
  };
}

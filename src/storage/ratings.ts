// Each member's rating of each film, kept per server.
import { z } from 'zod';
import { STAR_VALUES, starsSchema } from '../stars';
import { keys } from './keys';
import type { RecordStore } from './records';

const filmRatingsSchema = z.object({
  ratings: z.record(z.string(), z.object({ stars: starsSchema, at: z.number() })),
});

export interface RatingSummary {
  count: number;
  average: number;
  /** How many ratings each half-star value got, in STAR_VALUES order. */
  histogram: { stars: number; count: number }[];
}

export class RatingStore {
  constructor(private readonly records: RecordStore) {}

  async rate(guildId: string, filmId: string, userId: string, stars: number, now: number): Promise<void> {
    await this.rateMany(guildId, filmId, { [userId]: { stars, at: now } });
  }

  /**
   * Records several members' ratings of one film at once (a closing poll hands over its votes).
   * Each rating carries when it was given; a member's newer rating is never replaced by an older one.
   */
  async rateMany(guildId: string, filmId: string, byUser: Record<string, { stars: number; at: number }>): Promise<void> {
    await this.records.update(keys.filmRatings(guildId, filmId), filmRatingsSchema, () => ({ ratings: {} }), (record) => {
      for (const [userId, rating] of Object.entries(byUser)) {
        const stored = record.ratings[userId];
        if (!stored || stored.at <= rating.at) record.ratings[userId] = { stars: rating.stars, at: rating.at };
      }
      return record;
    });
  }

  async ratingOf(guildId: string, filmId: string, userId: string): Promise<number | undefined> {
    const record = await this.records.read(keys.filmRatings(guildId, filmId), filmRatingsSchema);
    return record?.ratings[userId]?.stars;
  }

  async summary(guildId: string, filmId: string): Promise<RatingSummary | undefined> {
    const record = await this.records.read(keys.filmRatings(guildId, filmId), filmRatingsSchema);
    return summarise(Object.values(record?.ratings ?? {}).map((rating) => rating.stars));
  }
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

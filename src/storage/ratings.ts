// Each member's rating of each film, kept per server.
import { z } from 'zod';
import { type RatingSummary, summarise } from '../ratingSummary';
import { starsSchema } from '../stars';
import { keys } from './keys';
import type { RecordStore, RecordType } from './records';


const filmRatingsSchema = z.object({
  ratings: z.record(z.string(), z.object({ stars: starsSchema, at: z.number() })),
});

export class RatingStore {
  private readonly films: RecordType<z.infer<typeof filmRatingsSchema>>;

  constructor(records: RecordStore) {
    this.films = records.type(filmRatingsSchema);
  }

  async rate(guildId: string, filmId: string, userId: string, stars: number, now: number): Promise<void> {
    await this.rateMany(guildId, filmId, { [userId]: { stars, at: now } });
  }

  /**
   * Records several members' ratings of one film at once (a closing poll hands over its votes).
   * Each rating carries when it was given; a member's newer rating is never replaced by an older one.
   */
  async rateMany(guildId: string, filmId: string, byUser: Record<string, { stars: number; at: number }>): Promise<void> {
    await this.films.update(keys.filmRatings(guildId, filmId), (current) => {
      const record = current ?? { ratings: {} };
      for (const [userId, rating] of Object.entries(byUser)) {
        const stored = record.ratings[userId];
        if (!stored || stored.at <= rating.at) record.ratings[userId] = { stars: rating.stars, at: rating.at };
      }
      return record;
    });
  }

  async ratingOf(guildId: string, filmId: string, userId: string): Promise<number | undefined> {
    const record = await this.films.read(keys.filmRatings(guildId, filmId));
    return record?.ratings[userId]?.stars;
  }

  async summary(guildId: string, filmId: string): Promise<RatingSummary | undefined> {
    const record = await this.films.read(keys.filmRatings(guildId, filmId));
    return summarise(Object.values(record?.ratings ?? {}).map((rating) => rating.stars));
  }
}

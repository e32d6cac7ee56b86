// Each member's rating of each film, kept per server: one entry per member, and a count per value.
import * as z from 'zod';
import { type RatingSummary, summariseTally } from '../ratingSummary';
import { keys } from './keys';
import type { RecordStore, RecordType } from './records';
import { emptyTally, journalSchema, type RatingEntry, ratingEntriesSchema, talliedEntries, tallyOf, tallySchema } from './tally';

const filmRatingsSchema = z.object({
  tally: tallySchema,
  journal: journalSchema.optional(),
  legacy: ratingEntriesSchema.optional(),
});
type FilmRatings = z.infer<typeof filmRatingsSchema>;

// Until 0.1 a film's ratings were one record holding every member's rating; it is moved to the
// per-member layout the first time it changes.
const legacyFilmRatingsSchema = z.object({ ratings: ratingEntriesSchema }).transform(({ ratings }): FilmRatings => ({ tally: tallyOf(Object.values(ratings)), legacy: ratings }));

export class RatingStore {
  private readonly films: RecordType<FilmRatings, RatingEntry>;

  constructor(records: RecordStore) {
    this.films = records.type(z.union([filmRatingsSchema, legacyFilmRatingsSchema]), talliedEntries<FilmRatings>(keys.filmRating));
  }

  async rate(guildId: string, filmId: string, userId: string, stars: number, now: number): Promise<void> {
    await this.rateMany(guildId, filmId, { [userId]: { stars, at: now } });
  }

  /**
   * Records several members' ratings of one film at once (a closing poll hands over its votes).
   * Each rating carries when it was given; a member's newer rating is never replaced by an older one.
   */
  async rateMany(guildId: string, filmId: string, byUser: Record<string, RatingEntry>): Promise<void> {
    const userIds = Object.keys(byUser);
    if (userIds.length === 0) return;
    await this.films.update(
      keys.filmRatings(guildId, filmId),
      (current, entries) => {
        for (const [userId, rating] of Object.entries(byUser)) {
          // A damaged rating is never overwritten (it is in the log); it must not cost the others theirs.
          if (entries.damaged(userId)) continue;
          const stored = entries.get(userId);
          if (!stored || stored.at <= rating.at) entries.set(userId, { stars: rating.stars, at: rating.at });
        }
        return current ?? { tally: emptyTally() };
      },
      userIds,
    );
  }

  async ratingOf(guildId: string, filmId: string, userId: string): Promise<number | undefined> {
    const { record, entries } = await this.films.readWithEntries(keys.filmRatings(guildId, filmId), [userId]);
    return (record?.legacy?.[userId] ?? entries[0])?.stars;
  }

  async summary(guildId: string, filmId: string): Promise<RatingSummary | undefined> {
    const record = await this.films.read(keys.filmRatings(guildId, filmId));
    return record && summariseTally(record.tally);
  }
}

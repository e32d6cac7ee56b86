// Each member's rating of each film, kept per server: one entry per member, and a count per value.
import * as z from 'zod';
import type { Logger } from '../log';
import { type RatingSummary, summariseTally } from '../ratingSummary';
import { keys } from './keys';
import type { RaterStore } from './raters';
import type { RecordStore, RecordType } from './records';
import { emptyTally, journalSchema, type RatingEntry, ratingEntriesSchema, talliedEntries, tallyOf, tallySchema } from './tally';

const filmRatingsSchema = z.object({
  tally: tallySchema,
  journal: journalSchema.optional(),
  legacy: ratingEntriesSchema.optional(),
});
type FilmRatings = z.infer<typeof filmRatingsSchema>;

/** A member's rating that stayed because it is newer than the one offered. */
export interface KeptRating {
  userId: string;
  stars: number;
}

// Until 0.1 a film's ratings were one record holding every member's rating; it is moved to the
// per-member layout the first time it changes.
const legacyFilmRatingsSchema = z.object({ ratings: ratingEntriesSchema }).transform(({ ratings }): FilmRatings => ({ tally: tallyOf(Object.values(ratings)), legacy: ratings }));

export class RatingStore {
  private readonly films: RecordType<FilmRatings, RatingEntry>;

  /** `counting`: where each member's first rating of a film is counted, for `/stats`. */
  constructor(
    records: RecordStore,
    private readonly counting?: { raters: RaterStore; log: Logger },
  ) {
    this.films = records.type(z.union([filmRatingsSchema, legacyFilmRatingsSchema]), talliedEntries<FilmRatings>(keys.filmRating));
  }

  async rate(guildId: string, filmId: string, userId: string, stars: number, now: number): Promise<void> {
    await this.rateMany(guildId, filmId, { [userId]: { stars, at: now } });
  }

  /**
   * Records several members' ratings of one film at once (a closing poll hands over its votes).
   * Each rating carries when it was given; a member's newer rating is never replaced by an older one.
   * Resolves with the members whose newer rating was kept (with its stars), and those whose damaged
   * one was left alone.
   */
  async rateMany(guildId: string, filmId: string, byUser: Record<string, RatingEntry>): Promise<{ kept: KeptRating[]; damaged: string[] }> {
    const userIds = Object.keys(byUser);
    if (userIds.length === 0) return { kept: [], damaged: [] };
    let first: string[] = [];
    let kept: KeptRating[] = [];
    let damaged: string[] = [];
    await this.films.update(
      keys.filmRatings(guildId, filmId),
      (current, entries) => {
        // Set on every run: a batch replayed after a failed check runs its mutations again.
        first = [];
        kept = [];
        damaged = [];
        for (const [userId, rating] of Object.entries(byUser)) {
          // A damaged rating is never overwritten (it is in the log); it must not cost the others theirs.
          if (entries.damaged(userId)) {
            damaged.push(userId);
            continue;
          }
          const stored = entries.get(userId);
          if (!stored) first.push(userId);
          if (!stored || stored.at <= rating.at) entries.set(userId, { stars: rating.stars, at: rating.at });
          else kept.push({ userId, stars: stored.stars });
        }
        return current ?? { tally: emptyTally() };
      },
      userIds,
    );
    if (first.length > 0 && this.counting) {
      // The ratings are saved, which is what the member asked for: a count for the statistics
      // that fails (a crash in between, too) leaves those members a film short, nothing more.
      const { raters, log } = this.counting;
      await raters.countFirstRatings(guildId, first).catch((error: unknown) => log.warn({ err: error, guildId, filmId, members: first.length }, 'first ratings not counted for /stats'));
    }
    return { kept, damaged };
  }

  /** The film's server rating with some members' own ratings of it, in one read (for `/stats`). */
  async ratingsOf(guildId: string, filmId: string, userIds: string[]): Promise<{ summary: RatingSummary | undefined; ratings: (number | undefined)[] }> {
    const { record, entries } = await this.films.readWithEntries(keys.filmRatings(guildId, filmId), userIds);
    return { summary: record && summariseTally(record.tally), ratings: userIds.map((userId, index) => (record?.legacy?.[userId] ?? entries[index])?.stars) };
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

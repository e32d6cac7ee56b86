// Members' reviews, per server and film: each review is an entry of its own beside an index of
// who reviewed when (newest first), so writing one review rewrites neither the others nor more
// than the small index, and any page is one read of five entries.
import * as z from 'zod';
import { characterCount, MAX_REVIEW_LENGTH, MIN_REVIEW_LENGTH } from '../data/reviewLimits';
import { starsSchema } from '../stars';
import { keys } from './keys';
import type { EntryChange, EntryKind, RecordStore, RecordType } from './records';


const inRange = (characters: number) => characters >= MIN_REVIEW_LENGTH && characters <= MAX_REVIEW_LENGTH;

const reviewSchema = z.object({
  userId: z.string(),
  /** The member's display name when they wrote it. */
  displayName: z.string().max(100),
  stars: starsSchema,
  // In characters, as Discord counts the form's limits.
  text: z.string().refine((text) => inRange(characterCount(text)), `${MIN_REVIEW_LENGTH} to ${MAX_REVIEW_LENGTH} characters`),
  spoiler: z.boolean(),
  createdAt: z.number(),
  /** When it was last written: the index orders by it. */
  at: z.number(),
});
export type Review = z.infer<typeof reviewSchema>;

// A removed review leaves a marker: entries are only ever set, never deleted (see records.ts).
const removedSchema = z.object({ removedAt: z.number() });
const entrySchema = z.union([reviewSchema, removedSchema]);
type Entry = z.infer<typeof entrySchema>;
const isReview = (entry: Entry | undefined): entry is Review => entry !== undefined && 'text' in entry;

const indexItemSchema = z.object({ userId: z.string(), at: z.number(), spoiler: z.boolean() });
export type IndexedReview = z.infer<typeof indexItemSchema>;

const indexSchema = z.object({
  /** Newest first. */
  reviews: z.array(indexItemSchema),
  /** Entries the last write set (their `at`, or null for a removal), to mend the index should they not have landed. */
  journal: z.record(z.string(), z.number().nullable()).optional(),
});
type ReviewIndex = z.infer<typeof indexSchema>;

/** Keeps the index in line with the entries it names (see EntryKind). */
const indexedReviews: EntryKind<ReviewIndex, Entry> = {
  schema: entrySchema,
  key: keys.review,
  pinned: (record) => Object.keys(record?.journal ?? {}),
  settle(record, entries) {
    if (!record?.journal) return record;
    for (const id of Object.keys(record.journal)) place(record, id, entries.get(id));
    delete record.journal;
    return record;
  },
  noteChanges(record, changes: EntryChange<Entry>[]) {
    if (changes.length === 0) return record;
    record.journal = {};
    for (const { id, after } of changes) {
      place(record, id, after);
      record.journal[id] = isReview(after) ? after.at : null;
    }
    return record;
  },
};

/** Puts `id` where its entry says (newest first), or takes it out for a removal. */
function place(index: ReviewIndex, id: string, entry: Entry | undefined): void {
  index.reviews = index.reviews.filter((item) => item.userId !== id);
  if (!isReview(entry)) return;
  const at = index.reviews.findIndex((item) => item.at < entry.at);
  index.reviews.splice(at < 0 ? index.reviews.length : at, 0, { userId: id, at: entry.at, spoiler: entry.spoiler });
}

const reviewedFilmsSchema = z.object({ films: z.record(z.string(), z.object({ title: z.string(), year: z.number().optional() })) });
export type ReviewedFilms = z.infer<typeof reviewedFilmsSchema>['films'];

export class ReviewStore {
  private readonly indexes: RecordType<ReviewIndex, Entry>;
  private readonly reviewed: RecordType<z.infer<typeof reviewedFilmsSchema>>;

  constructor(records: RecordStore) {
    this.indexes = records.type(indexSchema, indexedReviews);
    this.reviewed = records.type(reviewedFilmsSchema);
  }

  /** The films this server has (or had) member reviews of, by id, with their names. */
  async reviewedFilms(guildId: string): Promise<ReviewedFilms> {
    return (await this.reviewed.read(keys.reviewedFilms(guildId)))?.films ?? {};
  }

  /** Notes a film as reviewed here, so quotes drawn from any film can find its reviews. */
  async noteReviewed(guildId: string, film: { id: string; title: string; year?: number | undefined }): Promise<void> {
    if ((await this.reviewedFilms(guildId))[film.id]) return;
    await this.reviewed.update(keys.reviewedFilms(guildId), (current) => ({
      films: { ...current?.films, [film.id]: { title: film.title, ...(film.year === undefined ? {} : { year: film.year }) } },
    }));
  }

  /** Newest first. Not a copy (a film's index can hold thousands): callers only read it. */
  async index(guildId: string, filmId: string): Promise<readonly IndexedReview[]> {
    return (await this.indexes.peek(keys.reviews(guildId, filmId)))?.reviews ?? [];
  }

  async count(guildId: string, filmId: string): Promise<number> {
    return (await this.index(guildId, filmId)).length;
  }

  /** One member's review, or undefined. */
  async of(guildId: string, filmId: string, userId: string): Promise<Review | undefined> {
    const [entry] = await this.indexes.readEntries(keys.reviews(guildId, filmId), [userId]);
    return isReview(entry) ? entry : undefined;
  }

  /** Reviews by member id, in the order asked; a review removed since the index was read is left out. */
  async many(guildId: string, filmId: string, userIds: string[]): Promise<Review[]> {
    return (await this.indexes.readEntries(keys.reviews(guildId, filmId), userIds)).filter(isReview);
  }

  /** Writes (or rewrites) a member's review; it keeps its first `createdAt`. */
  async write(guildId: string, filmId: string, review: Omit<Review, 'createdAt'>): Promise<Review> {
    let written: Review | undefined;
    await this.indexes.update(
      keys.reviews(guildId, filmId),
      (index, entries) => {
        const before = entries.get(review.userId);
        written = { ...review, createdAt: isReview(before) ? before.createdAt : review.at };
        entries.set(review.userId, written);
        return index ?? { reviews: [] };
      },
      [review.userId],
    );
    return written!;
  }

  /**
   * Writes a review written elsewhere at `review.at` (an import), unless the member's review here,
   * or its removal, is newer: then that stays and this resolves with 'kept'.
   */
  async writeUnlessNewer(guildId: string, filmId: string, review: Omit<Review, 'createdAt'>): Promise<'written' | 'kept'> {
    let outcome: 'written' | 'kept' = 'written';
    await this.indexes.update(
      keys.reviews(guildId, filmId),
      (index, entries) => {
        const before = entries.get(review.userId);
        const newerHere = before !== undefined && (isReview(before) ? before.at > review.at : before.removedAt > review.at);
        outcome = newerHere ? 'kept' : 'written';
        if (!newerHere) entries.set(review.userId, { ...review, createdAt: isReview(before) ? Math.min(before.createdAt, review.at) : review.at });
        return index ?? { reviews: [] };
      },
      [review.userId],
    );
    return outcome;
  }

  /** Removes a member's review; resolves with it, or undefined when there was none. */
  async remove(guildId: string, filmId: string, userId: string, now: number): Promise<Review | undefined> {
    let removed: Review | undefined;
    await this.indexes.update(
      keys.reviews(guildId, filmId),
      (index, entries) => {
        const before = entries.get(userId);
        if (isReview(before)) {
          removed = before;
          entries.set(userId, { removedAt: now });
        }
        return index ?? { reviews: [] };
      },
      [userId],
    );
    return removed;
  }
}

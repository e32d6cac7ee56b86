// Entries kept one per member beside a small record that counts them per value (half-star values
// for ratings, films for pick votes), so that a vote or a rating costs the same however many came
// before it (see EntryKind).
import * as z from 'zod';
import { STAR_VALUES, starsSchema } from '../stars';
import type { Entries, EntryChange, EntryKind } from './records';

/** One member's rating (or poll vote) and when it was given. */
export const ratingEntrySchema = z.object({ stars: starsSchema, at: z.number() });
export type RatingEntry = z.infer<typeof ratingEntrySchema>;

export const ratingEntriesSchema = z.record(z.string(), ratingEntrySchema);

/** How many entries give each half-star value, in STAR_VALUES order. */
export const tallySchema = z.array(z.number().int().nonnegative()).length(STAR_VALUES.length);

/** The value each entry the last batch set was given, written into the record before them: see `settle` below. */
export const journalSchema = z.record(z.string(), starsSchema);

/** A record that counts its entries. `legacy`: entries an older layout kept inside it, not yet moved out. */
export interface Tallied<E = RatingEntry> {
  tally: number[];
  /** The value (see `Counting`) each entry the last batch set was given, written before them. */
  journal?: Record<string, number>;
  legacy?: Record<string, E>;
}

/** What an entry counts as: the value its journal line records, and the tally slot of a value. */
export interface Counting<E> {
  schema: z.ZodType<E>;
  valueOf(entry: E): number;
  slotOf(value: number): number;
}

/** Ratings and rating-poll votes: counted per half-star value; the journal records the stars. */
export const starCounting: Counting<RatingEntry> = {
  schema: ratingEntrySchema,
  valueOf: (entry) => entry.stars,
  slotOf: (stars) => STAR_VALUES.indexOf(stars as (typeof STAR_VALUES)[number]),
};

export function emptyTally(): number[] {
  return STAR_VALUES.map(() => 0);
}

export function tallyOf(entries: Iterable<RatingEntry>): number[] {
  const tally = emptyTally();
  for (const entry of entries) move(tally, null, starCounting.slotOf(entry.stars));
  return tally;
}

/** How a record of type T keeps its ratings under `entryKey`, counted in its tally. */
export function talliedEntries<T extends Tallied>(entryKey: (recordKey: string, id: string) => string): EntryKind<T, RatingEntry> {
  return countedEntries<T, RatingEntry>(entryKey, starCounting);
}

/** How a record of type T keeps entries of type E under `entryKey`, each counted in a slot of its tally. */
export function countedEntries<T extends Tallied<E>, E>(entryKey: (recordKey: string, id: string) => string, counting: Counting<E>): EntryKind<T, E> {
  const slot = (entry: E | undefined) => (entry === undefined ? null : counting.slotOf(counting.valueOf(entry)));
  return {
    schema: counting.schema,
    key: entryKey,
    pinned: (record) => Object.keys(record?.journal ?? {}),
    settle(record: T | undefined, entries: Entries<E>): T | undefined {
      if (!record?.journal) return record;
      // The record was written with these entries counted, before the entries themselves; where
      // that write did not land (the member was told so), count what is really stored instead.
      for (const [id, to] of Object.entries(record.journal)) {
        const stored = entries.get(id);
        const storedValue = stored === undefined ? null : counting.valueOf(stored);
        if (storedValue !== to) move(record.tally, counting.slotOf(to), slot(stored));
      }
      delete record.journal;
      return record;
    },
    noteChanges(record: T, changes: EntryChange<E>[]): T {
      if (changes.length === 0) return record;
      const journal: Record<string, number> = {};
      for (const { id, before, after } of changes) {
        move(record.tally, slot(before), slot(after));
        journal[id] = counting.valueOf(after);
      }
      record.journal = journal;
      return record;
    },
    legacy(record: T) {
      if (!record.legacy) return undefined;
      const { legacy, ...rest } = record;
      return { entries: legacy, record: rest as T };
    },
  };
}

function move(tally: number[], from: number | null, to: number | null): void {
  if (from !== null) tally[from] = Math.max(0, (tally[from] ?? 0) - 1);
  if (to !== null) tally[to] = (tally[to] ?? 0) + 1;
}

// Ratings kept one entry per member beside a small record that counts them per half-star value,
// so that a vote or a rating costs the same however many came before it (see EntryKind).
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
export interface Tallied {
  tally: number[];
  journal?: z.infer<typeof journalSchema>;
  legacy?: Record<string, RatingEntry>;
}

export function emptyTally(): number[] {
  return STAR_VALUES.map(() => 0);
}

export function tallyOf(entries: Iterable<RatingEntry>): number[] {
  const tally = emptyTally();
  for (const entry of entries) move(tally, null, entry.stars);
  return tally;
}

/** How a record of type T keeps its entries under `entryKey`, counted in its tally. */
export function talliedEntries<T extends Tallied>(entryKey: (recordKey: string, id: string) => string): EntryKind<T, RatingEntry> {
  return {
    schema: ratingEntrySchema,
    key: entryKey,
    pinned: (record) => Object.keys(record?.journal ?? {}),
    settle(record: T | undefined, entries: Entries<RatingEntry>): T | undefined {
      if (!record?.journal) return record;
      // The record was written with these entries counted, before the entries themselves; where
      // that write did not land (the member was told so), count what is really stored instead.
      for (const [id, to] of Object.entries(record.journal)) {
        const stored = entries.get(id)?.stars ?? null;
        if (stored !== to) move(record.tally, to, stored);
      }
      delete record.journal;
      return record;
    },
    noteChanges(record: T, changes: EntryChange<RatingEntry>[]): T {
      if (changes.length === 0) return record;
      const journal: NonNullable<Tallied['journal']> = {};
      for (const { id, before, after } of changes) {
        move(record.tally, before?.stars ?? null, after.stars);
        journal[id] = after.stars;
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
  if (from !== null) {
    const index = STAR_VALUES.indexOf(from as (typeof STAR_VALUES)[number]);
    tally[index] = Math.max(0, tally[index]! - 1);
  }
  if (to !== null) tally[STAR_VALUES.indexOf(to as (typeof STAR_VALUES)[number])]! += 1;
}

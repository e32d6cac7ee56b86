// How many films each member rated in a server: one small entry per member (see EntryKind), beside
// a record with the totals and a leaderboard of the busiest raters. A member's first rating of a
// film rewrites their entry and this small record, never a list that grows with the server.
import * as z from 'zod';
import { keys } from './keys';
import type { EntryChange, EntryKind, RecordStore, RecordType } from './records';

/** How many raters the leaderboard keeps. */
export const TOP_RATERS = 25;

const leaderSchema = z.object({ userId: z.string().min(1), films: z.number().int().positive() });
export type Rater = z.infer<typeof leaderSchema>;

const ratersSchema = z.object({
  /** Members who rated at least one film. */
  members: z.number().int().nonnegative(),
  /** Films rated, counted once per member and film. */
  ratings: z.number().int().nonnegative(),
  /** The busiest raters, most films first. */
  top: z.array(leaderSchema).max(TOP_RATERS),
  /** The count [before, after] of each entry the last batch set, written before them: see `settle`. */
  journal: z.record(z.string(), z.tuple([z.number().int().nonnegative(), z.number().int().nonnegative()])).optional(),
});
type Raters = z.infer<typeof ratersSchema>;

const raterEntrySchema = z.object({ films: z.number().int().positive() });
type RaterEntry = z.infer<typeof raterEntrySchema>;

export interface RaterBoard {
  members: number;
  ratings: number;
  /** Most films first; at most TOP_RATERS. */
  top: Rater[];
}

/**
 * Counts only ever grow, so the leaderboard stays the true top: a member outside it joins it
 * only by passing its last place, and every count that grows is seen here.
 */
const countedRaters: EntryKind<Raters, RaterEntry> = {
  schema: raterEntrySchema,
  key: keys.rater,
  pinned: (record) => Object.keys(record?.journal ?? {}),
  settle(record, entries) {
    if (!record?.journal) return record;
    // The record was written counting these entries, before them; where the entries' write did
    // not land, the record counts what is really stored instead.
    for (const [id, [, to]] of Object.entries(record.journal)) {
      const stored = entries.get(id)?.films ?? 0;
      if (stored === to) continue;
      record.ratings = Math.max(0, record.ratings + stored - to);
      record.members = Math.max(0, record.members + (stored > 0 ? 1 : 0) - (to > 0 ? 1 : 0));
      place(record.top, id, stored);
    }
    delete record.journal;
    return record;
  },
  noteChanges(record, changes: EntryChange<RaterEntry>[]) {
    if (changes.length === 0) return record;
    const journal: NonNullable<Raters['journal']> = {};
    for (const { id, before, after } of changes) {
      const from = before?.films ?? 0;
      record.ratings += after.films - from;
      if (from === 0) record.members += 1;
      place(record.top, id, after.films);
      journal[id] = [from, after.films];
    }
    record.journal = journal;
    return record;
  },
};

/** Puts a member where their count says (after others with as many), or off the board at 0. */
function place(top: Rater[], userId: string, films: number): void {
  const at = top.findIndex((item) => item.userId === userId);
  if (at >= 0) top.splice(at, 1);
  if (films <= 0) return;
  const before = top.findIndex((item) => item.films < films);
  top.splice(before < 0 ? top.length : before, 0, { userId, films });
  if (top.length > TOP_RATERS) top.length = TOP_RATERS;
}

export class RaterStore {
  private readonly raters: RecordType<Raters, RaterEntry>;

  constructor(records: RecordStore) {
    this.raters = records.type(ratersSchema, countedRaters);
  }

  /** Counts one more film for each member named (a member named twice rated two films). */
  async countFirstRatings(guildId: string, userIds: string[]): Promise<void> {
    if (userIds.length === 0) return;
    await this.raters.update(
      keys.raters(guildId),
      (current, entries) => {
        for (const userId of userIds) {
          // A damaged count is never overwritten (it is in the log); the others still count.
          if (entries.damaged(userId)) continue;
          entries.set(userId, { films: (entries.get(userId)?.films ?? 0) + 1 });
        }
        return current ?? { members: 0, ratings: 0, top: [] };
      },
      userIds,
    );
  }

  async board(guildId: string): Promise<RaterBoard> {
    const record = await this.raters.read(keys.raters(guildId));
    return { members: record?.members ?? 0, ratings: record?.ratings ?? 0, top: record?.top ?? [] };
  }
}

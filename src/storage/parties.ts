// Scheduled watch parties, one record per server. A party is kept from `/watchparty schedule`
// until its poll is open (or it is cancelled); its step is what its status says comes next.
import { randomBytes } from 'node:crypto';
import * as z from 'zod';
import { keys } from './keys';
import type { RecordStore, RecordType } from './records';

/** Enough for a busy club's calendar; keeps the record small enough to read whole. */
export const MAX_UPCOMING_PARTIES = 100;

const partySchema = z.object({
  id: z.string(),
  filmId: z.string(),
  film: z.object({ title: z.string(), year: z.number().optional() }),
  hostId: z.string(),
  /** Where the announcement, the starting message and the poll go: where the command was typed. */
  channelId: z.string(),
  /** The Discord scheduled event that shows the party on the server's calendar. */
  eventId: z.string(),
  /** Where it happens, as the announcement says it ("in <#voice channel>", "in #screening-room"). */
  where: z.string(),
  startAt: z.number(),
  /** When the rating poll opens (start + length). */
  pollAt: z.number(),
  pollDurationMs: z.number(),
  announcementId: z.string().optional(),
  /**
   * `scheduled` → the start is next; `started` → the poll is next; `polling` → the poll is being
   * opened (its id is fixed, so opening it again after a crash finds the same poll).
   */
  status: z.enum(['scheduled', 'started', 'polling']),
  pollId: z.string().optional(),
  createdAt: z.number(),
  /**
   * The language it was scheduled in (a Discord locale code): its announcement's edits, its
   * "starting" message and its poll use it. Absent (parties from before): English.
   */
  locale: z.string().optional(),
});
export type Party = z.infer<typeof partySchema>;

const partiesSchema = z.object({ parties: z.record(z.string(), partySchema) });

export class PartyLimitError extends Error {
  override readonly name = 'PartyLimitError';
}

export type NewParty = Omit<Party, 'id' | 'status' | 'createdAt'>;

export class PartyStore {
  private readonly records: RecordType<z.infer<typeof partiesSchema>>;

  constructor(records: RecordStore) {
    this.records = records.type(partiesSchema);
  }

  static newId(): string {
    return randomBytes(5).toString('hex');
  }

  async list(guildId: string): Promise<Party[]> {
    return Object.values((await this.records.read(keys.parties(guildId)))?.parties ?? {});
  }

  /** Every party of these servers (one read for them all). */
  async listMany(guildIds: string[]): Promise<{ guildId: string; party: Party }[]> {
    const records = await this.records.readMany(guildIds.map(keys.parties), { remember: false });
    return records.flatMap((record, i) => Object.values(record?.parties ?? {}).map((party) => ({ guildId: guildIds[i]!, party })));
  }

  async add(guildId: string, id: string, party: NewParty, now: number): Promise<Party> {
    const added: Party = { ...party, id, status: 'scheduled', createdAt: now };
    await this.records.update(keys.parties(guildId), (current) => {
      const record = current ?? { parties: {} };
      if (Object.keys(record.parties).length >= MAX_UPCOMING_PARTIES) throw new PartyLimitError(`a server keeps at most ${MAX_UPCOMING_PARTIES} upcoming parties`);
      record.parties[id] = added;
      return record;
    });
    return added;
  }

  /**
   * Changes a party if `change` says so (it returns undefined to leave it as it is). Resolves with
   * the party as stored after and whether this call changed it, or undefined when there is no
   * such party (any more).
   */
  async change(guildId: string, id: string, change: (party: Party) => Party | undefined): Promise<{ party: Party; changed: boolean } | undefined> {
    let result: { party: Party; changed: boolean } | undefined;
    await this.records.update(keys.parties(guildId), (current) => {
      const record = current ?? { parties: {} };
      const party = record.parties[id];
      if (!party) return record;
      const changed = change(party);
      result = { party: changed ?? party, changed: changed !== undefined };
      if (changed) record.parties[id] = changed;
      return record;
    });
    return result;
  }

  /** Removes a party (done or cancelled); resolves with it, or undefined if it was gone already. */
  async remove(guildId: string, id: string): Promise<Party | undefined> {
    let removed: Party | undefined;
    await this.records.update(keys.parties(guildId), (current) => {
      const record = current ?? { parties: {} };
      removed = record.parties[id];
      delete record.parties[id];
      return record;
    });
    return removed;
  }
}

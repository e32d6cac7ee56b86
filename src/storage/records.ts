// Validated reads and serialised, batched read-modify-write updates of keyv records.
import type Keyv from 'keyv';
import type { z } from 'zod';
import { InvalidRecordError, RecordDamagedError, StorageUnavailableError } from '../errors';
import type { Logger } from '../log';
import { OutageMonitor } from './outage';
import { STORAGE_TIMEOUT_MS } from './timeouts';

/**
 * Changes a record (undefined when there is none yet) and returns it. A mutation that refuses
 * (a vote on a closed poll, say) must throw before it changes anything: the others in its batch
 * share the same copy of the record. Records kept with entries (see `EntryKind`) also get the
 * entries the update named, to read and set.
 */
export type Mutation<T, E = never> = (current: T | undefined, entries: Entries<E>) => T;

/** The entries a batch loaded: what mutations read and set. */
export interface Entries<E> {
  /** The entry as stored, or as set earlier in this batch; undefined when there is none (or it is damaged). */
  get(id: string): E | undefined;
  /** Sets an entry; throws (before anything changed) if it fails its schema or the stored one is damaged. */
  set(id: string, entry: E): void;
  /** The stored entry fails its schema (reported in the log); it is never overwritten. */
  damaged(id: string): boolean;
}

export interface EntryChange<E> {
  id: string;
  before: E | undefined;
  after: E;
}

/**
 * Entries kept beside a record, each under a key of its own (one per member, say), so that a
 * change costs the same however many there are. They are changed only through their record's
 * queue: one batch reads the record and the entries it needs, writes the record, then the
 * entries. The record is written first so that it can say what the entries write was meant to
 * do (a journal): if that write then fails, the next batch finds the entries as they really are
 * and mends the record (`settle`).
 */
export interface EntryKind<T, E> {
  schema: z.ZodType<E>;
  /** Where entry `id` of the record at `recordKey` is kept. */
  key(recordKey: string, id: string): string;
  /** Entries every batch must read besides those its updates name (the ones the journal names). */
  pinned(record: T | undefined): string[];
  /** Run once a batch, before its mutations: brings the record in line with the stored entries. */
  settle(record: T | undefined, entries: Entries<E>): T | undefined;
  /** Run once a batch, after its mutations: folds the batch's entry changes into the record. */
  noteChanges(record: T, changes: EntryChange<E>[]): T;
  /**
   * An older layout kept the entries inside the record: returns them and the record without
   * them, to be written out (entries first) before any batch runs on it.
   */
  legacy?(record: T): { entries: Record<string, E>; record: T } | undefined;
}

interface Pending {
  mutate: Mutation<unknown, unknown>;
  entryIds: readonly string[];
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

interface Queue {
  /** The schema every mutation queued on this key was written for. */
  schema: z.ZodType;
  kind: EntryKind<unknown, unknown> | undefined;
  waiting: Pending[];
}

/** How a storage call ended, as the metrics count it. */
export type StorageOutcome = 'ok' | 'failure' | 'timeout';

export interface RecordStoreOptions {
  /** Named in outage logs: sqlite, redis or postgres. */
  backend?: string;
  timeoutMs?: number;
  /** Told the outcome of every storage call (for the metrics; lower layers never import them). */
  onOperation?: (outcome: StorageOutcome) => void;
}

// How long a write that timed out may take to land or fail before its key is used again.
const UNSETTLED_WRITE_CAP_MS = 30_000;

class StorageTimeoutError extends Error {}

/**
 * keyv has no atomic update, so concurrent read-modify-writes of one key lose writes.
 * Every update of a key goes through one queue here: while a write is in flight, later
 * mutations wait, and then all of them are applied to one read and saved with one write
 * (group commit). Each caller learns its own outcome only after its write is durable.
 * This is safe across processes only when one process owns a key, as a shard owns a guild
 * (and its lease makes sure of that).
 *
 * Records are read and changed through a `RecordType`, one per schema, so every mutation queued
 * on a key was written for the same schema; there is no shared default record to go wrong.
 */
export class RecordStore {
  private readonly queues = new Map<string, Queue>();
  /** Records as this process last saved or read them (ABSENT for a key found empty), oldest first: see readRecords. */
  private readonly recent = new Map<string, unknown>();
  /** Entries read last outside a batch, by entry key: see readEntriesThroughMemory. */
  private readonly recentEntries = new Map<string, RememberedEntry>();
  /** Bumped whenever a key's stored record may have changed, so a read begun before is not remembered. */
  private readonly generations = new Map<string, number>();
  private epoch = 0;
  /** Keys whose last write timed out but may still land; see `holdUntilSettled`. */
  private readonly unsettled = new Set<string>();
  private readonly outage: OutageMonitor;
  private readonly timeoutMs: number;

  constructor(
    private readonly kv: Keyv<unknown>,
    private readonly log: Logger,
    private readonly options: RecordStoreOptions = {},
  ) {
    this.timeoutMs = options.timeoutMs ?? STORAGE_TIMEOUT_MS;
    this.outage = new OutageMonitor(log, options.backend ?? 'storage');
  }

  /** The records that follow `schema`: the only way to read or change them. */
  type<T>(schema: z.ZodType<T>): RecordType<T>;
  type<T, E>(schema: z.ZodType<T>, kind: EntryKind<T, E>): RecordType<T, E>;
  type<T, E>(schema: z.ZodType<T>, kind?: EntryKind<T, E>): RecordType<T, E> {
    const entryKind = kind as EntryKind<unknown, unknown> | undefined;
    return {
      read: async (key) => (await this.readRecords([key], schema, entryKind))[0] as T | undefined,
      readMany: (keys, options) => this.readRecords(keys, schema, entryKind, options?.remember ?? true) as Promise<(T | undefined)[]>,
      readWithEntries: async (key, ids) => {
        if (!entryKind) throw new Error('this record type keeps no entries');
        // As a batch reads them (see commit): the record with the first entries, then the rest.
        const { raw, loaded } = await this.readWithNamed(key, entryKind, ids);
        const rest = ids.filter((id) => !loaded.has(id));
        for (const [id, entry] of await this.loadEntries(key, entryKind, rest)) loaded.set(id, entry);
        return { record: this.validate(key, raw, schema).record, entries: ids.map((id) => loaded.get(id)?.record as E | undefined) };
      },
      readEntries: async (key, ids) => {
        if (!entryKind) throw new Error('this record type keeps no entries');
        const loaded = await this.readEntriesThroughMemory(key, entryKind, ids);
        return ids.map((id) => loaded.get(id)?.record as E | undefined);
      },
      peek: async (key) => {
        const hit = this.recent.get(key);
        if (hit === ABSENT) return undefined;
        return (hit as T | undefined) ?? ((await this.readRecords([key], schema, entryKind))[0] as T | undefined);
      },
      update: (key, mutate, entryIds = []) => this.update(key, schema, entryKind, mutate as Mutation<unknown, unknown>, entryIds) as Promise<T>,
    };
  }

  /**
   * Values that expire and may be fetched again (TMDB answers): no queue, since any process may
   * write them, but the same time limit and outage reports as records. A value failing `schema`
   * reads as absent, so the caller fetches it again and overwrites it.
   *
   * The last few hundred read or written are also kept in memory for a few minutes (never longer
   * than their time to live when written here), so that autocomplete, which asks again on every
   * keystroke, costs no storage read. Another process writing the same key writes the same answer
   * fetched again, so a kept one is at worst a few minutes older.
   */
  expiring<T>(schema: z.ZodType<T>): ExpiringType<T> {
    const kept = new Map<string, { value: T; until: number }>();
    const keep = (key: string, value: T, forMs: number) => keepNewest(kept, key, { value, until: Date.now() + Math.min(forMs, EXPIRING_KEPT_MS) }, EXPIRING_KEPT);
    return {
      get: async (key) => {
        const hit = kept.get(key);
        if (hit && hit.until > Date.now()) return structuredClone(hit.value);
        const raw = await this.guard(() => this.kv.get(key));
        if (raw === undefined || raw === null) return undefined;
        const parsed = schema.safeParse(raw);
        if (!parsed.success) {
          this.log.warn({ key, issues: parsed.error.issues.slice(0, 5) }, 'cached value fails its schema: fetched again');
          return undefined;
        }
        keep(key, structuredClone(parsed.data), EXPIRING_KEPT_MS);
        return parsed.data;
      },
      set: async (key, value, ttlMs) => {
        await this.guard(() => this.kv.set(key, value, ttlMs));
        keep(key, structuredClone(value), ttlMs);
      },
    };
  }

  /** Each record, ABSENT where storage holds nothing, undefined where it holds a corrupt one. */
  private async readMany<T>(keys: string[], schema: z.ZodType<T>): Promise<(T | typeof ABSENT | undefined)[]> {
    // In chunks, as entries are read (see READ_CHUNK): start-up reads one key per server, and one
    // read of thousands of keys would also make one string (and SQLite statement) of them all.
    const records: (T | typeof ABSENT | undefined)[] = [];
    for (let start = 0; start < keys.length; start += READ_CHUNK) {
      const chunk = keys.slice(start, start + READ_CHUNK);
      const raws = await this.guard(() => this.kv.getMany(chunk));
      // Most keys of a start-up read hold nothing: they need no validation either.
      for (let index = 0; index < chunk.length; index++) {
        const raw = raws[index];
        records.push(raw === undefined || raw === null ? ABSENT : this.validate(chunk[index]!, raw, schema).record);
      }
    }
    return records;
  }

  /**
   * Reads records (a record failing its schema is reported and comes back as absent), through the
   * records this process saved or read last: only this process writes its shards' records (see
   * lease/), so a record it saved is the stored one, and reading it again (every film card reads
   * its ratings) need not cost a round trip. A record being written, or whose last write failed
   * or timed out, is read from storage again. That a key holds nothing is remembered the same way
   * (a film nobody has rated or reviewed yet is read by every card of it).
   *
   * A record kept with entries comes back with its counts brought in line with the entries its
   * journal names, as the next batch would (see EntryKind), unless a batch of this process is
   * writing it: then the record as written is the one about to be true.
   */
  private async readRecords(keys: string[], schema: z.ZodType, kind: EntryKind<unknown, unknown> | undefined, remember = true): Promise<unknown[]> {
    // Plain loops: at start-up this reads one key per server (thousands), and every array or
    // iterator step allocated per key is garbage the moment the bot starts serving.
    const records: unknown[] = new Array(keys.length).fill(undefined);
    const missingAt: number[] = [];
    const missing: string[] = [];
    for (let index = 0; index < keys.length; index++) {
      const hit = this.recent.get(keys[index]!);
      if (hit === ABSENT) continue;
      if (hit !== undefined) records[index] = structuredClone(hit);
      else {
        missingAt.push(index);
        missing.push(keys[index]!);
      }
    }
    if (missing.length === 0) return records;
    const seen = { epoch: this.epoch, generations: missing.map((key) => this.generations.get(key) ?? 0) };
    const fetched = await this.readMany(missing, schema);
    for (let index = 0; index < missing.length; index++) {
      const key = missing[index]!;
      let record = fetched[index];
      if (record === ABSENT) {
        if (remember && seen.epoch === this.epoch && this.mayRemember(key, seen.generations[index]!)) this.keep(key, ABSENT);
        continue;
      }
      // A corrupt record reads as absent but is not remembered: it is reported on every read.
      if (record === undefined) continue;
      if (kind && !this.queues.has(key)) {
        const pinned = kind.pinned(record);
        if (pinned.length > 0) record = kind.settle(record, new EntryView(key, kind, await this.loadEntries(key, kind, pinned)));
      }
      if (remember && seen.epoch === this.epoch && this.mayRemember(key, seen.generations[index]!)) this.remember(key, record);
      records[missingAt[index]!] = record;
    }
    return records;
  }

  private mayRemember(key: string, generationAtRead: number): boolean {
    return !this.queues.has(key) && !this.unsettled.has(key) && (this.generations.get(key) ?? 0) === generationAtRead;
  }

  private remember(key: string, record: unknown): void {
    this.keep(key, structuredClone(record));
  }

  private keep(key: string, value: unknown): void {
    keepNewest(this.recent, key, value, RECENT_RECORDS);
  }

  /** A write of `key` starts: a read begun before it may be out of date, so it is not remembered. */
  private supersedeReads(key: string): void {
    this.generations.set(key, (this.generations.get(key) ?? 0) + 1);
    if (this.generations.size > MAX_GENERATIONS) {
      // A new epoch makes every read under way too old to be remembered.
      this.generations.clear();
      this.recent.clear();
      this.epoch += 1;
    }
  }

  /** The stored record may differ from what was remembered: a write failed, or settled late. */
  private forget(key: string): void {
    this.recent.delete(key);
    this.supersedeReads(key);
  }

  /**
   * Applies `mutate` to the record at `key` and saves it. A mutation that throws, or that would
   * leave a record failing its schema, fails alone: the others in its batch are still saved.
   * Each caller gets the record as saved by its batch. A stored record that fails its schema is
   * never overwritten: the update fails instead.
   */
  private update(key: string, schema: z.ZodType, kind: EntryKind<unknown, unknown> | undefined, mutate: Mutation<unknown, unknown>, entryIds: readonly string[]): Promise<unknown> {
    if (this.unsettled.has(key)) return Promise.reject(new StorageUnavailableError(new Error(`a timed-out write of ${key} has not settled`)));
    return new Promise((resolve, reject) => {
      const pending: Pending = { mutate, entryIds, resolve, reject };
      const queue = this.queues.get(key);
      if (queue) {
        // Two schemas for one key is a bug in the key scheme: never apply one's mutation to the other's record.
        if (queue.schema !== schema) return reject(new Error(`${key} is updated as two different record types`));
        queue.waiting.push(pending);
        return;
      }
      this.queues.set(key, { schema, kind, waiting: [pending] });
      void this.drain(key);
    });
  }

  private async drain(key: string): Promise<void> {
    for (;;) {
      const queue = this.queues.get(key);
      if (!queue || queue.waiting.length === 0) {
        this.queues.delete(key);
        return;
      }
      // Mutations that arrive while this batch is being written form the next batch.
      const batch = queue.waiting;
      queue.waiting = [];
      await this.commit(key, queue, batch);
    }
  }

  private async commit(key: string, { schema, kind }: Queue, batch: Pending[]): Promise<void> {
    // Reads begun before this batch are not remembered. The record remembered before it still
    // answers reads while the batch is written (it is what storage holds until the write lands,
    // and no caller has been told otherwise): a film card shown during a poll's votes, or
    // /watchparty status during a burst, costs no storage read. Written, the batch's record is
    // remembered before its callers are answered; anything else forgets the record.
    this.supersedeReads(key);
    let applied: Pending[] = batch;
    let saved = false;
    try {
      const named = [...new Set(batch.flatMap((pending) => pending.entryIds))];
      // The record and the entries the batch names, in one read; the journal's entries may need a second.
      const { raw, loaded } = await this.readWithNamed(key, kind, named);
      const stored = this.validate(key, raw, schema);
      if (stored.corrupt) throw new RecordDamagedError(key);
      const legacy = kind && stored.record !== undefined ? kind.legacy?.(stored.record) : undefined;
      const migrated = kind && legacy ? await this.migrate(key, schema, kind, legacy) : undefined;
      // Entries read before a move out of the record are out of date.
      if (migrated !== undefined) loaded.clear();
      if (kind) {
        const missing = [...kind.pinned(migrated ?? stored.record), ...named].filter((id) => !loaded.has(id));
        for (const [id, entry] of await this.loadEntries(key, kind, missing)) loaded.set(id, entry);
      }
      // The record as stored, settled against its entries; `copy` gives a fresh one for a replay.
      const pristine = migrated === undefined ? undefined : structuredClone(migrated);
      const base = (copy: boolean) => {
        const record = migrated !== undefined ? (copy ? structuredClone(pristine) : migrated) : copy ? this.validate(key, structuredClone(raw), schema).record : stored.record;
        return kind ? kind.settle(record, new EntryView(key, kind, loaded)) : record;
      };

      // One copy of the record serves the whole batch, validated once before it is written:
      // per-mutation copies and checks made a burst of n votes cost n² (measured by the bench).
      let outcome = this.applyBatch(key, schema, kind, base(false), loaded, batch, false);
      applied = outcome.applied;
      if (applied.length === 0) return;
      let checked = schema.safeParse(outcome.record);
      if (!checked.success) {
        // Rare: some mutation broke the record. Replay the batch on a fresh copy, one checked
        // step at a time, so only the offending callers fail.
        outcome = this.applyBatch(key, schema, kind, base(true), loaded, applied, true);
        applied = outcome.applied;
        if (applied.length === 0) return;
        checked = schema.safeParse(outcome.record);
        if (!checked.success) throw new InvalidRecordError(key, checked.error);
      }
      saved = await this.write(key, checked.data, outcome.changes, kind, applied);
    } catch (error) {
      for (const pending of applied) pending.reject(error);
    } finally {
      // No write, a failed one, or one that timed out and may land later (a moved-out record's
      // new layout may be stored even when every mutation failed): storage is read again.
      if (!saved) this.forget(key);
    }
  }

  /**
   * Runs a batch's mutations on `base` (changed in place unless `checked`). `checked` replays
   * them one at a time on copies, keeping only the steps that leave a valid record.
   */
  private applyBatch(
    key: string,
    schema: z.ZodType,
    kind: EntryKind<unknown, unknown> | undefined,
    base: unknown,
    loaded: Map<string, LoadedEntry>,
    batch: Pending[],
    checked: boolean,
  ): { record: unknown; changes: EntryChange<unknown>[]; applied: Pending[] } {
    let record = base;
    let view = new EntryView(key, kind, loaded);
    const applied: Pending[] = [];
    for (const pending of batch) {
      try {
        if (checked) {
          const trial = view.copy();
          const next = schema.safeParse(pending.mutate(structuredClone(record), trial));
          if (!next.success) throw new InvalidRecordError(key, next.error);
          record = next.data;
          view = trial;
        } else {
          view.begin();
          try {
            record = pending.mutate(record, view);
          } catch (error) {
            // A mutation throws before it changes the record, but may have set entries first.
            view.rollback();
            throw error;
          }
        }
        applied.push(pending);
      } catch (error) {
        if (error instanceof InvalidRecordError) this.log.error({ err: error, key, issues: error.cause }, 'a change would have made a record invalid; refused');
        pending.reject(error);
      }
    }
    const changes = view.changes();
    if (kind && record !== undefined && applied.length > 0) record = kind.noteChanges(record, changes);
    return { record, changes, applied };
  }

  /**
   * Entries read outside a batch (a page of reviews, read by everyone who turns to it), through
   * those read last. Each is remembered with its record's generation then: every batch of the
   * record may change its entries and bumps that generation, so a remembered entry answers only
   * while no batch of its record has started since it was read. All are remembered or all are
   * read, so that the entries asked for together come from one moment of storage.
   */
  private async readEntriesThroughMemory(key: string, kind: EntryKind<unknown, unknown>, ids: string[]): Promise<Map<string, LoadedEntry>> {
    const generation = this.generations.get(key) ?? 0;
    const epoch = this.epoch;
    const remembered = new Map<string, LoadedEntry>();
    for (const id of ids) {
      const hit = this.recentEntries.get(kind.key(key, id));
      if (!hit || hit.generation !== generation || hit.epoch !== epoch) break;
      remembered.set(id, { record: structuredClone(hit.record), corrupt: false });
    }
    if (remembered.size === new Set(ids).size) return remembered;
    const fetched = await this.loadEntries(key, kind, ids);
    if (this.epoch === epoch && this.mayRemember(key, generation)) {
      for (const [id, entry] of fetched) if (!entry.corrupt) keepNewest(this.recentEntries, kind.key(key, id), { generation, epoch, record: structuredClone(entry.record) }, RECENT_ENTRIES);
    }
    return fetched;
  }

  /** Reads entries (several reads of at most READ_CHUNK keys), each checked against its schema. */
  private async loadEntries(key: string, kind: EntryKind<unknown, unknown>, ids: string[]): Promise<Map<string, LoadedEntry>> {
    const unique = [...new Set(ids)];
    const loaded = new Map<string, LoadedEntry>();
    for (let start = 0; start < unique.length; start += READ_CHUNK) {
      const chunk = unique.slice(start, start + READ_CHUNK);
      const raws = await this.guard(() => this.kv.getMany(chunk.map((id) => kind.key(key, id))));
      chunk.forEach((id, index) => loaded.set(id, this.validate(kind.key(key, id), raws[index], kind.schema)));
    }
    return loaded;
  }

  /**
   * Moves entries an older layout kept inside the record out to their own keys, entries first,
   * so that a failure in between leaves the old record, which is simply moved again.
   */
  private async migrate(key: string, schema: z.ZodType, kind: EntryKind<unknown, unknown>, legacy: { entries: Record<string, unknown>; record: unknown }): Promise<unknown> {
    const record = schema.parse(legacy.record);
    const entries = Object.entries(legacy.entries).map(([id, entry]) => ({ key: kind.key(key, id), value: kind.schema.parse(entry) }));
    await this.writeEntries(key, entries);
    await this.writeSettled(key, () => this.kv.set(key, record));
    this.log.info({ key, entries: entries.length }, 'record moved to the per-entry layout');
    return record;
  }

  private async readWithNamed(key: string, kind: EntryKind<unknown, unknown> | undefined, named: string[]): Promise<{ raw: unknown; loaded: Map<string, LoadedEntry> }> {
    const loaded = new Map<string, LoadedEntry>();
    if (!kind) return { raw: await this.guard(() => this.kv.get(key)), loaded };
    const first = named.slice(0, READ_CHUNK - 1);
    const raws = await this.guard(() => this.kv.getMany([key, ...first.map((id) => kind.key(key, id))]));
    first.forEach((id, index) => loaded.set(id, this.validate(kind.key(key, id), raws[index + 1], kind.schema)));
    return { raw: raws[0], loaded };
  }

  /** Saves the batch's record and entries; true once saved (and remembered), false if the write failed. */
  private async write(key: string, record: unknown, changes: EntryChange<unknown>[], kind: EntryKind<unknown, unknown> | undefined, applied: Pending[]): Promise<boolean> {
    try {
      const entries = kind ? changes.map((change) => ({ key: kind.key(key, change.id), value: change.after })) : [];
      if (entries.length > 0 && entries.length < WRITE_CHUNK) {
        // Every backend writes many keys atomically (one SQLite statement, a Redis MULTI, one
        // Postgres INSERT), so the record and its entries land together, in one round trip.
        await this.writeSettled(key, () => this.kv.setMany([{ key, value: record }, ...entries]));
      } else {
        await this.writeSettled(key, () => this.kv.set(key, record));
        // After the record, whose journal says what these writes were meant to do.
        if (entries.length > 0) await this.writeEntries(key, entries);
      }
    } catch (error) {
      for (const pending of applied) pending.reject(error);
      return false;
    }
    // A read that began while this batch was written (storage may answer it after the write
    // landed) must not be remembered over the record saved here.
    this.supersedeReads(key);
    this.remember(key, record);
    for (const pending of applied) pending.resolve(record);
    return true;
  }

  /** Writes entries of the record at `recordKey` in chunks, each one atomic write with its own time limit. */
  private async writeEntries(recordKey: string, entries: { key: string; value: unknown }[]): Promise<void> {
    for (let start = 0; start < entries.length; start += WRITE_CHUNK) {
      const chunk = entries.slice(start, start + WRITE_CHUNK);
      await this.writeSettled(recordKey, () => this.kv.setMany(chunk));
    }
  }

  /** A write of the record at `key` (or its entries): a timed-out one holds the key until it settles. */
  private async writeSettled(key: string, operation: () => Promise<unknown>): Promise<void> {
    const write = operation();
    try {
      await this.guard(() => write);
    } catch (error) {
      if (error instanceof StorageUnavailableError && error.cause instanceof StorageTimeoutError) {
        void this.holdUntilSettled(key, write, error);
      }
      throw error;
    }
  }

  /** A stored value checked against its schema; a corrupt one is reported and comes back as absent. */
  private validate<T>(key: string, raw: unknown, schema: z.ZodType<T>): { record?: T; corrupt: boolean } {
    if (raw === undefined || raw === null) return { corrupt: false };
    const parsed = schema.safeParse(raw);
    if (parsed.success) return { record: parsed.data, corrupt: false };
    this.log.error({ key, issues: parsed.error.issues.slice(0, 5) }, 'corrupt record: skipped, never overwritten');
    return { corrupt: true };
  }

  /**
   * A write that timed out can still land later. If the next batch read the record before it
   * did, that late write would then overwrite votes confirmed in between (seen with Postgres,
   * whose pool runs queries on several connections). So every member waiting on this key is told
   * to try again now, and the key takes no new update until the write has landed or failed.
   */
  private async holdUntilSettled(key: string, write: Promise<unknown>, error: unknown): Promise<void> {
    this.unsettled.add(key);
    const queue = this.queues.get(key);
    const waiting = queue?.waiting ?? [];
    if (queue) queue.waiting = [];
    for (const pending of waiting) pending.reject(error);
    let cap: NodeJS.Timeout | undefined;
    await Promise.race([write.catch(() => undefined), new Promise((resolve) => (cap = setTimeout(resolve, UNSETTLED_WRITE_CAP_MS)))]);
    clearTimeout(cap);
    // The client giving up is not the database giving up: Postgres still runs a statement it
    // received, up to its own statement timeout. So the key stays held a while longer.
    await new Promise((resolve) => setTimeout(resolve, this.timeoutMs));
    this.unsettled.delete(key);
    this.forget(key);
  }

  /** Turns adapter failures and stalls into StorageUnavailableError, and tracks outages. */
  private async guard<T>(operation: () => Promise<T>): Promise<T> {
    const startedAt = Date.now();
    let timer: NodeJS.Timeout | undefined;
    const stalled = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new StorageTimeoutError(`storage did not answer within ${this.timeoutMs} ms`)), this.timeoutMs);
    });
    try {
      const result = await Promise.race([operation(), stalled]);
      this.outage.succeeded(startedAt);
      this.options.onOperation?.('ok');
      return result;
    } catch (error) {
      const unavailable = new StorageUnavailableError(error);
      this.outage.failed(unavailable);
      this.options.onOperation?.(error instanceof StorageTimeoutError ? 'timeout' : 'failure');
      throw unavailable;
    } finally {
      clearTimeout(timer);
    }
  }
}

/** Values kept for `ttlMs` at most, then gone: see `RecordStore.expiring`. */
export interface ExpiringType<T> {
  get(key: string): Promise<T | undefined>;
  set(key: string, value: T, ttlMs: number): Promise<void>;
}

/** The records of one schema, read and changed as `RecordStore.read`/`update` describe. */
export interface RecordType<T, E = never> {
  read(key: string): Promise<T | undefined>;
  /** `remember: false` for a read of many records that need not stay in memory (a start-up scan). */
  readMany(keys: string[], options?: { remember?: boolean }): Promise<(T | undefined)[]>;
  /** A record and some of its entries, in one read. */
  readWithEntries(key: string, ids: string[]): Promise<{ record: T | undefined; entries: (E | undefined)[] }>;
  /** Entries as stored, without their record (for showing them: a batch under way may change them). */
  readEntries(key: string, ids: string[]): Promise<(E | undefined)[]>;
  /**
   * The record as `read` gives it, but the remembered one itself rather than a copy: for a large
   * record read often (a review index). The caller must not change it.
   */
  peek(key: string): Promise<Readonly<T> | undefined>;
  /** `entryIds`: the entries the mutation may read or set. */
  update(key: string, mutate: Mutation<T, E>, entryIds?: readonly string[]): Promise<T>;
}

// Small records (a poll, a film's count, a server's poll list): ten thousand are a few megabytes.
const RECENT_RECORDS = 10_000;
// Expiring values (TMDB answers) kept in memory: how many, and for how long at most.
const EXPIRING_KEPT = 500;
const EXPIRING_KEPT_MS = 5 * 60_000;
// Entries (a review, a member's rating) are larger and many: a page of reviews is five.
const RECENT_ENTRIES = 2_000;
/** Sets `key` as the newest of `map`, dropping the oldest beyond `most` (each memory of this file is kept so). */
function keepNewest<V>(map: Map<string, V>, key: string, value: V, most: number): void {
  map.delete(key);
  map.set(key, value);
  if (map.size > most) map.delete(map.keys().next().value!);
}

/** What `recent` holds for a key read and found empty. */
const ABSENT = Symbol('absent');
const MAX_GENERATIONS = 100_000;

// keyv's SQLite adapter pairs the rows it reads with the keys asked for by a linear search each,
// so one large read costs n²; chunks keep it linear. Writes are chunked to bound each statement.
const READ_CHUNK = 500;
const WRITE_CHUNK = 1_000;

interface LoadedEntry {
  record?: unknown;
  corrupt: boolean;
}

/** An entry as read, with the generation and epoch of its record's key at the time. */
interface RememberedEntry {
  record: unknown;
  generation: number;
  epoch: number;
}

/** A batch's entries: those loaded, and those set so far (which win). */
class EntryView implements Entries<unknown> {
  constructor(
    private readonly recordKey: string,
    private readonly kind: EntryKind<unknown, unknown> | undefined,
    private readonly loaded: Map<string, LoadedEntry>,
    private readonly set_ = new Map<string, unknown>(),
  ) {}

  /** Set calls of the current mutation, to undo if it throws: [id, whether it was set before, its value then]. */
  private undo: [string, boolean, unknown][] = [];

  get(id: string): unknown {
    return this.set_.has(id) ? this.set_.get(id) : this.loaded.get(id)?.record;
  }

  damaged(id: string): boolean {
    return this.loaded.get(id)?.corrupt ?? false;
  }

  begin(): void {
    this.undo = [];
  }

  rollback(): void {
    for (const [id, wasSet, value] of this.undo.reverse()) {
      if (wasSet) this.set_.set(id, value);
      else this.set_.delete(id);
    }
    this.undo = [];
  }

  set(id: string, entry: unknown): void {
    if (!this.kind) throw new Error('this record type keeps no entries');
    const stored = this.loaded.get(id);
    if (!stored) throw new Error(`entry ${id} was not named by its update`);
    if (stored.corrupt) throw new RecordDamagedError(this.kind.key(this.recordKey, id));
    const checked = this.kind.schema.safeParse(entry);
    if (!checked.success) throw new InvalidRecordError(id, checked.error);
    this.undo.push([id, this.set_.has(id), this.set_.get(id)]);
    this.set_.set(id, checked.data);
  }

  copy(): EntryView {
    return new EntryView(this.recordKey, this.kind, this.loaded, new Map(this.set_));
  }

  changes(): EntryChange<unknown>[] {
    return [...this.set_].map(([id, after]) => ({ id, before: this.loaded.get(id)?.record, after }));
  }
}

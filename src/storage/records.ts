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
 * share the same copy of the record.
 */
export type Mutation<T> = (current: T | undefined) => T;

interface Pending {
  mutate: Mutation<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

interface Queue {
  /** The schema every mutation queued on this key was written for. */
  schema: z.ZodType;
  waiting: Pending[];
}

export interface RecordStoreOptions {
  /** Named in outage logs: sqlite, redis or postgres. */
  backend?: string;
  timeoutMs?: number;
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
  /** Keys whose last write timed out but may still land; see `holdUntilSettled`. */
  private readonly unsettled = new Set<string>();
  private readonly outage: OutageMonitor;
  private readonly timeoutMs: number;

  constructor(
    private readonly kv: Keyv<unknown>,
    private readonly log: Logger,
    options: RecordStoreOptions = {},
  ) {
    this.timeoutMs = options.timeoutMs ?? STORAGE_TIMEOUT_MS;
    this.outage = new OutageMonitor(log, options.backend ?? 'storage');
  }

  /** The records that follow `schema`: the only way to read or change them. */
  type<T>(schema: z.ZodType<T>): RecordType<T> {
    return {
      read: (key) => this.read(key, schema),
      readMany: (keys) => this.readMany(keys, schema),
      update: (key, mutate) => this.update(key, schema, mutate),
    };
  }

  /** Reads a record; a record that fails its schema is reported and treated as absent. */
  private async read<T>(key: string, schema: z.ZodType<T>): Promise<T | undefined> {
    const raw = await this.guard(() => this.kv.get(key));
    return this.validate(key, raw, schema).record;
  }

  private async readMany<T>(keys: string[], schema: z.ZodType<T>): Promise<(T | undefined)[]> {
    if (keys.length === 0) return [];
    const raws = await this.guard(() => this.kv.getMany(keys));
    return raws.map((raw, index) => this.validate(keys[index]!, raw, schema).record);
  }

  /**
   * Applies `mutate` to the record at `key` and saves it. A mutation that throws, or that would
   * leave a record failing its schema, fails alone: the others in its batch are still saved.
   * Each caller gets the record as saved by its batch. A stored record that fails its schema is
   * never overwritten: the update fails instead.
   */
  private update<T>(key: string, schema: z.ZodType<T>, mutate: Mutation<T>): Promise<T> {
    if (this.unsettled.has(key)) return Promise.reject(new StorageUnavailableError(new Error(`a timed-out write of ${key} has not settled`)));
    return new Promise((resolve, reject) => {
      const pending = { mutate, resolve, reject } as Pending;
      const queue = this.queues.get(key);
      if (queue) {
        // Two schemas for one key is a bug in the key scheme: never apply one's mutation to the other's record.
        if (queue.schema !== schema) return reject(new Error(`${key} is updated as two different record types`));
        queue.waiting.push(pending);
        return;
      }
      this.queues.set(key, { schema, waiting: [pending] });
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
      await this.commit(key, queue.schema, batch);
    }
  }

  private async commit(key: string, schema: z.ZodType, batch: Pending[]): Promise<void> {
    let applied: Pending[] = batch;
    try {
      const raw = await this.guard(() => this.kv.get(key));
      const stored = this.validate(key, raw, schema);
      if (stored.corrupt) throw new RecordDamagedError(key);
      // One copy of the record serves the whole batch, validated once before it is written:
      // per-mutation copies and checks made a burst of n votes cost n² (measured by the bench).
      let record = stored.record;
      applied = [];
      for (const pending of batch) {
        try {
          record = pending.mutate(record);
          applied.push(pending);
        } catch (error) {
          pending.reject(error);
        }
      }
      if (applied.length === 0) return;
      let checked = schema.safeParse(record);
      if (!checked.success) {
        // Rare: some mutation broke the record. Replay the batch on a fresh copy, one checked
        // step at a time, so only the offending callers fail.
        ({ record, applied } = this.replayChecked(key, schema, raw, applied));
        if (applied.length === 0) return;
        checked = schema.safeParse(record);
        if (!checked.success) throw new InvalidRecordError(key, checked.error);
      }
      await this.write(key, checked.data, applied);
    } catch (error) {
      for (const pending of applied) pending.reject(error);
    }
  }

  private replayChecked(key: string, schema: z.ZodType, raw: unknown, batch: Pending[]): { record: unknown; applied: Pending[] } {
    let record = this.validate(key, structuredClone(raw), schema).record;
    const applied: Pending[] = [];
    for (const pending of batch) {
      try {
        const next = schema.safeParse(pending.mutate(structuredClone(record)));
        if (!next.success) throw new InvalidRecordError(key, next.error);
        record = next.data;
        applied.push(pending);
      } catch (error) {
        if (error instanceof InvalidRecordError) this.log.error({ err: error, key, issues: error.cause }, 'a change would have made a record invalid; refused');
        pending.reject(error);
      }
    }
    return { record, applied };
  }

  private async write(key: string, record: unknown, applied: Pending[]): Promise<void> {
    const write = this.kv.set(key, record);
    try {
      await this.guard(() => write);
    } catch (error) {
      for (const pending of applied) pending.reject(error);
      if (error instanceof StorageUnavailableError && error.cause instanceof StorageTimeoutError) {
        await this.holdUntilSettled(key, write, error);
      }
      return;
    }
    for (const pending of applied) pending.resolve(record);
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
      return result;
    } catch (error) {
      const unavailable = new StorageUnavailableError(error);
      this.outage.failed(unavailable);
      throw unavailable;
    } finally {
      clearTimeout(timer);
    }
  }
}

/** The records of one schema, read and changed as `RecordStore.read`/`update` describe. */
export interface RecordType<T> {
  read(key: string): Promise<T | undefined>;
  readMany(keys: string[]): Promise<(T | undefined)[]>;
  update(key: string, mutate: Mutation<T>): Promise<T>;
}

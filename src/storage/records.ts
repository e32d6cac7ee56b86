// Validated reads and serialised, batched read-modify-write updates of keyv records.
import type Keyv from 'keyv';
import type { z } from 'zod';
import { StorageUnavailableError, UserFacingError } from '../errors';
import type { Logger } from '../log';
import { STORAGE_TIMEOUT_MS } from './timeouts';

/**
 * Changes a record and returns it. A mutation that refuses (a vote on a closed poll, say)
 * must throw before it changes anything: the others in its batch share the same record.
 */
type Mutation<T> = (current: T) => T;

interface Pending<T> {
  mutate: Mutation<T>;
  resolve: (value: T) => void;
  reject: (error: unknown) => void;
}

// How long a write that timed out may take to land or fail before its key is used again.
const UNSETTLED_WRITE_CAP_MS = 30_000;

class StorageTimeoutError extends Error {}

/**
 * keyv has no atomic update, so concurrent read-modify-writes of one key lose writes.
 * Every update of a key goes through one queue here: while a write is in flight, later
 * mutations wait, and then all of them are applied to one read and saved with one write
 * (group commit). Each caller learns its own outcome only after its write is durable.
 * This is safe across processes only when one process owns a key, as a shard owns a guild.
 */
export class RecordStore {
  private readonly queues = new Map<string, Pending<unknown>[]>();
  /** Keys whose last write timed out but may still land; see `commit`. */
  private readonly unsettled = new Set<string>();

  constructor(
    private readonly kv: Keyv<unknown>,
    private readonly log: Logger,
    private readonly timeoutMs = STORAGE_TIMEOUT_MS,
  ) {}

  /** Reads a record; a record that fails its schema is reported and treated as absent. */
  async read<S extends z.ZodType>(key: string, schema: S): Promise<z.infer<S> | undefined> {
    const raw = await this.guard(() => this.kv.get(key));
    return this.validate(key, raw, schema).record;
  }

  async readMany<S extends z.ZodType>(keys: string[], schema: S): Promise<(z.infer<S> | undefined)[]> {
    if (keys.length === 0) return [];
    const raws = await this.guard(() => this.kv.getMany(keys));
    return raws.map((raw, index) => this.validate(keys[index]!, raw, schema).record);
  }

  /** A stored value checked against its schema; a corrupt one is reported and comes back as absent. */
  private validate<S extends z.ZodType>(key: string, raw: unknown, schema: S): { record?: z.infer<S>; corrupt: boolean } {
    if (raw === undefined || raw === null) return { corrupt: false };
    const parsed = schema.safeParse(raw);
    if (parsed.success) return { record: parsed.data, corrupt: false };
    this.log.error({ key, issues: parsed.error.issues.slice(0, 5) }, 'corrupt record: skipped, never overwritten');
    return { corrupt: true };
  }

  /**
   * Applies `mutate` to the record at `key` (or to `initial()` when there is none) and saves it.
   * A mutation that throws fails alone: the others in its batch are still saved. Each caller
   * gets the record as saved by its batch.
   * A stored record that fails its schema is never overwritten: the update fails instead.
   */
  update<S extends z.ZodType>(key: string, schema: S, initial: () => z.infer<S>, mutate: Mutation<z.infer<S>>): Promise<z.infer<S>> {
    if (this.unsettled.has(key)) return Promise.reject(new StorageUnavailableError());
    return new Promise((resolve, reject) => {
      const queue = this.queues.get(key);
      const pending = { mutate, resolve, reject } as Pending<unknown>;
      if (queue) {
        queue.push(pending);
        return;
      }
      this.queues.set(key, [pending]);
      void this.drain(key, schema, initial);
    });
  }

  private async drain<S extends z.ZodType>(key: string, schema: S, initial: () => z.infer<S>): Promise<void> {
    for (;;) {
      const batch = this.queues.get(key) ?? [];
      if (batch.length === 0) {
        this.queues.delete(key);
        return;
      }
      // Mutations that arrive while this batch is being written form the next batch.
      this.queues.set(key, []);
      await this.commit(key, schema, initial, batch);
    }
  }

  private async commit<S extends z.ZodType>(key: string, schema: S, initial: () => z.infer<S>, batch: Pending<unknown>[]): Promise<void> {
    try {
      const stored = this.validate(key, await this.guard(() => this.kv.get(key)), schema);
      if (stored.corrupt) throw new UserFacingError('That record is damaged and cannot be changed; a moderator can check the logs.');
      let record: z.infer<S> = stored.record ?? initial();
      // One copy of the record serves the whole batch, validated once before it is written:
      // per-mutation copies and checks made a burst of n votes cost n² (measured by the bench).
      const applied: Pending<unknown>[] = [];
      for (const pending of batch) {
        try {
          record = pending.mutate(record) as z.infer<S>;
          applied.push(pending);
        } catch (error) {
          pending.reject(error);
        }
      }
      if (applied.length === 0) return;
      const valid = schema.parse(record);
      const write = this.kv.set(key, valid);
      try {
        await this.guard(() => write);
      } catch (error) {
        for (const pending of applied) pending.reject(error);
        if (error instanceof StorageUnavailableError && error.cause instanceof StorageTimeoutError) {
          await this.holdUntilSettled(key, write, error);
        }
        return;
      }
      for (const pending of applied) pending.resolve(valid);
    } catch (error) {
      for (const pending of batch) pending.reject(error);
    }
  }

  /**
   * A write that timed out can still land later. If the next batch read the record before it
   * did, that late write would then overwrite votes confirmed in between (seen with Postgres,
   * whose pool runs queries on several connections). So every member waiting on this key is told
   * to try again now, and the key takes no new update until the write has landed or failed.
   */
  private async holdUntilSettled(key: string, write: Promise<unknown>, error: unknown): Promise<void> {
    this.unsettled.add(key);
    const queued = this.queues.get(key) ?? [];
    this.queues.set(key, []);
    for (const pending of queued) pending.reject(error);
    let cap: NodeJS.Timeout | undefined;
    await Promise.race([write.catch(() => undefined), new Promise((resolve) => (cap = setTimeout(resolve, UNSETTLED_WRITE_CAP_MS)))]);
    clearTimeout(cap);
    this.unsettled.delete(key);
  }

  /** Turns adapter failures and stalls into the member-facing "storage is unavailable" error. */
  private async guard<T>(operation: () => Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const stalled = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new StorageTimeoutError(`storage did not answer within ${this.timeoutMs} ms`)), this.timeoutMs);
    });
    try {
      return await Promise.race([operation(), stalled]);
    } catch (error) {
      if (error instanceof UserFacingError) throw error;
      this.log.warn({ err: error }, 'storage operation failed');
      throw new StorageUnavailableError(error);
    } finally {
      clearTimeout(timer);
    }
  }
}

// One writer per shard: a process serves a shard only while it holds the shard's lease in the store, and writes only while that is certain.
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '../../log';
import { sqliteFile, type Storage } from '../keyv';
import { KEEP_INTERVAL_MS, type ShardLease, TAKE_RETRY_MS } from './shardLease';
import { SqliteShardLease } from './sqlite';

export interface LeaseLoss {
  backend: Storage['backend'];
  shardId: number;
  reason: string;
}

export interface ShardLeases {
  /** Stops renewing and gives every lease up, so a waiting process can take over at once. */
  release(): Promise<void>;
  /** Settles only if another process took one of the leases; writes are refused from then on. */
  lost: Promise<LeaseLoss>;
}

/** A write refused because this process cannot be sure it still holds its shard's lease. */
export class WritesFencedError extends Error {
  override readonly name = 'WritesFencedError';
}

/**
 * Waits until this process holds the lease of every shard in `shardIds` (another process may be
 * serving them), then keeps the leases and fences the storage's writes by them.
 * Rejects if `signal` is aborted while waiting.
 */
export async function acquireShardLeases(storage: Storage, shardIds: number[], options: { log: Logger; signal?: AbortSignal }): Promise<ShardLeases> {
  const { log, signal } = options;
  const { backend } = storage;
  // An in-memory database lives and dies with its one process: there is nobody to share it with.
  if (backend === 'sqlite' && sqliteFile(storage.url) === ':memory:') return { release: async () => undefined, lost: new Promise(() => undefined) };

  const leases: ShardLease[] = [];
  try {
    for (const shardId of shardIds) {
      const lease = await openLease(storage, shardId);
      leases.push(lease);
      await waitToTake(lease, backend, log, signal);
    }
    signal?.throwIfAborted();
  } catch (error) {
    await Promise.all(leases.map((lease) => lease.release()));
    throw error;
  }
  log.info({ backend, shards: shardIds }, 'shard leases taken');
  return new LeaseKeeper(storage, leases, log);
}

async function openLease(storage: Storage, shardId: number): Promise<ShardLease> {
  // Loaded only for the backend in use, as storage itself is (see ../keyv).
  if (storage.backend === 'redis') return (await import('./redis')).openRedisLease(storage.url, shardId);
  if (storage.backend === 'postgres') return new (await import('./postgres')).PostgresShardLease(storage.url, shardId);
  return new SqliteShardLease(sqliteFile(storage.url), shardId);
}

async function waitToTake(lease: ShardLease, backend: Storage['backend'], log: Logger, signal: AbortSignal | undefined): Promise<void> {
  const shard = lease.shardId;
  let toldWaiting = false;
  let toldUnreachable = false;
  for (;;) {
    signal?.throwIfAborted();
    try {
      if (await lease.take()) return;
      if (!toldWaiting) log.info({ backend, shard }, `shard ${shard} is served by another process; waiting for its lease`);
      toldWaiting = true;
    } catch (error) {
      if (!toldUnreachable) log.warn({ backend, shard, err: error }, `could not ask for the lease of shard ${shard}; trying again`);
      toldUnreachable = true;
    }
    await sleep(TAKE_RETRY_MS, undefined, signal ? { signal } : {});
  }
}

/** Renews the leases, fences writes when one is in doubt, and reports a lease another process took. */
class LeaseKeeper implements ShardLeases {
  readonly lost: Promise<LeaseLoss>;
  private reportLoss!: (loss: LeaseLoss) => void;
  private loss: LeaseLoss | undefined;
  private readonly stopKeeping = new AbortController();
  private readonly keeping: Promise<void>[];
  /** Shards whose lease was in doubt, and said so in the log. */
  private readonly lapsed = new Set<number>();

  constructor(
    private readonly storage: Storage,
    private readonly leases: ShardLease[],
    private readonly log: Logger,
  ) {
    this.lost = new Promise((resolve) => (this.reportLoss = resolve));
    // Checked on every write, against the clock: a process that was paused past its lease must
    // not let one more write through before a timer of its own gets to run.
    storage.fenceWrites(() => this.assertWritable());
    this.keeping = leases.map((lease) => this.keep(lease));
  }

  async release(): Promise<void> {
    this.stopKeeping.abort();
    // A renewal still under way could otherwise take a lease back after it was given up.
    await Promise.all(this.keeping);
    await Promise.all(this.leases.map((lease) => lease.release()));
  }

  private assertWritable(): void {
    if (this.loss) throw new WritesFencedError(`another process holds the ${this.loss.backend} lease of shard ${this.loss.shardId}`);
    const now = performance.now();
    for (const lease of this.leases) {
      if (now >= lease.writableUntil()) throw new WritesFencedError(`the ${this.storage.backend} lease of shard ${lease.shardId} is not confirmed`);
    }
  }

  private async keep(lease: ShardLease): Promise<void> {
    const { backend } = this.storage;
    const shard = lease.shardId;
    let lastFailure: unknown;
    for (;;) {
      try {
        await sleep(KEEP_INTERVAL_MS, undefined, { signal: this.stopKeeping.signal });
      } catch {
        return;
      }
      if (performance.now() >= lease.writableUntil() && !this.lapsed.has(shard)) {
        this.lapsed.add(shard);
        const reason = lease.lapse ?? (lastFailure instanceof Error ? lastFailure.message : 'not renewed in time');
        this.log.error({ backend, shard, reason }, `the lease of shard ${shard} could not be kept: writes are refused until it is`);
      }
      let ours: boolean;
      try {
        ours = await lease.keep();
        lastFailure = undefined;
      } catch (error) {
        lastFailure = error;
        continue;
      }
      if (this.stopKeeping.signal.aborted) return;
      if (!ours) return this.lose({ backend, shardId: shard, reason: 'another process took its lease' });
      if (this.lapsed.delete(shard)) this.log.warn({ backend, shard }, `the lease of shard ${shard} is held again: writes resume`);
    }
  }

  private lose(loss: LeaseLoss): void {
    this.loss ??= loss;
    this.log.error({ backend: loss.backend, shard: loss.shardId, reason: loss.reason }, `shard ${loss.shardId} is now served by another process: this one stops writing`);
    this.stopKeeping.abort();
    this.reportLoss(this.loss);
  }
}

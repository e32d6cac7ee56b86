// What every backend's shard lease offers, and the pace at which leases are taken and kept.

export interface ShardLease {
  readonly shardId: number;
  /** One attempt to take the lease: true when this process holds it now. Throws when the store cannot be reached. */
  take(): Promise<boolean>;
  /**
   * Renews or checks the lease, and takes it again if it lapsed while nobody else took it.
   * False when another process holds it; throws when the store cannot be reached.
   */
  keep(): Promise<boolean>;
  /** Until when (a `performance.now()` time) this process may write under the lease; 0 when it does not hold it. */
  writableUntil(): number;
  /** Why the lease is not confirmed right now, when the backend knows. */
  readonly lapse?: string | undefined;
  /** Gives the lease up if held, and closes the lease's connection. */
  release(): Promise<void>;
}

/** How often a process waiting for a shard asks again. */
export const TAKE_RETRY_MS = 500;

/** How often a held lease is renewed (Redis) or its connection checked (Postgres). */
export const KEEP_INTERVAL_MS = 1_000;

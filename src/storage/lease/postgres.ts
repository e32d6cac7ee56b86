// A shard's lease in Postgres: a session-level advisory lock, held on a connection of its own.
import pg from 'pg';
import { STORAGE_TIMEOUT_MS } from '../timeouts';
import type { ShardLease } from './shardLease';

/** The first key of Reelside's advisory locks ("reel"): other applications of the database use their own. */
export const ADVISORY_LOCK_NAMESPACE = 0x7265656c;

export class PostgresShardLease implements ShardLease {
  private connection: pg.Client | undefined;
  private holding = false;
  lapse: string | undefined;

  constructor(
    private readonly url: string,
    readonly shardId: number,
  ) {}

  async take(): Promise<boolean> {
    const connection = this.connection ?? (await this.connect());
    try {
      const { rows } = await connection.query<{ taken: boolean }>('SELECT pg_try_advisory_lock($1, $2) AS taken', [ADVISORY_LOCK_NAMESPACE, this.shardId]);
      this.holding = rows[0]?.taken === true;
    } catch (error) {
      this.drop(connection, error);
      throw error;
    }
    if (this.holding) this.lapse = undefined;
    return this.holding;
  }

  async keep(): Promise<boolean> {
    // The lock went with its broken session; while nobody else took it, it is ours again.
    if (!this.holding || !this.connection) return this.take();
    const connection = this.connection;
    try {
      // A connection that no longer answers cannot be trusted to hold the lock.
      await connection.query('SELECT 1');
      return true;
    } catch (error) {
      this.drop(connection, error);
      throw error;
    }
  }

  writableUntil(): number {
    return this.holding ? Infinity : 0;
  }

  async release(): Promise<void> {
    const connection = this.connection;
    this.holding = false;
    this.connection = undefined;
    // Ending the session frees its lock.
    await connection?.end().catch(() => undefined);
  }

  private async connect(): Promise<pg.Client> {
    const connection = new pg.Client({ connectionString: this.url, connectionTimeoutMillis: STORAGE_TIMEOUT_MS, query_timeout: STORAGE_TIMEOUT_MS, keepAlive: true });
    // Once the session breaks, the server may hand the lock to another process: stop writing at once.
    connection.on('error', (error) => this.drop(connection, error));
    connection.on('end', () => this.drop(connection, new Error('the lease connection closed')));
    try {
      await connection.connect();
    } catch (error) {
      await connection.end().catch(() => undefined);
      throw error;
    }
    this.connection = connection;
    return connection;
  }

  private drop(connection: pg.Client, cause: unknown): void {
    if (connection !== this.connection) return;
    if (this.holding) this.lapse = cause instanceof Error ? cause.message : String(cause);
    this.holding = false;
    this.connection = undefined;
    void connection.end().catch(() => undefined);
  }
}

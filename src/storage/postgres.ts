// The Postgres adapter, with a connection pool of our own so that its errors are handled.
import KeyvPostgres from '@keyv/postgres';
import pg from 'pg';
import type { Logger } from '../log';
import { DATABASE_GIVE_UP_MS, STORAGE_TIMEOUT_MS } from './timeouts';

type Query = (sql: string, values?: unknown[]) => Promise<unknown[]>;

/**
 * @keyv/postgres keeps a module-wide pool with no 'error' listener, and pg's pool re-emits
 * the error of an idle connection: a Postgres restart would then crash the bot. Overriding
 * `connect` gives each store its own pool, with a listener and a bounded connect timeout.
 */
export class GuardedKeyvPostgres extends KeyvPostgres {
  declare private ownPool: pg.Pool | undefined;

  constructor(uri: string, log: Logger | undefined) {
    // The logger rides in the adapter's options: they are all `connect` can see when it runs.
    super({ uri, errorLog: log } as ConstructorParameters<typeof KeyvPostgres>[0]);
  }

  override async connect(): Promise<Query> {
    // Called from the parent constructor, before this class's own fields are assigned.
    const { uri, errorLog: log } = this.opts as { uri: string; errorLog?: Logger };
    const pool = new pg.Pool({
      connectionString: uri,
      max: 10,
      connectionTimeoutMillis: STORAGE_TIMEOUT_MS,
      // keepAlive spots dead peers.
      statement_timeout: DATABASE_GIVE_UP_MS,
      query_timeout: STORAGE_TIMEOUT_MS,
      keepAlive: true,
    });
    pool.on('error', (error) => log?.warn({ err: error }, 'postgres connection error'));
    this.ownPool = pool;
    return async (sql, values) => (await pool.query(sql, values)).rows;
  }

  override async disconnect(): Promise<void> {
    await this.ownPool?.end();
  }
}

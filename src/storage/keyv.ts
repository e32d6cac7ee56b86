// Opens the key-value store named by STORAGE_URL: an SQLite file by default.
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import KeyvSqlite from '@keyv/sqlite';
import Keyv, { type KeyvEntry } from 'keyv';
import type { Logger } from '../log';
import { DATABASE_GIVE_UP_MS } from './timeouts';

// The Redis and Postgres clients are loaded only by the backend that uses them: each costs a few
// megabytes of memory that an SQLite bot has no use for.

export interface Storage {
  kv: Keyv<unknown>;
  backend: 'sqlite' | 'redis' | 'postgres';
  /** The STORAGE_URL it was opened from (shard leases connect to the same place: see lease/). */
  url: string;
  /** From now on every write first calls `check`, which throws when this process may no longer write. */
  fenceWrites(check: () => void): void;
  close(): Promise<void>;
}

export async function openStorage(url: string, log?: Logger): Promise<Storage> {
  const backend = url.slice(0, url.indexOf(':'));
  if (backend === 'sqlite') return openSqlite(url);
  if (backend === 'redis' || backend === 'rediss') return openRedis(url, log);
  if (backend === 'postgres' || backend === 'postgresql') return openPostgres(url, log);
  throw new Error(`STORAGE_URL backend "${backend}" is not supported: use sqlite://, redis:// or postgresql://`);
}

/** The SQLite file a `sqlite://` URL names (relative paths are from the working directory), or ':memory:'. */
export function sqliteFile(url: string): string {
  const path = url.slice('sqlite://'.length);
  return path === ':memory:' ? path : resolve(path);
}

async function openRedis(url: string, log?: Logger): Promise<Storage> {
  const [{ default: KeyvRedis }, { connectRedis }] = await Promise.all([import('@keyv/redis'), import('./redisClient')]);
  const client = await connectRedis(url, { maxReconnectDelayMs: 2_000, log });
  const store = new KeyvRedis(client, { throwOnErrors: true, throwOnConnectError: true });
  return wrap(store, 'redis', url, async () => {
    await client.close().catch(() => client.destroy());
  });
}

async function openPostgres(url: string, log?: Logger): Promise<Storage> {
  const { GuardedKeyvPostgres } = await import('./postgres');
  const store = new GuardedKeyvPostgres(url, log);
  // Fail fast on a bad URL or an unreachable server, as the other backends do.
  await store.query('SELECT 1');
  return wrap(store, 'postgres', url, () => store.disconnect());
}

async function openSqlite(url: string): Promise<Storage> {
  const file = sqliteFile(url);
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const store = new AtomicSetManySqlite({ uri: `sqlite://${file}`, busyTimeout: DATABASE_GIVE_UP_MS });
  // WAL lets readers proceed during a write and makes each commit one append; NORMAL sync
  // in WAL mode still survives a killed process (only a power cut can lose the last commits).
  await store.query('PRAGMA journal_mode = WAL');
  await store.query('PRAGMA synchronous = NORMAL');
  return wrap(store, 'sqlite', url, () => store.close());
}

/**
 * keyv writes many entries to SQLite one statement each (the adapter has no `setMany`): not
 * atomic, so a failure could leave some written and others landing later, and slow. One
 * statement writes them all or none. (Redis and Postgres adapters already write many in one go.)
 */
class AtomicSetManySqlite extends KeyvSqlite {
  async setMany(entries: { key: string; value: unknown }[]): Promise<boolean[]> {
    // `WHERE true` is SQLite's required disambiguation of an upsert from a SELECT.
    const upsert = `INSERT INTO ${this.opts.table} (key, value)
      SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]') FROM json_each(?) WHERE true
      ON CONFLICT(key) DO UPDATE SET value = excluded.value`;
    await this.query(upsert, JSON.stringify(entries.map((entry) => [entry.key, entry.value])));
    return entries.map(() => true);
  }
}

function wrap(store: ConstructorParameters<typeof Keyv>[0], backend: Storage['backend'], url: string, close: () => Promise<void>): Storage {
  // keyv swallows adapter errors by default (it emits them and returns undefined); a save that
  // did not happen must never be confirmed to a member, so make every failure throw.
  const kv = new FencedKeyv({ store, namespace: 'reelside', throwOnErrors: true, emitErrors: false });
  return { kv, backend, url, fenceWrites: (check) => (kv.fence = check), close };
}

/**
 * keyv whose writes first pass a fence. keyv's own pre-write hooks cannot refuse a write (it
 * catches what they throw), so the write methods are wrapped instead.
 */
class FencedKeyv extends Keyv<unknown> {
  fence: () => void = () => undefined;

  override async set<Value = unknown>(key: string, value: Value, ttl?: number): Promise<boolean> {
    this.fence();
    return super.set(key, value, ttl);
  }

  override async setMany<Value = unknown>(entries: KeyvEntry[]): Promise<boolean[]> {
    this.fence();
    return super.setMany<Value>(entries);
  }

  override async delete(key: string | string[]): Promise<boolean> {
    this.fence();
    return super.delete(key);
  }

  override async deleteMany(keys: string[]): Promise<boolean> {
    this.fence();
    return super.deleteMany(keys);
  }

  override async clear(): Promise<void> {
    this.fence();
    return super.clear();
  }
}

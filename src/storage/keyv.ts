// Opens the key-value store named by STORAGE_URL: an SQLite file by default.
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import KeyvSqlite from '@keyv/sqlite';
import Keyv from 'keyv';

export interface Storage {
  kv: Keyv<unknown>;
  backend: string;
  close(): Promise<void>;
}

export async function openStorage(url: string): Promise<Storage> {
  const backend = url.slice(0, url.indexOf(':'));
  if (backend === 'sqlite') return openSqlite(url);
  throw new Error(`STORAGE_URL backend "${backend}" is not supported yet: use sqlite://path/to/file.sqlite`);
}

async function openSqlite(url: string): Promise<Storage> {
  const path = url.slice('sqlite://'.length);
  const file = path === ':memory:' ? path : resolve(path);
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const store = new KeyvSqlite({ uri: `sqlite://${file}`, busyTimeout: 5_000 });
  // WAL lets readers proceed during a write and makes each commit one append; NORMAL sync
  // in WAL mode still survives a killed process (only a power cut can lose the last commits).
  await store.query('PRAGMA journal_mode = WAL');
  await store.query('PRAGMA synchronous = NORMAL');
  return wrap(store, 'sqlite', () => store.close());
}

function wrap(store: ConstructorParameters<typeof Keyv>[0], backend: string, close: () => Promise<void>): Storage {
  // keyv swallows adapter errors by default (it emits them and returns undefined); a save that
  // did not happen must never be confirmed to a member, so make every failure throw.
  const kv = new Keyv<unknown>({ store, namespace: 'reelside', throwOnErrors: true, emitErrors: false });
  return { kv, backend, close };
}

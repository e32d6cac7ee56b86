// Real storage for tests: a fresh SQLite file, or an emptied Redis or Postgres store, per test.
import { join } from 'node:path';
import pino from 'pino';
import { openStorage, type Storage } from '../src/storage/keyv';
import { RecordStore } from '../src/storage/records';
import { tempDir } from './tmp';
import type { StorageServer } from './servers';
import { postgresAvailable, postgresRequired, startPostgres } from './postgres';
import { redisAvailable, redisRequired, startRedis } from './redis';

export const silentLog = pino({ level: 'silent' });


export type Backend = 'sqlite' | 'redis' | 'postgres';
export type ServerBackend = Exclude<Backend, 'sqlite'>;
export type { StorageServer };


/** The server backends installed here (CI installs and requires both, see .ci/run). */
export const SERVER_BACKENDS: ServerBackend[] = [
  ...(redisAvailable() || redisRequired() ? (['redis'] as const) : []),
  ...(postgresAvailable() || postgresRequired() ? (['postgres'] as const) : []),
];

/** SQLite always, then every server backend installed here. */
export const BACKENDS: Backend[] = ['sqlite', ...SERVER_BACKENDS];

export function startStorageServer(backend: ServerBackend): Promise<StorageServer> {
  return backend === 'redis' ? startRedis() : startPostgres();
}

// One server per backend per test file, started on first use; the file's afterAll calls
// closeServersOfThisFile (servers are daemons: nothing else would stop them).
const sharedServers = new Map<ServerBackend, Promise<StorageServer>>();
export function serverForThisFile(backend: ServerBackend): Promise<StorageServer> {
  let server = sharedServers.get(backend);
  if (!server) {
    server = startStorageServer(backend);
    sharedServers.set(backend, server);
  }
  return server;
}

export async function closeServersOfThisFile(): Promise<void> {
  const servers = [...sharedServers.values()];
  sharedServers.clear();
  await Promise.all(servers.map(async (server) => (await server).close()));
}

/** A URL for an empty store of the given backend. */
export async function freshStorageUrl(backend: Backend): Promise<{ url: string; remove(): void }> {
  if (backend !== 'sqlite') {
    // A database of its own on the file's server, so tests running side by side never meet.
    const server = await serverForThisFile(backend);
    return { url: await server.newDatabase(), remove: () => undefined };
  }
  const dir = tempDir();
  return { url: `sqlite://${join(dir.path, 'test.sqlite')}`, remove: dir.remove };
}

export async function openTestStorage(backend: Backend = 'sqlite'): Promise<{ storage: Storage; records: RecordStore; url: string; close(): Promise<void> }> {
  const dir = await freshStorageUrl(backend);
  const url = dir.url;
  const storage = await openStorage(url, silentLog);
  return {
    storage,
    url,
    records: new RecordStore(storage.kv, silentLog, { backend: storage.backend }),
    async close() {
      try {
        await storage.close();
      } finally {
        dir.remove();
      }
    },
  };
}

// Real storage for tests: a fresh SQLite file or an emptied Redis database per test.
import { join } from 'node:path';
import pino from 'pino';
import { openStorage, type Storage } from '../../src/storage/keyv';
import { RecordStore } from '../../src/storage/records';
import { tempDir } from './tmp';
import { type RedisServer, redisAvailable, redisRequired, startRedis } from './redis';

export const silentLog = pino({ level: 'silent' });

export { tempDir };

export type Backend = 'sqlite' | 'redis';

/** SQLite always; Redis too when its server is installed (CI requires it, see redis.ts). */
export const BACKENDS: Backend[] = ['sqlite', ...(redisAvailable() || redisRequired() ? (['redis'] as const) : [])];

// One Redis server per test file, started on first use and stopped when the worker exits.
let sharedRedis: Promise<RedisServer> | undefined;
export function redisForThisFile(): Promise<RedisServer> {
  sharedRedis ??= startRedis().then((server) => {
    process.once('exit', () => void server.close());
    return server;
  });
  return sharedRedis;
}

/** A URL for an empty store of the given backend. */
export async function freshStorageUrl(backend: Backend): Promise<{ url: string; remove(): void }> {
  if (backend === 'redis') {
    const server = await redisForThisFile();
    const storage = await openStorage(server.url);
    await storage.kv.clear();
    await storage.close();
    return { url: server.url, remove: () => undefined };
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
    records: new RecordStore(storage.kv, silentLog),
    async close() {
      await storage.close();
      dir.remove();
    },
  };
}

// Shard leases on each backend: a second holder waits, and a lease in doubt or taken by another process refuses writes.
import pg from 'pg';
import { createClient } from '@keyv/redis';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { BACKENDS, closeServersOfThisFile, openTestStorage, SERVER_BACKENDS } from '../../harness/storage';
import { createLogger } from '../../src/log';
import { openStorage, type Storage } from '../../src/storage/keyv';
import { acquireShardLeases, type ShardLeases, WritesFencedError } from '../../src/storage/lease';
import { ADVISORY_LOCK_NAMESPACE } from '../../src/storage/lease/postgres';
import { redisLeaseKey } from '../../src/storage/lease/redis';

afterAll(closeServersOfThisFile);

/** A logger whose lines the test can read. */
function capturedLog() {
  const lines: { level: number; msg: string; [field: string]: unknown }[] = [];
  const log = createLogger('debug', [], { write: (line: string) => void lines.push(JSON.parse(line)) });
  return { log, lines, said: (msg: string) => lines.some((line) => line.msg === msg) };
}

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A store of the backend, and a second handle on it as another process would have. */
async function twoHandles(backend: (typeof BACKENDS)[number]): Promise<[Storage, Storage]> {
  const first = await openTestStorage(backend);
  cleanups.push(() => first.close());
  const second = await openStorage(first.url);
  cleanups.push(() => second.close());
  return [first.storage, second];
}

async function lease(storage: Storage, shardIds: number[], log = capturedLog().log, signal?: AbortSignal): Promise<ShardLeases> {
  const leases = await acquireShardLeases(storage, shardIds, { log, ...(signal ? { signal } : {}) });
  cleanups.push(() => leases.release());
  return leases;
}

const writes = (storage: Storage) => storage.kv.set('guild:1:probe', Date.now()).then(
  () => true,
  (error: unknown) => (error instanceof WritesFencedError ? false : Promise.reject(error)),
);

describe.each(BACKENDS)('%s shard leases', (backend) => {
  it('make a second holder of the same shard wait, saying why, until the first gives it up', async () => {
    const [first, second] = await twoHandles(backend);
    const held = await acquireShardLeases(first, [0], { log: capturedLog().log });
    const waiter = capturedLog();
    let taken = false;
    const waiting = lease(second, [0], waiter.log).then(() => (taken = true));
    await expect.poll(() => waiter.said('shard 0 is served by another process; waiting for its lease')).toBe(true);
    expect(taken).toBe(false);
    expect(await writes(first)).toBe(true);

    await held.release();
    await waiting;
    expect(await writes(second)).toBe(true);
    expect(await writes(first)).toBe(false);
  });

  it('stop waiting when asked to, leaving the holder as it was', async () => {
    const [first, second] = await twoHandles(backend);
    await lease(first, [0]);
    const giveUp = new AbortController();
    const waiting = lease(second, [0], capturedLog().log, giveUp.signal);
    giveUp.abort();
    await expect(waiting).rejects.toThrow(/aborted/);
    expect(await writes(first)).toBe(true);
  });

  it('do not make different shards wait for each other', async () => {
    const [first, second] = await twoHandles(backend);
    await lease(first, [0]);
    await lease(second, [1]);
    expect(await writes(first)).toBe(true);
    expect(await writes(second)).toBe(true);
  });
});

describe('an in-memory SQLite database', () => {
  it('needs no lease: it has one process by nature', async () => {
    const storage = await openStorage('sqlite://:memory:');
    cleanups.push(() => storage.close());
    await lease(storage, [0]);
    await lease(storage, [0]);
    expect(await writes(storage)).toBe(true);
  });
});

describe.runIf(SERVER_BACKENDS.includes('redis'))('the Redis lease', () => {
  async function redisClient(url: string) {
    const client = createClient({ url });
    await client.connect();
    cleanups.push(() => client.close());
    return client;
  }

  it('refuses the first write after a pause past its renewal deadline, and resumes once renewed', async () => {
    const [storage] = await twoHandles('redis');
    const { log, said } = capturedLog();
    await lease(storage, [0], log);
    // Freeze this process as a long garbage collection or a stopped VM would: no timer runs meanwhile.
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 4_000);
    expect(await writes(storage)).toBe(false);
    await expect.poll(() => said('the lease of shard 0 is held again: writes resume'), { timeout: 5_000 }).toBe(true);
    expect(said('the lease of shard 0 could not be kept: writes are refused until it is')).toBe(true);
    expect(await writes(storage)).toBe(true);
  });

  it('reports the loss and refuses writes once another process holds the key', async () => {
    const [storage] = await twoHandles('redis');
    const leases = await lease(storage, [0]);
    await (await redisClient(storage.url)).set(redisLeaseKey(0), 'another-process');
    expect(await leases.lost).toEqual({ backend: 'redis', shardId: 0, reason: 'another process took its lease' });
    expect(await writes(storage)).toBe(false);
  });

  it('takes a key that vanished back, when nobody else took it', async () => {
    const [storage] = await twoHandles('redis');
    await lease(storage, [0]);
    const redis = await redisClient(storage.url);
    const token = await redis.get(redisLeaseKey(0));
    await redis.del(redisLeaseKey(0));
    await expect.poll(() => redis.get(redisLeaseKey(0)), { timeout: 5_000 }).toBe(token);
    expect(await writes(storage)).toBe(true);
  });
});

describe.runIf(SERVER_BACKENDS.includes('postgres'))('the Postgres lease', () => {
  it('refuses writes as soon as its connection breaks, and resumes once the lock is taken again', async () => {
    const [storage] = await twoHandles('postgres');
    await lease(storage, [0]);
    const admin = new pg.Client({ connectionString: storage.url });
    await admin.connect();
    cleanups.push(() => admin.end());
    await admin.query(`SELECT pg_terminate_backend(pid, 5000) FROM pg_locks WHERE locktype = 'advisory' AND granted AND classid = $1 AND objid = 0`, [ADVISORY_LOCK_NAMESPACE]);
    await expect.poll(() => writes(storage)).toBe(false);
    await expect.poll(() => writes(storage), { timeout: 5_000 }).toBe(true);
  });
});

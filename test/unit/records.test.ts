import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import Keyv from 'keyv';
import { z } from 'zod';
import { StorageUnavailableError, UserFacingError } from '../../src/errors';
import { openStorage } from '../../src/storage/keyv';
import { RecordStore } from '../../src/storage/records';
import { BACKENDS, closeServersOfThisFile, openTestStorage, serverForThisFile, silentLog } from '../../harness/storage';

afterAll(closeServersOfThisFile);

const counterSchema = z.object({ voters: z.record(z.string(), z.number()) });
const empty = () => ({ voters: {} });

describe.each(BACKENDS)('RecordStore on %s', (backend) => {
  let store: Awaited<ReturnType<typeof openTestStorage>>;
  let records: RecordStore;
  beforeEach(async () => {
    store = await openTestStorage(backend);
    records = store.records;
  });
  afterEach(async () => store.close());

  it('keeps every one of 500 concurrent updates to one record', async () => {
    const updates = Array.from({ length: 500 }, (_, i) =>
      records.update('poll', counterSchema, empty, (record) => ({ voters: { ...record.voters, [`user${i}`]: i } })),
    );
    await Promise.all(updates);
    const stored = await records.read('poll', counterSchema);
    expect(Object.keys(stored!.voters)).toHaveLength(500);
  });

  it('fails only the mutation that throws, and saves the rest of its batch', async () => {
    const good = records.update('poll', counterSchema, empty, (record) => ({ voters: { ...record.voters, a: 1 } }));
    const bad = records.update('poll', counterSchema, empty, () => {
      throw new UserFacingError('not allowed');
    });
    const alsoGood = records.update('poll', counterSchema, empty, (record) => ({ voters: { ...record.voters, b: 2 } }));
    await expect(bad).rejects.toThrow('not allowed');
    await Promise.all([good, alsoGood]);
    expect((await records.read('poll', counterSchema))!.voters).toEqual({ a: 1, b: 2 });
  });

  it('skips a corrupt record on read and refuses to overwrite it', async () => {
    await store.storage.kv.set('poll', { voters: 'garbage' });
    expect(await records.read('poll', counterSchema)).toBeUndefined();
    await expect(records.update('poll', counterSchema, empty, (record) => record)).rejects.toThrow(/damaged/);
    expect(await store.storage.kv.get('poll')).toEqual({ voters: 'garbage' });
  });

  it('reports a storage outage as a try-again error, confirms nothing, and recovers', async () => {
    await records.update('poll', counterSchema, empty, () => ({ voters: { a: 1 } }));
    // An outage: the database server goes away; the SQLite file's connection is closed.
    const server = backend === 'sqlite' ? undefined : await serverForThisFile(backend);
    if (server) await server.stop();
    else await store.storage.close();
    await expect(records.update('poll', counterSchema, empty, (record) => ({ voters: { ...record.voters, b: 2 } }))).rejects.toBeInstanceOf(StorageUnavailableError);
    if (server) await server.start();
    else {
      const reopened = await openStorage(store.url, silentLog);
      const original = store;
      // The original connection is already closed; closing it again only removes its folder.
      const close = async () => {
        await reopened.close();
        await original.close().catch(() => undefined);
      };
      store = { ...store, storage: reopened, records: new RecordStore(reopened.kv, silentLog), close };
      records = store.records;
    }
    await expect.poll(() => records.read('poll', counterSchema).catch(() => undefined), { timeout: 5_000 }).toEqual({ voters: { a: 1 } });
  });

  it('keeps records of different keys apart', async () => {
    await records.update('guild:1:poll', counterSchema, empty, () => ({ voters: { a: 1 } }));
    await records.update('guild:2:poll', counterSchema, empty, () => ({ voters: { b: 2 } }));
    expect((await records.read('guild:1:poll', counterSchema))!.voters).toEqual({ a: 1 });
    expect((await records.read('guild:2:poll', counterSchema))!.voters).toEqual({ b: 2 });
  });
});

describe('RecordStore when a write stalls', () => {
  /** A Map whose next writes take `delayMs` to land, as a slow database connection would. */
  class SlowMap extends Map<string, unknown> {
    delayMs = 0;
    override set(key: string, value: unknown): this {
      const delay = this.delayMs;
      if (delay === 0) return super.set(key, value);
      // keyv awaits what the store returns, so a promise here is a write in flight.
      return new Promise<this>((resolve) => setTimeout(() => resolve(super.set(key, value)), delay)) as unknown as this;
    }
  }

  it('tells everyone waiting to try again, takes nothing new until the late write lands, and then loses nothing', async () => {
    const slow = new SlowMap();
    const kv = new Keyv<unknown>({ store: slow, throwOnErrors: true });
    const records = new RecordStore(kv, silentLog, 100);
    slow.delayMs = 400;
    const started = Date.now();
    const first = records.update('poll', counterSchema, empty, (record) => ({ voters: { ...record.voters, first: 1 } }));
    const queued = records.update('poll', counterSchema, empty, (record) => ({ voters: { ...record.voters, queued: 2 } }));
    await expect(first).rejects.toBeInstanceOf(StorageUnavailableError);
    await expect(queued).rejects.toBeInstanceOf(StorageUnavailableError);
    expect(Date.now() - started).toBeLessThan(300);
    // While the stalled write may still land, the key refuses at once rather than read around it.
    await expect(records.update('poll', counterSchema, empty, (record) => ({ voters: { ...record.voters, during: 3 } }))).rejects.toBeInstanceOf(StorageUnavailableError);
    slow.delayMs = 0;
    await new Promise((resolve) => setTimeout(resolve, 450));
    await records.update('poll', counterSchema, empty, (record) => ({ voters: { ...record.voters, after: 4 } }));
    // The late write landed first, so the confirmed update made after it is kept alongside it.
    expect((await records.read('poll', counterSchema))!.voters).toEqual({ first: 1, after: 4 });
  });
});

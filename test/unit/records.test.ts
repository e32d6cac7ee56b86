import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import Keyv from 'keyv';
import pino from 'pino';
import { z } from 'zod';
import { InvalidRecordError, RecordDamagedError, StorageUnavailableError, UserFacingError } from '../../src/errors';
import { openStorage } from '../../src/storage/keyv';
import { RecordStore, type RecordType } from '../../src/storage/records';
import { ReviewStore } from '../../src/storage/reviews';
import { BACKENDS, closeServersOfThisFile, openTestStorage, serverForThisFile, silentLog } from '../../harness/storage';

afterAll(closeServersOfThisFile);

const counterSchema = z.object({ voters: z.record(z.string(), z.number().int().nonnegative()) });
type Counter = z.infer<typeof counterSchema>;
const voters = (record: Counter | undefined) => record?.voters ?? {};

/** A logger whose lines the test can read. */
function capturingLog() {
  const lines: { level: number; msg: string; [field: string]: unknown }[] = [];
  const log = pino({ level: 'debug' }, { write: (line: string) => void lines.push(JSON.parse(line)) });
  return { log, lines };
}

describe.each(BACKENDS)('RecordStore on %s', (backend) => {
  let store: Awaited<ReturnType<typeof openTestStorage>>;
  let counters: RecordType<Counter>;
  beforeEach(async () => {
    store = await openTestStorage(backend);
    counters = store.records.type(counterSchema);
  });
  afterEach(async () => store.close());

  it('keeps every one of 500 concurrent updates to one record', async () => {
    const updates = Array.from({ length: 500 }, (_, i) => counters.update('poll', (record) => ({ voters: { ...voters(record), [`user${i}`]: i } })));
    await Promise.all(updates);
    const stored = await counters.read('poll');
    expect(Object.keys(stored!.voters)).toHaveLength(500);
  });

  it('fails only the mutation that throws, and saves the rest of its batch', async () => {
    const good = counters.update('poll', (record) => ({ voters: { ...voters(record), a: 1 } }));
    const bad = counters.update('poll', () => {
      throw new UserFacingError('not allowed');
    });
    const alsoGood = counters.update('poll', (record) => ({ voters: { ...voters(record), b: 2 } }));
    await expect(bad).rejects.toThrow('not allowed');
    await Promise.all([good, alsoGood]);
    expect((await counters.read('poll'))!.voters).toEqual({ a: 1, b: 2 });
  });

  it('fails only the mutation that would make the record invalid, and saves the rest of its batch', async () => {
    await counters.update('poll', () => ({ voters: { first: 1 } }));
    // Queued in the same tick, so all three are applied to one read: one batch.
    const good = counters.update('poll', (record) => ({ voters: { ...voters(record), a: 1 } }));
    const bad = counters.update('poll', (record) => ({ voters: { ...voters(record), broken: -5 } }));
    const alsoGood = counters.update('poll', (record) => ({ voters: { ...voters(record), b: 2 } }));
    await expect(bad).rejects.toBeInstanceOf(InvalidRecordError);
    await expect(good).resolves.toEqual({ voters: { first: 1, a: 1, b: 2 } });
    await expect(alsoGood).resolves.toEqual({ voters: { first: 1, a: 1, b: 2 } });
    expect((await counters.read('poll'))!.voters).toEqual({ first: 1, a: 1, b: 2 });
  });

  it('gives each mutation the missing record as undefined, so no caller’s default applies to another', async () => {
    const withDefault = counters.update('poll', (record) => record ?? { voters: { created: 1 } });
    const mustExist = counters.update('poll', (record) => {
      if (!record) throw new Error('expected a record');
      return { voters: { ...record.voters, joined: 2 } };
    });
    await Promise.all([withDefault, mustExist]);
    expect((await counters.read('poll'))!.voters).toEqual({ created: 1, joined: 2 });
    // The other way round: the caller that needs a record fails alone, and the default still applies.
    const mustExistFirst = counters.update('other', (record) => {
      if (!record) throw new Error('expected a record');
      return record;
    });
    const withDefaultSecond = counters.update('other', (record) => record ?? { voters: { created: 1 } });
    await expect(mustExistFirst).rejects.toThrow('expected a record');
    await expect(withDefaultSecond).resolves.toEqual({ voters: { created: 1 } });
    // Refused on an empty key: its own rule, not the first caller's default.
    await expect(counters.update('empty', (record) => {
      if (!record) throw new Error('expected a record');
      return record;
    })).rejects.toThrow('expected a record');
    expect(await counters.read('empty')).toBeUndefined();
  });

  it('refuses to queue a mutation of another record type on a key being updated', async () => {
    const others = store.records.type(z.object({ title: z.string() }));
    const counted = counters.update('shared', () => ({ voters: { a: 1 } }));
    const mixed = others.update('shared', () => ({ title: 'not a counter' }));
    await expect(mixed).rejects.toThrow(/two different record types/);
    await counted;
    expect(await counters.read('shared')).toEqual({ voters: { a: 1 } });
  });

  it('skips a corrupt record on read and refuses to overwrite it', async () => {
    await store.storage.kv.set('poll', { voters: 'garbage' });
    expect(await counters.read('poll')).toBeUndefined();
    await expect(counters.update('poll', (record) => record ?? { voters: {} })).rejects.toBeInstanceOf(RecordDamagedError);
    expect(await store.storage.kv.get('poll')).toEqual({ voters: 'garbage' });
  });

  it('reports a storage outage as a try-again error, confirms nothing, logs the outage once, and recovers', async () => {
    const { log, lines } = capturingLog();
    let watched = new RecordStore(store.storage.kv, log, { backend }).type(counterSchema);
    await watched.update('poll', () => ({ voters: { a: 1 } }));
    // An outage: the database server goes away; the SQLite file's connection is closed.
    const server = backend === 'sqlite' ? undefined : await serverForThisFile(backend);
    if (server) await server.stop();
    else await store.storage.close();
    for (let i = 0; i < 5; i++) {
      await expect(watched.update('poll', (record) => ({ voters: { ...voters(record), [`b${i}`]: 2 } }))).rejects.toBeInstanceOf(StorageUnavailableError);
      await expect(watched.read('poll')).rejects.toBeInstanceOf(StorageUnavailableError);
    }
    if (server) await server.start();
    else {
      const reopened = await openStorage(store.url, silentLog);
      const original = store;
      // The original connection is already closed; closing it again only removes its folder.
      const close = async () => {
        await reopened.close();
        await original.close().catch(() => undefined);
      };
      store = { ...store, storage: reopened, close };
      // A closed SQLite connection stays closed: a new store reads the file, so only the servers show recovery.
      watched = new RecordStore(reopened.kv, silentLog, { backend }).type(counterSchema);
    }
    await expect.poll(() => watched.read('poll').catch(() => undefined), { timeout: 5_000 }).toEqual({ voters: { a: 1 } });
    const outages = lines.filter((line) => line.msg.startsWith('storage outage'));
    expect(outages).toHaveLength(1);
    expect(outages[0]).toMatchObject({ level: 50, backend });
    expect(String(outages[0]!.reason).length).toBeGreaterThan(0);
    if (server) expect(lines.filter((line) => line.msg === 'storage is back')).toMatchObject([{ level: 30, backend }]);
    expect(lines.filter((line) => line.level === 40)).toEqual([]);
  });

  it('keeps records of different keys apart', async () => {
    await counters.update('guild:1:poll', () => ({ voters: { a: 1 } }));
    await counters.update('guild:2:poll', () => ({ voters: { b: 2 } }));
    expect((await counters.read('guild:1:poll'))!.voters).toEqual({ a: 1 });
    expect((await counters.read('guild:2:poll'))!.voters).toEqual({ b: 2 });
  });
});

describe('RecordStore when a write stalls', () => {
  /** A Map whose next writes are held until released, as a stalled database connection would. */
  class StalledMap extends Map<string, unknown> {
    stalled = false;
    private held: (() => void)[] = [];
    override set(key: string, value: unknown): this {
      if (!this.stalled) return super.set(key, value);
      // keyv awaits what the store returns, so a promise here is a write in flight.
      return new Promise<this>((resolve) => this.held.push(() => resolve(super.set(key, value)))) as unknown as this;
    }
    /** Lets the held writes land. */
    release(): void {
      this.stalled = false;
      for (const land of this.held.splice(0)) land();
    }
  }

  it('tells everyone waiting to try again, takes nothing new until the late write lands, and then loses nothing', async () => {
    const slow = new StalledMap();
    const kv = new Keyv<unknown>({ store: slow, throwOnErrors: true });
    const counters = new RecordStore(kv, silentLog, { timeoutMs: 100 }).type(counterSchema);
    slow.stalled = true;
    const first = counters.update('poll', (record) => ({ voters: { ...voters(record), first: 1 } }));
    const queued = counters.update('poll', (record) => ({ voters: { ...voters(record), queued: 2 } }));
    // Both are answered while the write is still held: nobody waits for a stalled database.
    await expect(first).rejects.toBeInstanceOf(StorageUnavailableError);
    await expect(queued).rejects.toBeInstanceOf(StorageUnavailableError);
    expect(await kv.get('poll')).toBeUndefined();
    // While the stalled write may still land, the key refuses at once rather than read around it.
    await expect(counters.update('poll', (record) => ({ voters: { ...voters(record), during: 3 } }))).rejects.toBeInstanceOf(StorageUnavailableError);
    slow.release();
    await expect.poll(() => kv.get('poll')).toEqual({ voters: { first: 1 } });
    await expect.poll(() => counters.update('poll', (record) => ({ voters: { ...voters(record), after: 4 } })).catch(() => undefined)).toBeDefined();
    // The late write landed first, so the confirmed update made after it is kept alongside it.
    expect((await counters.read('poll'))!.voters).toEqual({ first: 1, after: 4 });
  });
});

/** A slow database: counts reads, holds writes back, and can hold the next read's answer (as read at the time) back too. */
class LateAnswers extends Map<string, unknown> {
  reads = 0;
  stallWrites = false;
  holdNextRead = false;
  private writes: (() => void)[] = [];
  private answers: (() => void)[] = [];
  override get(key: string): unknown {
    this.reads++;
    const value = super.get(key);
    if (!this.holdNextRead) return value;
    this.holdNextRead = false;
    return new Promise((resolve) => this.answers.push(() => resolve(value)));
  }
  override set(key: string, value: unknown): this {
    if (!this.stallWrites) return super.set(key, value);
    return new Promise<this>((resolve) => this.writes.push(() => resolve(super.set(key, value)))) as unknown as this;
  }
  get heldWrites(): number {
    return this.writes.length;
  }
  landWrites(): void {
    this.stallWrites = false;
    for (const land of this.writes.splice(0)) land();
  }
  answerReads(): void {
    for (const answer of this.answers.splice(0)) answer();
  }
}


describe('RecordStore remembering that a key holds nothing', () => {

  it('reads an empty key from storage once, and sees the record as soon as it is written', async () => {
    const map = new LateAnswers();
    const counters = new RecordStore(new Keyv({ store: map }), silentLog).type(counterSchema);
    expect(await counters.read('film:unrated')).toBeUndefined();
    const reads = map.reads;
    expect(await counters.read('film:unrated')).toBeUndefined();
    expect(await counters.peek('film:unrated')).toBeUndefined();
    expect(await counters.readMany(['film:unrated'])).toEqual([undefined]);
    expect(map.reads).toBe(reads);

    await counters.update('film:unrated', () => ({ voters: { ana: 4 } }));
    expect(await counters.read('film:unrated')).toEqual({ voters: { ana: 4 } });
    expect(await counters.peek('film:unrated')).toEqual({ voters: { ana: 4 } });
  });

  it('does not remember an empty read that a write overtook', async () => {
    const map = new LateAnswers();
    const counters = new RecordStore(new Keyv({ store: map }), silentLog).type(counterSchema);
    map.holdNextRead = true;
    const stale = counters.read('poll');
    await counters.update('poll', () => ({ voters: { ana: 1 } }));
    map.answerReads();
    // The read began before the write: it may say "nothing", but that is not remembered.
    expect(await stale).toBeUndefined();
    expect(await counters.read('poll')).toEqual({ voters: { ana: 1 } });
  });
});

describe('RecordStore reading a record while it is written', () => {
  it('answers reads with the last saved record while the next is written, and with the new one once its writer is answered', async () => {
    const map = new LateAnswers();
    const counters = new RecordStore(new Keyv({ store: map }), silentLog).type(counterSchema);
    await counters.update('film', () => ({ voters: { ana: 4 } }));
    map.stallWrites = true;
    const writing = counters.update('film', (record) => ({ voters: { ...voters(record), bo: 5 } }));
    await expect.poll(() => map.heldWrites).toBe(1);
    const reads = map.reads;
    // Storage still holds the first record until the write lands, and nobody was told otherwise.
    expect(await counters.read('film')).toEqual({ voters: { ana: 4 } });
    expect(map.reads).toBe(reads);
    map.landWrites();
    await writing;
    expect(await counters.read('film')).toEqual({ voters: { ana: 4, bo: 5 } });
  });

  it('reads storage again after a write that timed out, so what lands late is seen', async () => {
    const map = new LateAnswers();
    const counters = new RecordStore(new Keyv<unknown>({ store: map, throwOnErrors: true }), silentLog, { timeoutMs: 100 }).type(counterSchema);
    await counters.update('film', () => ({ voters: { ana: 4 } }));
    map.stallWrites = true;
    await expect(counters.update('film', (record) => ({ voters: { ...voters(record), bo: 5 } }))).rejects.toBeInstanceOf(StorageUnavailableError);
    map.landWrites();
    // At once, not once the key is released (holdUntilSettled waits timeoutMs after the write lands).
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(await counters.read('film')).toEqual({ voters: { ana: 4, bo: 5 } });
  });

  it('does not remember what storage answered a read begun during a batch, even if it answers after the write', async () => {
    const map = new LateAnswers();
    const counters = new RecordStore(new Keyv({ store: map }), silentLog).type(counterSchema);
    map.stallWrites = true;
    const first = counters.update('film', () => ({ voters: { ana: 4 } }));
    await expect.poll(() => map.heldWrites).toBe(1);
    map.holdNextRead = true;
    const late = counters.read('film');
    map.landWrites();
    expect(await first).toEqual({ voters: { ana: 4 } });
    map.answerReads();
    // Storage answered "nothing" from before the write: that read may say so, but it is not remembered.
    expect(await late).toBeUndefined();
    expect(await counters.read('film')).toEqual({ voters: { ana: 4 } });
    expect(await counters.peek('film')).toEqual({ voters: { ana: 4 } });
  });
});

describe('RecordStore remembering entries read outside a batch', () => {
  const review = (userId: string, text: string, at: number) => ({ userId, displayName: userId, stars: 4, text, spoiler: false, at });

  it('reads a page of entries from storage once, and again once any of them is written', async () => {
    const map = new LateAnswers();
    const reviews = new ReviewStore(new RecordStore(new Keyv({ store: map }), silentLog));
    await reviews.write('g', 'her-smell', review('ana', 'A ferocious film.', 1));
    await reviews.write('g', 'her-smell', review('bo', 'Too loud for me.', 2));
    expect((await reviews.many('g', 'her-smell', ['bo', 'ana'])).map((r) => r.text)).toEqual(['Too loud for me.', 'A ferocious film.']);
    const reads = map.reads;
    expect((await reviews.many('g', 'her-smell', ['bo', 'ana'])).map((r) => r.text)).toEqual(['Too loud for me.', 'A ferocious film.']);
    expect(map.reads).toBe(reads);

    await reviews.write('g', 'her-smell', review('ana', 'Better the second time.', 3));
    expect((await reviews.many('g', 'her-smell', ['bo', 'ana'])).map((r) => r.text)).toEqual(['Too loud for me.', 'Better the second time.']);
    await reviews.remove('g', 'her-smell', 'bo', 4);
    expect((await reviews.many('g', 'her-smell', ['bo', 'ana'])).map((r) => r.text)).toEqual(['Better the second time.']);
  });

  it('does not remember entries storage answered from before a write that landed meanwhile', async () => {
    const map = new LateAnswers();
    const reviews = new ReviewStore(new RecordStore(new Keyv({ store: map }), silentLog));
    await reviews.write('g', 'her-smell', review('ana', 'A ferocious film.', 1));
    map.stallWrites = true;
    const rewrite = reviews.write('g', 'her-smell', review('ana', 'Better the second time.', 2));
    await expect.poll(() => map.heldWrites).toBeGreaterThan(0);
    map.holdNextRead = true;
    const late = reviews.many('g', 'her-smell', ['ana']);
    map.landWrites();
    await rewrite;
    map.answerReads();
    expect((await late)[0]!.text).toBe('A ferocious film.');
    // The writer was told the rewrite was saved: every read from now on shows it.
    expect((await reviews.many('g', 'her-smell', ['ana']))[0]!.text).toBe('Better the second time.');
  });
});

describe('RecordStore keeping expiring values in memory', () => {

  it('answers a value written or read here lately without storage, a copy each time, and never past its time to live', async () => {
    const map = new LateAnswers();
    const here = new RecordStore(new Keyv({ store: map }), silentLog).expiring(counterSchema);
    const elsewhere = new RecordStore(new Keyv({ store: map }), silentLog).expiring(counterSchema);

    await here.set('tmdb:search:fight', { voters: { a: 1 } }, 60_000);
    const answer = await here.get('tmdb:search:fight');
    expect(answer).toEqual({ voters: { a: 1 } });
    expect(map.reads).toBe(0);
    answer!.voters.a = 99;
    expect(await here.get('tmdb:search:fight')).toEqual({ voters: { a: 1 } });

    // Written by another process: read from storage once, then kept.
    await elsewhere.set('tmdb:movie:550', { voters: { b: 2 } }, 60_000);
    expect(await here.get('tmdb:movie:550')).toEqual({ voters: { b: 2 } });
    expect(await here.get('tmdb:movie:550')).toEqual({ voters: { b: 2 } });
    expect(map.reads).toBe(1);

    await here.set('tmdb:search:brief', { voters: { c: 3 } }, 30);
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(await here.get('tmdb:search:brief')).toBeUndefined();
  });
});

import { FlakyKeyv } from '../support/flakyKeyv';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import Keyv, { type KeyvEntry } from 'keyv';
import { loadFilmCatalog } from '../../src/data/catalog';
import { StorageUnavailableError } from '../../src/errors';
import { PollService } from '../../src/polls/pollService';
import { keys } from '../../src/storage/keys';
import { type Poll, PollStore, voteCount } from '../../src/storage/polls';
import { RatingStore } from '../../src/storage/ratings';
import { RecordStore } from '../../src/storage/records';
import { emptyTally, journalSchema, talliedEntries, tallySchema } from '../../src/storage/tally';
import { z } from 'zod';
import { BACKENDS, closeServersOfThisFile, openTestStorage, silentLog } from '../../harness/storage';

afterAll(closeServersOfThisFile);

const GUILD = '200000000000000001';
const films = loadFilmCatalog();
const noEdits = { edit: async () => undefined };
const members = (count: number, from = 0) => Array.from({ length: count }, (_, i) => `member${from + i}`);
const newPoll = (polls: PollStore) => polls.create({ guildId: GUILD, channelId: 'c1', filmId: 'her-smell', film: { title: 'Her Smell', year: 2018 }, hostId: 'host', blind: false, durationMs: 3_600_000 }, Date.now());

describe.each(BACKENDS)('votes kept one per member on %s', (backend) => {
  let store: Awaited<ReturnType<typeof openTestStorage>>;
  let polls: PollStore;
  beforeEach(async () => {
    store = await openTestStorage(backend);
    polls = new PollStore(store.records);
  });
  afterEach(async () => store.close());

  it('counts 1,000 members voting at once, and a changed vote once', async () => {
    const poll = await newPoll(polls);
    const now = Date.now();
    await Promise.all(members(1_000).map((userId, i) => polls.vote(GUILD, poll.id, userId, ((i % 10) + 1) / 2, now)));
    await polls.vote(GUILD, poll.id, 'member0', 5, now + 1);
    const stored = (await polls.get(GUILD, poll.id))!;
    expect(voteCount(stored)).toBe(1_000);
    // member0 moved from ½★ to 5★.
    expect(stored.tally).toEqual([99, 100, 100, 100, 100, 100, 100, 100, 100, 101]);
    const votes = await polls.votesOf(stored, members(1_100));
    expect(Object.keys(votes)).toHaveLength(1_000);
    expect(votes.member0).toEqual({ stars: 5, at: now + 1 });
  });

  it('keeps the poll’s own record the same size however many members vote', async () => {
    const ratings = new RatingStore(store.records);
    const service = new PollService(polls, ratings, films, noEdits, silentLog);
    try {
      const poll = await service.start({ guildId: GUILD, channelId: 'c1', filmId: 'her-smell', film: { title: 'Her Smell', year: 2018 }, hostId: 'host', blind: false, durationMs: 3_600_000 });
      const sizeAfter = async (voters: number, from: number) => {
        await Promise.all(members(voters, from).map((userId) => service.vote(GUILD, poll.id, userId, 4)));
        await expect.poll(async () => (await ratings.summary(GUILD, 'her-smell'))?.count, { timeout: 10_000 }).toBe(from + voters);
        await polls.settle(GUILD, poll.id);
        return JSON.stringify(await store.storage.kv.get(keys.poll(GUILD, poll.id))).length;
      };
      const small = await sizeAfter(10, 0);
      const large = await sizeAfter(2_000, 10);
      // Only the digits of the count grow.
      expect(large - small).toBeLessThan(10);
    } finally {
      await service.stop();
    }
  });
});

describe('a batch whose votes were not all written', () => {
  it('tells those members it failed, and the next batch brings the count back in line with the stored votes', async () => {
    const kv = new FlakyKeyv();
    const polls = new PollStore(new RecordStore(kv, silentLog));
    const poll = await newPoll(polls);
    await polls.vote(GUILD, poll.id, 'alice', 4, Date.now());
    await polls.vote(GUILD, poll.id, 'bob', 3, Date.now());
    kv.failEntryWrites = 1;
    // The poll's record (with its count) is written first; the vote itself then fails.
    await expect(polls.vote(GUILD, poll.id, 'alice', 1, Date.now())).rejects.toBeInstanceOf(StorageUnavailableError);
    // Read back, the count is already the stored votes' (the stored record still counts alice's ½★).
    expect((await polls.get(GUILD, poll.id))!.tally).toEqual([0, 0, 0, 0, 0, 1, 0, 1, 0, 0]);
    await expect(polls.vote(GUILD, poll.id, 'carol', 5, Date.now())).resolves.toBeDefined();
    const stored = (await polls.get(GUILD, poll.id))!;
    expect(await polls.votesOf(stored, ['alice', 'bob', 'carol'])).toEqual({
      alice: { stars: 4, at: expect.any(Number) },
      bob: { stars: 3, at: expect.any(Number) },
      carol: { stars: 5, at: expect.any(Number) },
    });
    expect(stored.tally).toEqual([0, 0, 0, 0, 0, 1, 0, 1, 0, 1]);
  });
});

describe('a batch of changes to entries', () => {
  it('leaves out every entry a refused change set before it threw, and keeps the rest of the batch', async () => {
    const kv = new Keyv<unknown>();
    const ratings = new RecordStore(kv, silentLog).type(z.object({ tally: tallySchema, journal: journalSchema.optional() }), talliedEntries(keys.filmRating));
    const start = { tally: emptyTally() };
    const refused = ratings.update('film', (current, entries) => {
      entries.set('alice', { stars: 1, at: 1 });
      throw new Error('refused after setting');
    }, ['alice']);
    const kept = ratings.update('film', (current, entries) => {
      entries.set('bob', { stars: 5, at: 2 });
      return current ?? start;
    }, ['bob']);
    await expect(refused).rejects.toThrow('refused after setting');
    expect((await kept).tally).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
    expect(await kv.get(keys.filmRating('film', 'alice'))).toBeUndefined();
  });

  it('hands ratings over around a damaged one, which is left as it is', async () => {
    const kv = new Keyv<unknown>();
    const ratings = new RatingStore(new RecordStore(kv, silentLog));
    await ratings.rate(GUILD, 'her-smell', 'alice', 3, 1);
    const damagedKey = keys.filmRating(keys.filmRatings(GUILD, 'her-smell'), 'alice');
    await kv.set(damagedKey, { stars: 'three' });
    await ratings.rateMany(GUILD, 'her-smell', { alice: { stars: 5, at: 2 }, bob: { stars: 4, at: 2 } });
    expect(await ratings.ratingOf(GUILD, 'her-smell', 'bob')).toBe(4);
    expect(await kv.get(damagedKey)).toEqual({ stars: 'three' });
  });

  it('closes a poll with results counting only the votes stored, after a vote whose write failed', async () => {
    const kv = new FlakyKeyv();
    const records = new RecordStore(kv, silentLog);
    const polls = new PollStore(records);
    const edits: string[] = [];
    const ratings = new RatingStore(records);
    const service = new PollService(polls, ratings, films, { edit: async (_c, _m, message) => void edits.push(String(message.embeds[0]?.description)) }, silentLog);
    try {
      const poll = await service.start({ guildId: GUILD, channelId: 'c1', filmId: 'her-smell', film: { title: 'Her Smell', year: 2018 }, hostId: 'host', blind: false, durationMs: 3_600_000 });
      await polls.attachMessage(GUILD, poll.id, 'm1');
      await service.vote(GUILD, poll.id, 'alice', 4);
      // Alice's rating is written after her answer: wait for it, so that the failure hits bob's vote.
      await expect.poll(() => ratings.ratingOf(GUILD, 'her-smell', 'alice'), { timeout: 5_000 }).toBe(4);
      kv.failEntryWrites = 1;
      await expect(service.vote(GUILD, poll.id, 'bob', 1)).rejects.toBeInstanceOf(StorageUnavailableError);
      await service.close(GUILD, poll.id, 'host');
      await expect.poll(() => edits.at(-1), { timeout: 5_000 }).toContain('average from 1 vote');
      expect(voteCount((await polls.get(GUILD, poll.id))!)).toBe(1);
    } finally {
      await service.stop();
    }
  });
});

describe('records kept in the layout before per-member entries', () => {
  const legacyPoll = (votes: Record<string, { stars: number; at: number }>): Omit<Poll, 'tally' | 'unrated' | 'journal' | 'legacy'> & { votes: typeof votes } => ({
    id: 'abc123',
    guildId: GUILD,
    channelId: 'c1',
    messageId: 'm1',
    filmId: 'her-smell',
    hostId: 'host',
    blind: false,
    createdAt: Date.now() - 1_000,
    closesAt: Date.now() + 3_600_000,
    status: 'open',
    votes,
  });

  it('reads an old poll, moves its votes out on the next vote, and hands them all over as ratings when it closes', async () => {
    const kv = new Keyv<unknown>();
    const records = new RecordStore(kv, silentLog);
    const polls = new PollStore(records);
    const ratings = new RatingStore(records);
    await kv.set(keys.poll(GUILD, 'abc123'), legacyPoll({ alice: { stars: 4, at: 1 }, bob: { stars: 2.5, at: 2 } }));
    await kv.set(keys.openPolls(GUILD), { polls: [{ id: 'abc123', channelId: 'c1', filmId: 'her-smell', createdAt: 0, closesAt: Date.now() + 3_600_000 }] });

    const before = (await polls.get(GUILD, 'abc123'))!;
    expect(voteCount(before)).toBe(2);
    expect(await polls.votesOf(before, ['alice', 'bob', 'carol'])).toEqual({ alice: { stars: 4, at: 1 }, bob: { stars: 2.5, at: 2 } });

    await polls.vote(GUILD, 'abc123', 'carol', 5, Date.now());
    const raw = (await kv.get(keys.poll(GUILD, 'abc123'))) as Record<string, unknown>;
    expect(raw.votes).toBeUndefined();
    expect(raw.legacy).toBeUndefined();
    expect(await kv.get(keys.pollVote(keys.poll(GUILD, 'abc123'), 'alice'))).toEqual({ stars: 4, at: 1 });

    const service = new PollService(polls, ratings, films, noEdits, silentLog);
    try {
      await service.close(GUILD, 'abc123', 'host');
      await expect.poll(async () => (await ratings.summary(GUILD, 'her-smell'))?.count, { timeout: 5_000 }).toBe(3);
      expect(await ratings.ratingOf(GUILD, 'her-smell', 'bob')).toBe(2.5);
      await expect.poll(() => polls.unfinishedPollsOf([GUILD]), { timeout: 5_000 }).toEqual([]);
    } finally {
      await service.stop();
    }
  });

  it('reads old film ratings, and a new rating moves them out without losing one', async () => {
    const kv = new Keyv<unknown>();
    const ratings = new RatingStore(new RecordStore(kv, silentLog));
    await kv.set(keys.filmRatings(GUILD, 'her-smell'), { ratings: { alice: { stars: 4, at: 1 }, bob: { stars: 3, at: 2 } } });
    expect(await ratings.ratingOf(GUILD, 'her-smell', 'alice')).toBe(4);
    expect((await ratings.summary(GUILD, 'her-smell'))?.count).toBe(2);

    await ratings.rate(GUILD, 'her-smell', 'bob', 5, 3);
    await ratings.rate(GUILD, 'her-smell', 'carol', 1, 4);
    expect(await ratings.ratingOf(GUILD, 'her-smell', 'alice')).toBe(4);
    expect(await ratings.ratingOf(GUILD, 'her-smell', 'bob')).toBe(5);
    const summary = (await ratings.summary(GUILD, 'her-smell'))!;
    expect(summary.count).toBe(3);
    expect(summary.average).toBeCloseTo(10 / 3);
    expect(((await kv.get(keys.filmRatings(GUILD, 'her-smell'))) as Record<string, unknown>).ratings).toBeUndefined();
  });
});

describe('ratings from votes', () => {
  it('are saved after the answer, and a vote whose rating could not be saved is handed over when the poll closes', async () => {
    const kv = new Keyv<unknown>();
    const records = new RecordStore(kv, silentLog);
    const polls = new PollStore(records);
    const ratings = new RatingStore(records);
    let refuseRatings = true;
    const flakyRatings = Object.create(ratings) as RatingStore;
    flakyRatings.rate = async (...args) => {
      if (refuseRatings) throw new StorageUnavailableError(new Error('down'));
      return ratings.rate(...args);
    };
    const service = new PollService(polls, flakyRatings, films, noEdits, silentLog);
    try {
      const poll = await service.start({ guildId: GUILD, channelId: 'c1', filmId: 'her-smell', film: { title: 'Her Smell', year: 2018 }, hostId: 'host', blind: false, durationMs: 3_600_000 });
      await service.vote(GUILD, poll.id, 'alice', 4);
      refuseRatings = false;
      await service.vote(GUILD, poll.id, 'bob', 2);
      await expect.poll(() => ratings.ratingOf(GUILD, 'her-smell', 'bob'), { timeout: 5_000 }).toBe(2);
      expect(await ratings.ratingOf(GUILD, 'her-smell', 'alice')).toBeUndefined();
      // A later vote's write drops bob, whose rating is saved, from the votes left to hand over.
      await service.vote(GUILD, poll.id, 'carol', 3);
      expect(Object.keys((await polls.get(GUILD, poll.id))!.unrated)).toEqual(['alice', 'carol']);

      await service.close(GUILD, poll.id, 'host');
      await expect.poll(() => ratings.ratingOf(GUILD, 'her-smell', 'alice'), { timeout: 5_000 }).toBe(4);
      expect((await ratings.summary(GUILD, 'her-smell'))?.count).toBe(3);
    } finally {
      await service.stop();
    }
  });
});

describe('records this process saved', () => {
  /** In-memory keyv that counts reads and can be switched off, as an outage would. */
  function countingKeyv() {
    const kv = new Keyv<unknown>();
    const state = { kv, reads: 0, down: false };
    const get = kv.get.bind(kv);
    const set = kv.set.bind(kv);
    const getMany = kv.getMany.bind(kv);
    const setMany = kv.setMany.bind(kv);
    kv.getMany = (async (keys: string[]) => {
      state.reads += 1;
      if (state.down) throw new Error('connection refused');
      return getMany(keys);
    }) as typeof kv.getMany;
    kv.setMany = (async (entries: KeyvEntry[]) => {
      if (state.down) throw new Error('connection refused');
      return setMany(entries);
    }) as typeof kv.setMany;
    kv.get = (async (key: string) => {
      state.reads += 1;
      if (state.down) throw new Error('connection refused');
      return get(key);
    }) as typeof kv.get;
    kv.set = (async (key: string, value: unknown) => {
      if (state.down) throw new Error('connection refused');
      return set(key, value);
    }) as typeof kv.set;
    return state;
  }

  it('are read back without a trip to storage, and from storage again once a write of them fails', async () => {
    const kv = countingKeyv();
    const ratings = new RatingStore(new RecordStore(kv.kv, silentLog));
    await ratings.rate(GUILD, 'her-smell', 'alice', 4, 1);
    kv.reads = 0;
    expect((await ratings.summary(GUILD, 'her-smell'))?.count).toBe(1);
    expect((await ratings.summary(GUILD, 'her-smell'))?.count).toBe(1);
    expect(kv.reads).toBe(0);

    kv.down = true;
    await expect(ratings.rate(GUILD, 'her-smell', 'bob', 2, 2)).rejects.toBeInstanceOf(StorageUnavailableError);
    await expect(ratings.summary(GUILD, 'her-smell')).rejects.toBeInstanceOf(StorageUnavailableError);
    kv.down = false;
    expect((await ratings.summary(GUILD, 'her-smell'))?.count).toBe(1);
  });

  it('hand out copies: changing what a read returned changes nothing stored', async () => {
    const kv = new Keyv<unknown>();
    const polls = new PollStore(new RecordStore(kv, silentLog));
    const poll = await newPoll(polls);
    const read = (await polls.get(GUILD, poll.id))!;
    read.tally[0] = 99;
    expect((await polls.get(GUILD, poll.id))!.tally[0]).toBe(0);
  });
});

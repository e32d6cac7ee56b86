// Closing a poll is never given up: storage outages, failed edits and restarts only delay its results.
import Keyv from 'keyv';
import pino from 'pino';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadFilmCatalog } from '../../src/data/catalog';
import { PollService, type RetryPolicy } from '../../src/polls/pollService';
import type { PollMessage } from '../../src/replies/poll';
import { keys } from '../../src/storage/keys';
import { PollStore } from '../../src/storage/polls';
import { RatingStore } from '../../src/storage/ratings';
import { RecordStore } from '../../src/storage/records';
import { BACKENDS, closeServersOfThisFile, openTestStorage, silentLog } from '../../harness/storage';

afterAll(closeServersOfThisFile);

const films = loadFilmCatalog();
const GUILD = '200000000000000001';
const FAST_RETRY: RetryPolicy = { firstMs: 50, maxMs: 200 };

/** A keyv whose calls fail while `down` is set, as during a database outage. */
function switchableKv(kv: Keyv<unknown>) {
  const state = { down: false };
  const failing = new Set<PropertyKey>(['get', 'getMany', 'set', 'delete']);
  const proxy = new Proxy(kv, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (!failing.has(property) || typeof value !== 'function') return value;
      return async (...args: unknown[]) => {
        if (state.down) throw new Error('connect ECONNREFUSED');
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return { kv: proxy, state };
}

/** A poll message editor that records edits, and fails (as Discord does when it is down) while `failing` is set. */
function editorThatMayFail() {
  const edits: PollMessage[] = [];
  const state = { failing: false, failed: 0 };
  return {
    edits,
    state,
    lastTitle: () => edits.at(-1)?.embeds[0]?.title,
    async edit(_channelId: string, _messageId: string, message: PollMessage) {
      if (state.failing && ++state.failed) throw Object.assign(new Error('503 Service Unavailable'), { status: 503 });
      edits.push(message);
    },
  };
}

function capturingLog() {
  const lines: { level: number; msg: string }[] = [];
  return { lines, log: pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line)) }) };
}

describe.each(BACKENDS)('closing polls on %s', (backend) => {
  let store: Awaited<ReturnType<typeof openTestStorage>>;
  let outage: ReturnType<typeof switchableKv>;
  let polls: PollStore;
  let ratings: RatingStore;
  let editor: ReturnType<typeof editorThatMayFail>;
  const services: PollService[] = [];
  const newService = (log = silentLog) => {
    const service = new PollService(polls, ratings, films, editor, log, Date.now, FAST_RETRY);
    services.push(service);
    return service;
  };

  beforeEach(async () => {
    store = await openTestStorage(backend);
    outage = switchableKv(store.storage.kv);
    const records = new RecordStore(outage.kv, silentLog, { backend });
    polls = new PollStore(records);
    ratings = new RatingStore(records);
    editor = editorThatMayFail();
  });
  afterEach(async () => {
    outage.state.down = false;
    await Promise.all(services.splice(0).map((service) => service.stop()));
    await store.close();
  });

  const startPoll = async (service: PollService, durationMs: number) => {
    const poll = await service.start({ guildId: GUILD, channelId: 'c1', filmId: 'her-smell', film: { title: 'Her Smell', year: 2018 }, hostId: 'host', blind: false, durationMs });
    await polls.attachMessage(GUILD, poll.id, 'm1');
    return poll;
  };
  const listed = async () => (await polls.unfinishedPollsOf([GUILD])).map(({ entry }) => entry.id);

  /** A poll closed while every edit of its message failed, by a bot that then stopped. */
  const closedBehindItsMessage = async () => {
    const service = newService();
    const poll = await startPoll(service, 60_000);
    await service.vote(GUILD, poll.id, 'alice', 3);
    editor.state.failing = true;
    await service.close(GUILD, poll.id, 'host');
    await service.stop();
    editor.state.failing = false;
    return poll;
  };

  /** Starts a poll, stops, lets `tamper` change storage, then resumes two minutes past its closing time. */
  const resumeAfter = async (tamper: (pollKey: string) => Promise<unknown>) => {
    const { log, lines } = capturingLog();
    const service = newService();
    const poll = await startPoll(service, 60_000);
    await service.stop();
    await tamper(keys.poll(GUILD, poll.id));
    const later = new PollService(polls, ratings, films, editor, log, () => Date.now() + 120_000, FAST_RETRY);
    services.push(later);
    await later.resume([GUILD]);
    return { poll, lines };
  };

  it('retries a close whose timer fires during a storage outage, then posts the results and unlists it', async () => {
    const service = newService();
    const poll = await startPoll(service, 300);
    await service.vote(GUILD, poll.id, 'alice', 4);
    outage.state.down = true;
    // Long enough for the timer and several retries to fail.
    await new Promise((resolve) => setTimeout(resolve, 700));
    outage.state.down = false;
    expect(await listed()).toEqual([poll.id]);
    await expect.poll(() => editor.lastTitle(), { timeout: 5_000 }).toBe('Results: Her Smell');
    await expect.poll(listed, { timeout: 5_000 }).toEqual([]);
    const closed = await polls.get(GUILD, poll.id);
    expect(closed).toMatchObject({ status: 'closed', closedBy: 'timer' });
    expect(editor.edits.at(-1)!.embeds[0]!.description).toContain('**4.0** average from 1 vote');
    expect(await ratings.ratingOf(GUILD, 'her-smell', 'alice')).toBe(4);
  });

  it('keeps a closed poll listed while its results cannot be shown, and the next start shows them', async () => {
    const poll = await closedBehindItsMessage();
    expect(editor.edits).toEqual([]);
    // Members no longer see it as open, but it is not forgotten.
    expect(await polls.openPolls(GUILD)).toEqual([]);
    expect(await listed()).toEqual([poll.id]);

    const restarted = newService();
    await restarted.resume([GUILD]);
    await expect.poll(() => editor.lastTitle(), { timeout: 5_000 }).toBe('Results: Her Smell');
    await expect.poll(listed, { timeout: 5_000 }).toEqual([]);
  });

  it('keeps retrying the results edit of a closed poll while the bot runs, until it lands', async () => {
    const service = newService();
    const poll = await startPoll(service, 60_000);
    editor.state.failing = true;
    await service.close(GUILD, poll.id, 'host');
    // More failures than a live tally edit is allowed (5) before it waits for the next vote.
    await expect.poll(() => editor.state.failed, { timeout: 10_000 }).toBeGreaterThan(6);
    expect(await listed()).toEqual([poll.id]);
    editor.state.failing = false;
    await expect.poll(() => editor.lastTitle(), { timeout: 10_000 }).toBe('Results: Her Smell');
    await expect.poll(listed, { timeout: 5_000 }).toEqual([]);
  });

  it('gives up showing results the bot may no longer post, saying so, and still hands the votes over', async () => {
    const { log, lines } = capturingLog();
    const service = newService(log);
    const poll = await startPoll(service, 60_000);
    await service.vote(GUILD, poll.id, 'alice', 2);
    const forbidden = { edit: async () => Promise.reject(Object.assign(new Error('Missing Access'), { code: 50001 })) };
    const kicked = new PollService(polls, ratings, films, forbidden, log, Date.now, FAST_RETRY);
    services.push(kicked);
    await kicked.close(GUILD, poll.id, 'host');
    await expect.poll(listed, { timeout: 5_000 }).toEqual([]);
    expect(lines.filter((line) => line.msg === 'the bot may no longer edit the poll message: its results cannot be shown')).toHaveLength(1);
    expect(await ratings.ratingOf(GUILD, 'her-smell', 'alice')).toBe(2);
  });

  it('repairs the message when a member votes on a closed poll that still looks open', async () => {
    const poll = await closedBehindItsMessage();
    const restarted = newService();
    // No resume: only the member's click is there to notice the stale message.
    await expect(restarted.vote(GUILD, poll.id, 'bob', 5)).rejects.toThrow(/closed/);
    await expect.poll(() => editor.lastTitle(), { timeout: 5_000 }).toBe('Results: Her Smell');
  });

  it('drops a listed poll whose record is gone, saying so, since there is nothing to close', async () => {
    const { lines } = await resumeAfter((pollKey) => store.storage.kv.delete(pollKey));
    expect(await listed()).toEqual([]);
    expect(lines.filter((line) => line.level === 50).map((line) => line.msg)).toEqual(['listed poll has no record; taking it off the list']);
  });

  it('leaves a poll with a damaged record listed for repair instead of dropping it', async () => {
    const { poll, lines } = await resumeAfter((pollKey) => store.storage.kv.set(pollKey, { status: 'mangled' }));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await listed()).toEqual([poll.id]);
    expect(lines.filter((line) => line.msg.includes('damaged'))).toHaveLength(1);
  });
});

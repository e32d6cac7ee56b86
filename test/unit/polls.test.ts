import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadFilmCatalog } from '../../src/data/catalog';
import { PollNotFoundError } from '../../src/errors';
import { PollService } from '../../src/polls/pollService';
import type { PollMessage } from '../../src/replies/poll';
import { PollStore, voteCount } from '../../src/storage/polls';
import { RatingStore } from '../../src/storage/ratings';
import { BACKENDS, closeServersOfThisFile, openTestStorage, silentLog } from '../../harness/storage';

afterAll(closeServersOfThisFile);

const films = loadFilmCatalog();
const GUILD = '200000000000000001';
const OTHER_GUILD = '200000000000000002';

function recordingEditor() {
  const edits: { channelId: string; messageId: string; message: PollMessage }[] = [];
  return { edits, edit: async (channelId: string, messageId: string, message: PollMessage) => void edits.push({ channelId, messageId, message }) };
}

/** An editor whose edits wait until `release()`, as a slow Discord would keep them; later edits pass at once. */
function heldEditor() {
  const recorded = recordingEditor();
  let open = false;
  let started = 0;
  const waiting: (() => void)[] = [];
  return {
    edits: recorded.edits,
    /** Edits begun, held or not. */
    get started() {
      return started;
    },
    async edit(channelId: string, messageId: string, message: PollMessage) {
      started += 1;
      if (!open) await new Promise<void>((resolve) => waiting.push(resolve));
      await recorded.edit(channelId, messageId, message);
    },
    release() {
      open = true;
      for (const resolve of waiting.splice(0)) resolve();
    },
  };
}

describe.each(BACKENDS)('PollService on %s', (backend) => {
  let store: Awaited<ReturnType<typeof openTestStorage>>;
  let polls: PollStore;
  let ratings: RatingStore;
  let editor: ReturnType<typeof recordingEditor>;
  let service: PollService;

  beforeEach(async () => {
    store = await openTestStorage(backend);
    polls = new PollStore(store.records);
    ratings = new RatingStore(store.records);
    editor = recordingEditor();
    service = new PollService(polls, ratings, films, editor, silentLog);
  });
  afterEach(async () => {
    await service.stop();
    await store.close();
  });

  const startPoll = async (overrides: Partial<Parameters<PollService['start']>[0]> = {}) => {
    const poll = await service.start({ guildId: GUILD, channelId: 'c1', filmId: 'her-smell', film: { title: 'Her Smell', year: 2018 }, hostId: 'host', blind: false, durationMs: 60_000, ...overrides });
    await polls.attachMessage(poll.guildId, poll.id, 'm1');
    return poll;
  };

  it('counts 500 members voting at once, and their ratings', async () => {
    const poll = await startPoll();
    await Promise.all(Array.from({ length: 500 }, (_, i) => service.vote(GUILD, poll.id, `member${i}`, ((i % 10) + 1) / 2)));
    const stored = (await polls.get(GUILD, poll.id))!;
    expect(voteCount(stored)).toBe(500);
    expect(Object.keys(await polls.votesOf(stored, Array.from({ length: 600 }, (_, i) => `member${i}`)))).toHaveLength(500);
    // Ratings follow the answers.
    await expect.poll(async () => (await ratings.summary(GUILD, 'her-smell'))?.count, { timeout: 5_000 }).toBe(500);
    expect((await ratings.summary(GUILD, 'her-smell'))?.average).toBeCloseTo(2.75);
  });

  it('folds a burst of votes that comes during an edit into one more edit, ending on the stored tally, however long the burst takes', async () => {
    // The first edit is held in flight for the whole burst, so the count below cannot depend on
    // how fast this machine saves 199 votes.
    const held = heldEditor();
    const gated = new PollService(polls, ratings, films, held, silentLog);
    try {
      const poll = await gated.start({ guildId: GUILD, channelId: 'c1', filmId: 'her-smell', film: { title: 'Her Smell', year: 2018 }, hostId: 'h', blind: false, durationMs: 60_000 });
      await polls.attachMessage(GUILD, poll.id, 'm1');
      await gated.vote(GUILD, poll.id, 'member0', 4);
      await expect.poll(() => held.started, { timeout: 5_000 }).toBe(1);
      await Promise.all(Array.from({ length: 199 }, (_, i) => gated.vote(GUILD, poll.id, `member${i + 1}`, 4)));
      expect(held.started).toBe(1);
      held.release();
      await expect.poll(() => held.edits.at(-1)?.message.embeds[0]?.description, { timeout: 5_000 }).toContain('200 votes so far');
      expect(held.edits.map((edit) => edit.message.embeds[0]?.description?.match(/\d+ votes? so far/)?.[0])).toEqual(['1 vote so far', '200 votes so far']);
    } finally {
      held.release();
      await gated.stop();
    }
  });

  it('lets a member change their vote, keeping one vote each', async () => {
    const poll = await startPoll();
    await service.vote(GUILD, poll.id, 'alice', 2);
    await service.vote(GUILD, poll.id, 'alice', 4.5);
    const stored = (await polls.get(GUILD, poll.id))!;
    expect(voteCount(stored)).toBe(1);
    expect(await polls.votesOf(stored, ['alice', 'bob'])).toEqual({ alice: { stars: 4.5, at: expect.any(Number) } });
    await expect.poll(() => ratings.ratingOf(GUILD, 'her-smell', 'alice'), { timeout: 5_000 }).toBe(4.5);
  });

  it('refuses votes after close and changes nothing', async () => {
    const poll = await startPoll();
    await service.vote(GUILD, poll.id, 'alice', 3);
    const first = await service.close(GUILD, poll.id, 'host');
    expect(first.closedNow).toBe(true);
    await expect(service.vote(GUILD, poll.id, 'bob', 5)).rejects.toThrow(/closed/);
    const again = await service.close(GUILD, poll.id, 'host');
    expect(again.closedNow).toBe(false);
    const stored = (await polls.get(GUILD, poll.id))!;
    expect(voteCount(stored)).toBe(1);
    expect(Object.keys(await polls.votesOf(stored, ['alice', 'bob']))).toEqual(['alice']);
    await expect.poll(() => editor.edits.at(-1)?.message.embeds[0]?.title, { timeout: 5_000 }).toBe('Results: Her Smell');
  });

  it('keeps a member’s later /rate when the poll hands its votes over at close', async () => {
    let now = 1_000_000;
    const clocked = new PollService(polls, ratings, films, editor, silentLog, () => now);
    const poll = await clocked.start({ guildId: GUILD, channelId: 'c1', filmId: 'her-smell', film: { title: 'Her Smell', year: 2018 }, hostId: 'h', blind: false, durationMs: 60_000 });
    await clocked.vote(GUILD, poll.id, 'alice', 3);
    now += 1_000;
    await ratings.rate(GUILD, 'her-smell', 'alice', 5, now);
    now += 1_000;
    await clocked.close(GUILD, poll.id, 'h');
    expect(await ratings.ratingOf(GUILD, 'her-smell', 'alice')).toBe(5);
    await clocked.stop();
  });

  it('shows the results even when the first edit of the poll message fails', async () => {
    let failures = 1;
    const flaky = { edits: editor.edits, edit: async (channelId: string, messageId: string, message: PollMessage) => {
      if (failures-- > 0) throw new Error('Discord is having a moment');
      await editor.edit(channelId, messageId, message);
    } };
    const flakyService = new PollService(polls, ratings, films, flaky, silentLog);
    const poll = await flakyService.start({ guildId: GUILD, channelId: 'c1', filmId: 'her-smell', film: { title: 'Her Smell', year: 2018 }, hostId: 'h', blind: false, durationMs: 60_000 });
    await polls.attachMessage(GUILD, poll.id, 'm1');
    await flakyService.close(GUILD, poll.id, 'h');
    await expect.poll(() => editor.edits.at(-1)?.message.embeds[0]?.title, { timeout: 8_000 }).toBe('Results: Her Smell');
    await flakyService.stop();
  });

  it('closes itself when its time is up and posts the results', async () => {
    const poll = await startPoll({ durationMs: 300 });
    await service.vote(GUILD, poll.id, 'alice', 5);
    await expect.poll(async () => (await polls.get(GUILD, poll.id))?.status, { timeout: 5_000 }).toBe('closed');
    await expect.poll(() => editor.edits.at(-1)?.message.embeds[0]?.title, { timeout: 5_000 }).toBe('Results: Her Smell');
    expect(await polls.openPolls(GUILD)).toEqual([]);
  });

  it('on resume, closes polls that ran out while it was down and re-arms the rest', async () => {
    let now = 1_000_000;
    const clockService = new PollService(polls, ratings, films, editor, silentLog, () => now);
    const due = await clockService.start({ guildId: GUILD, channelId: 'c1', filmId: 'her-smell', film: { title: 'Her Smell', year: 2018 }, hostId: 'h', blind: false, durationMs: 60_000 });
    const later = await clockService.start({ guildId: GUILD, channelId: 'c1', filmId: 'her-smell', film: { title: 'Her Smell', year: 2018 }, hostId: 'h', blind: false, durationMs: 600_000 });
    await clockService.stop();
    now += 120_000;
    const restarted = new PollService(polls, ratings, films, editor, silentLog, () => now);
    await restarted.resume([GUILD]);
    expect((await polls.get(GUILD, due.id))?.status).toBe('closed');
    expect((await polls.get(GUILD, later.id))?.status).toBe('open');
    expect((await polls.openPolls(GUILD)).map((entry) => entry.id)).toEqual([later.id]);
    await restarted.stop();
  });

  it('keeps each server’s polls and ratings to itself', async () => {
    const poll = await startPoll();
    await service.vote(GUILD, poll.id, 'alice', 5);
    await expect(service.vote(OTHER_GUILD, poll.id, 'bob', 1)).rejects.toBeInstanceOf(PollNotFoundError);
    expect(await polls.openPolls(OTHER_GUILD)).toEqual([]);
    expect(await ratings.summary(OTHER_GUILD, 'her-smell')).toBeUndefined();
  });

  it('shows only the count in a blind poll until it closes', async () => {
    const poll = await startPoll({ blind: true });
    await service.vote(GUILD, poll.id, 'alice', 5);
    const open = service.messageFor((await polls.get(GUILD, poll.id))!);
    expect(open.embeds[0]!.description).toContain('1 vote so far. This is a blind poll');
    expect(open.embeds[0]!.description).not.toContain('5.0');
    const { poll: closed } = await service.close(GUILD, poll.id, 'host');
    expect(service.messageFor(closed).embeds[0]!.description).toContain('**5.0** average from 1 vote');
  });
});

// Pick polls on their own: who wins, how a tie goes, how a typed list of candidates is read, and
// that choices are counted like ratings (one entry per member, changed votes moved).
import Keyv from 'keyv';
import { describe, expect, it } from 'vitest';
import { namedCandidates, unwatched } from '../../src/commands/watchpartyPick';
import { UserFacingError } from '../../src/errors';
import { translator } from '../../src/i18n';
import { silentLog } from '../../harness/storage';
import { pickOutcome } from '../../src/polls/pickOutcome';
import type { PickPoll } from '../../src/storage/pickPolls';
import { PollStore } from '../../src/storage/polls';
import { loadFilmCatalog } from '../../src/data/catalog';
import { FAILED_TO_POST, PollService } from '../../src/polls/pollService';
import { RatingStore } from '../../src/storage/ratings';
import { AlreadySuggestedError, WatchlistStore } from '../../src/storage/watchlist';
import { RecordStore } from '../../src/storage/records';
import type { Suggestion } from '../../src/storage/watchlist';

const suggestion = (title: string, at: number, filmId = title.toLowerCase().replace(/\W+/g, '-')): Suggestion => ({ filmId, film: { title, year: 2000 }, suggestedBy: '1', suggestedAt: at });
const EN = translator('en');
const LIST = [suggestion('Her Smell', 1), suggestion('Crouching Tiger, Hidden Dragon', 2), suggestion('Aftersun', 3)];

function closedPick(tally: number[], runoffOf?: string): PickPoll {
  return {
    kind: 'pick', id: 'pickabc123', guildId: 'g', channelId: 'c', hostId: 'h', createdAt: 0, closesAt: 1, status: 'closed', tally,
    candidates: tally.map((_, index) => ({ filmId: `f${index}`, film: { title: `Film ${index}` } })),
    ...(runoffOf ? { runoffOf } : {}),
  };
}

describe('pickOutcome', () => {
  it('names the film with most votes', () => {
    expect(pickOutcome(closedPick([1, 4, 2]))).toMatchObject({ kind: 'winner', candidate: { filmId: 'f1' }, votes: 4, byRunoffRule: false });
  });
  it('sends a tie to a runoff among the tied films only', () => {
    expect(pickOutcome(closedPick([3, 1, 3]))).toEqual({ kind: 'tie', tied: [expect.objectContaining({ filmId: 'f0' }), expect.objectContaining({ filmId: 'f2' })] });
  });
  it('gives a runoff that ties again, or that nobody voted in, to the film listed first', () => {
    expect(pickOutcome(closedPick([2, 2], 'pickabc'))).toMatchObject({ kind: 'winner', candidate: { filmId: 'f0' }, byRunoffRule: true });
    expect(pickOutcome(closedPick([0, 0], 'pickabc'))).toMatchObject({ kind: 'winner', candidate: { filmId: 'f0' }, byRunoffRule: true });
  });
  it('has no winner when nobody voted', () => {
    expect(pickOutcome(closedPick([0, 0, 0]))).toEqual({ kind: 'none' });
  });
});

describe('namedCandidates', () => {
  it('reads numbers and titles, a title with a comma in it included', () => {
    expect(namedCandidates(LIST, '3, Crouching Tiger, Hidden Dragon,#1', EN).map((item) => item.film.title)).toEqual(['Aftersun', 'Crouching Tiger, Hidden Dragon', 'Her Smell']);
  });
  it('names what it could not find', () => {
    expect(() => namedCandidates(LIST, '1, The Room, 9', EN)).toThrow(new UserFacingError('Not on the watchlist: “The Room”, “9”. Use the numbers `/watchlist` shows, or pick from the suggestions. Nothing was opened.'));
  });
  it('counts a film named twice once', () => {
    expect(namedCandidates(LIST, '1, her smell, 1', EN)).toHaveLength(1);
  });
});

describe('unwatched', () => {
  it('leaves out films watched since they were suggested, and keeps a film suggested again after its screening', () => {
    const watched = [{ pollId: 'p', filmId: 'her-smell', film: { title: 'Her Smell' }, watchedAt: 5, voters: 3 }, { pollId: 'q', filmId: 'aftersun', film: { title: 'Aftersun' }, watchedAt: 2, voters: 1 }];
    expect(unwatched(LIST, watched).map((item) => item.film.title)).toEqual(['Crouching Tiger, Hidden Dragon', 'Aftersun']);
  });
});

describe('counting picks', () => {
  it('keeps one pick per member, moves a changed pick, and refuses a choice the poll does not have', async () => {
    const polls = new PollStore(new RecordStore(new Keyv(), silentLog));
    const poll = await polls.createPick({ guildId: 'g', channelId: 'c', hostId: 'h', candidates: LIST.slice(0, 3), durationMs: 60_000 }, 0);
    await Promise.all([polls.choose('g', poll.id, 'a', 0, 1), polls.choose('g', poll.id, 'b', 2, 1), polls.choose('g', poll.id, 'c', 2, 1)]);
    await polls.choose('g', poll.id, 'b', 1, 2);
    expect((await polls.getAny('g', poll.id))?.tally).toEqual([1, 1, 1]);
    await expect(polls.choose('g', poll.id, 'd', 3, 3)).rejects.toThrow(RangeError);
    expect((await polls.getAny('g', poll.id))?.tally).toEqual([1, 1, 1]);
  });
});

describe('what a closed poll leaves behind', () => {
  const films = loadFilmCatalog();
  const edits = { edit: async () => undefined };

  it('records a rating poll in the history once it is finished, but not one whose message nobody saw', async () => {
    const records = new RecordStore(new Keyv(), silentLog);
    const polls = new PollStore(records);
    const service = new PollService(polls, new RatingStore(records), films, edits, silentLog);
    const finished: string[] = [];
    service.onFinished = async (poll) => void finished.push(poll.id);
    const film = { guildId: 'g', channelId: 'c', filmId: 'her-smell', film: { title: 'Her Smell', year: 2018 }, hostId: 'h', blind: false, durationMs: 60_000 };
    const seen = await service.start(film);
    const unseen = await service.start(film);
    await service.close('g', seen.id, 'h');
    await service.close('g', unseen.id, FAILED_TO_POST);
    await expect.poll(async () => (await polls.unfinishedPollsOf(['g'])).length).toBe(0);
    expect(finished).toEqual([seen.id]);
    await service.stop();
  });

  it('opens one runoff for a tie, posted once and saved with its message, however often the close is retried', async () => {
    const records = new RecordStore(new Keyv(), silentLog);
    const polls = new PollStore(records);
    const posts: string[] = [];
    let failNextEdit = true;
    const editor = {
      // The tied poll's results edit fails once, so its close runs again after the runoff was posted.
      edit: async () => {
        if (failNextEdit) {
          failNextEdit = false;
          throw new Error('Discord is having a moment');
        }
      },
      post: async (_channelId: string, message: { embeds: { title?: string }[] }, once?: { nonce: string }) => {
        posts.push(`${String(message.embeds[0]?.title)} · nonce ${once?.nonce}`);
        return `message-${posts.length}`;
      },
    };
    const service = new PollService(polls, new RatingStore(records), films, editor, silentLog, Date.now, { firstMs: 10, maxMs: 20 });
    const poll = await service.startPick({ guildId: 'g', channelId: 'c', hostId: 'h', candidates: LIST.slice(0, 3), durationMs: 60_000 });
    await service.attachMessage('g', poll.id, 'message-0');
    await Promise.all([service.choose('g', poll.id, 'a', 0), service.choose('g', poll.id, 'b', 2)]);
    await service.close('g', poll.id, 'h');
    await expect.poll(async () => (await polls.unfinishedPollsOf(['g'])).map(({ entry }) => entry.id), { timeout: 5_000 }).toEqual([`${poll.id}r`]);
    // Posted with the runoff's id as its nonce, so a retry after a crash gets the same message back.
    expect(posts).toEqual([`Runoff: what do we watch next? · nonce ${poll.id}r`]);
    const runoff = await polls.getAny('g', `${poll.id}r`);
    expect(runoff).toMatchObject({ messageId: 'message-1', status: 'open', candidates: [{ filmId: LIST[0]!.filmId }, { filmId: LIST[2]!.filmId }] });
    await service.stop();
  });
});

describe('suggesting a film again', () => {
  it('refuses a film already on the list, but takes back one watched since it was suggested, at the end', async () => {
    const watchlist = new WatchlistStore(new RecordStore(new Keyv(), silentLog));
    for (const item of LIST) await watchlist.suggest('g', item);
    await expect(watchlist.suggest('g', { ...LIST[0]!, suggestedBy: '2', suggestedAt: 10 })).rejects.toThrow(AlreadySuggestedError);
    await expect(watchlist.suggest('g', { ...LIST[0]!, suggestedBy: '2', suggestedAt: 10 }, 0.5)).rejects.toThrow(AlreadySuggestedError);
    expect(await watchlist.suggest('g', { ...LIST[0]!, suggestedBy: '2', suggestedAt: 10 }, 5)).toEqual({ position: 3 });
    expect((await watchlist.list('g')).map((item) => [item.film.title, item.suggestedBy])).toEqual([
      ['Crouching Tiger, Hidden Dragon', '1'],
      ['Aftersun', '1'],
      ['Her Smell', '2'],
    ]);
  });
});

// Pick polls on their own: who wins, how a tie goes, how a typed list of candidates is read, and
// that choices are counted like ratings (one entry per member, changed votes moved).
import Keyv from 'keyv';
import { describe, expect, it } from 'vitest';
import { namedCandidates, unwatched } from '../../src/commands/watchpartyPick';
import { UserFacingError } from '../../src/errors';
import { silentLog } from '../../harness/storage';
import { pickOutcome } from '../../src/polls/pickOutcome';
import type { PickPoll } from '../../src/storage/pickPolls';
import { PollStore } from '../../src/storage/polls';
import { RecordStore } from '../../src/storage/records';
import type { Suggestion } from '../../src/storage/watchlist';

const suggestion = (title: string, at: number, filmId = title.toLowerCase().replace(/\W+/g, '-')): Suggestion => ({ filmId, film: { title, year: 2000 }, suggestedBy: '1', suggestedAt: at });
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
    expect(namedCandidates(LIST, '3, Crouching Tiger, Hidden Dragon,#1').map((item) => item.film.title)).toEqual(['Aftersun', 'Crouching Tiger, Hidden Dragon', 'Her Smell']);
  });
  it('names what it could not find', () => {
    expect(() => namedCandidates(LIST, '1, The Room, 9')).toThrow(new UserFacingError('Not on the watchlist: “The Room”, “9”. Use the numbers `/watchlist` shows, or pick from the suggestions. Nothing was opened.'));
  });
  it('counts a film named twice once', () => {
    expect(namedCandidates(LIST, '1, her smell, 1')).toHaveLength(1);
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

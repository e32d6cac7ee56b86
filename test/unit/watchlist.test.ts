// The watchlist, history and rater stores, and the figures /stats draws from them.
import type { APIEmbed } from 'discord.js';
import Keyv from 'keyv';
import { FlakyKeyv } from '../support/flakyKeyv';
import { describe, expect, it } from 'vitest';
import { silentLog } from '../../harness/storage';
import { buildCustomId, parseCustomId } from '../../src/components/customId';
import { emptyTally } from '../../src/storage/tally';
import { HistoryStore, MAX_HISTORY, type WatchedFilm } from '../../src/storage/history';
import { keys } from '../../src/storage/keys';
import type { Poll } from '../../src/storage/polls';
import { RaterStore, TOP_RATERS } from '../../src/storage/raters';
import { RatingStore } from '../../src/storage/ratings';
import { RecordStore } from '../../src/storage/records';
import { AlreadySuggestedError, FilmBannedError, MAX_SUGGESTIONS, NotOnWatchlistError, NotYourSuggestionError, type Suggestion, WatchlistFullError, WatchlistStore } from '../../src/storage/watchlist';
import { buildWatchlistPage } from '../../src/replies/watchlist';
import { buildStats } from '../../src/replies/stats';
import { closestToAverage, historyFigures } from '../../src/watchStats';
import { translator } from '../../src/i18n';

const EN = translator('en');

const GUILD = '200000000000000001';
const records = (kv = new Keyv<unknown>()) => new RecordStore(kv, silentLog);
const suggestion = (n: number, by = 'ana', at = n): Suggestion => ({ filmId: `film-${n}`, film: { title: `Film ${n}`, year: 2000 + (n % 20) }, suggestedBy: by, suggestedAt: at });

function closedPoll(id: string, filmId: string, votes: number[], closedAt: number): Poll {
  const tally = emptyTally();
  for (const stars of votes) tally[stars * 2 - 1]! += 1;
  return { id, guildId: GUILD, channelId: 'c1', filmId, film: { title: filmId }, hostId: 'host', blind: false, createdAt: closedAt - 60_000, closesAt: closedAt + 60_000, status: 'closed', closedAt, closedBy: 'host', tally, unrated: {} } as Poll;
}

describe('the watchlist', () => {
  it('keeps suggestions oldest first and refuses a duplicate, naming who suggested it', async () => {
    const store = new WatchlistStore(records());
    expect(await store.suggest(GUILD, suggestion(1, 'ana'))).toEqual({ position: 1 });
    expect(await store.suggest(GUILD, suggestion(2, 'bo'))).toEqual({ position: 2 });
    const duplicate = await store.suggest(GUILD, suggestion(1, 'cy', 9)).catch((error: unknown) => error);
    expect(duplicate).toBeInstanceOf(AlreadySuggestedError);
    expect((duplicate as AlreadySuggestedError).existing).toMatchObject({ suggestedBy: 'ana', suggestedAt: 1 });
    expect((await store.list(GUILD)).map((item) => item.filmId)).toEqual(['film-1', 'film-2']);
  });

  it('lets a member remove their own suggestion, and only a moderator remove another’s', async () => {
    const store = new WatchlistStore(records());
    await store.suggest(GUILD, suggestion(1, 'ana'));
    await store.suggest(GUILD, suggestion(2, 'bo'));
    await expect(store.remove(GUILD, 'film-1', { userId: 'bo', anyone: false })).rejects.toBeInstanceOf(NotYourSuggestionError);
    expect(await store.remove(GUILD, 'film-2', { userId: 'bo', anyone: false })).toMatchObject({ filmId: 'film-2' });
    expect(await store.remove(GUILD, 'film-1', { userId: 'mod', anyone: true })).toMatchObject({ suggestedBy: 'ana' });
    await expect(store.remove(GUILD, 'film-1', { userId: 'mod', anyone: true })).rejects.toBeInstanceOf(NotOnWatchlistError);
    expect(await store.list(GUILD)).toEqual([]);
  });

  it('takes a barred film off the list and refuses it until the bar is lifted', async () => {
    const store = new WatchlistStore(records());
    await store.suggest(GUILD, suggestion(1));
    const ban = { filmId: 'film-1', film: { title: 'Film 1' }, bannedBy: 'mod', bannedAt: 5 };
    expect(await store.ban(GUILD, ban)).toMatchObject({ alreadyBanned: false, removed: { filmId: 'film-1' } });
    expect(await store.ban(GUILD, ban)).toEqual({ alreadyBanned: true });
    expect(await store.list(GUILD)).toEqual([]);
    await expect(store.suggest(GUILD, suggestion(1))).rejects.toBeInstanceOf(FilmBannedError);
    expect(await store.unban(GUILD, 'film-1')).toMatchObject({ bannedBy: 'mod' });
    expect(await store.unban(GUILD, 'film-1')).toBeUndefined();
    expect(await store.suggest(GUILD, suggestion(1))).toEqual({ position: 1 });
  });

  it('refuses the suggestion past the limit, also when many arrive at once, and keeps each server apart', async () => {
    const store = new WatchlistStore(records());
    const results = await Promise.allSettled(Array.from({ length: MAX_SUGGESTIONS + 5 }, (_, n) => store.suggest(GUILD, suggestion(n))));
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(MAX_SUGGESTIONS);
    const refused = results.filter((result): result is PromiseRejectedResult => result.status === 'rejected');
    expect(refused).toHaveLength(5);
    for (const result of refused) expect(result.reason).toBeInstanceOf(WatchlistFullError);
    expect(await store.list(GUILD)).toHaveLength(MAX_SUGGESTIONS);
    expect(await store.list('200000000000000002')).toEqual([]);
  });

  it('draws a page with numbers that continue across pages, and marks what was watched', () => {
    const page = buildWatchlistPage(EN, { page: 1, total: 12, suggestions: [suggestion(11), suggestion(12)], watched: new Map([['film-12', 1_700_000_000_000]]), previous: 'watchlist:page:0' });
    const lines = page.embeds[0]!.description!.split('\n');
    expect(lines[0]).toMatch(/^\*\*11\.\*\* \*\*Film 11 \(2011\)\*\* · suggested by <@ana> <t:0:R>$/);
    expect(lines[1]).toContain('· ✓ watched <t:1700000000:D>');
    expect(page.embeds[0]!.footer!.text).toBe('Page 2 of 2 · 12 suggestions, oldest first');
    expect(page.components[0]!.components.map((button) => [(button as { label?: string }).label, button.disabled])).toEqual([['Previous', false], ['Next', true]]);
    expect(page.allowedMentions).toEqual({ parse: [] });
  });

  it('reads back the page customIds it builds, and nothing else', () => {
    for (const id of [{ kind: 'watchlist-page', page: 0 }, { kind: 'history-page', page: 49 }] as const) expect(parseCustomId(buildCustomId(id))).toEqual(id);
    for (const forged of ['watchlist:page:', 'watchlist:page:-1', 'watchlist:page:10000', 'history:page:1:2', 'watchlist:none:next', 'history:page:1e3']) expect(parseCustomId(forged)).toBeUndefined();
  });
});

describe('the history', () => {
  it('records a closed poll once however often its close is retried, newest first', async () => {
    const store = new HistoryStore(records());
    const first = closedPoll('poll1', 'her-smell', [4, 5, 3], 1_000);
    await store.recordPoll(first, { title: 'Her Smell', year: 2018 });
    await Promise.all([store.recordPoll(first, { title: 'Her Smell', year: 2018 }), store.recordPoll(first, { title: 'Her Smell', year: 2018 })]);
    await store.recordPoll(closedPoll('poll2', 'tmdb:550', [], 3_000), { title: 'Fight Club', year: 1999 });
    // A retried close of an older poll lands in date order.
    await store.recordPoll(closedPoll('poll0', 'server:local-hero-1983', [2], 500), { title: 'Local Hero', year: 1983 });
    expect(await store.watched(GUILD)).toEqual([
      { pollId: 'poll2', filmId: 'tmdb:550', film: { title: 'Fight Club', year: 1999 }, watchedAt: 3_000, voters: 0 },
      { pollId: 'poll1', filmId: 'her-smell', film: { title: 'Her Smell', year: 2018 }, watchedAt: 1_000, average: 4, voters: 3 },
      { pollId: 'poll0', filmId: 'server:local-hero-1983', film: { title: 'Local Hero', year: 1983 }, watchedAt: 500, average: 2, voters: 1 },
    ]);
  });

  it('keeps the newest lines once it is full', async () => {
    const store = new HistoryStore(records());
    await Promise.all(Array.from({ length: MAX_HISTORY + 3 }, (_, n) => store.record(GUILD, { pollId: `p${n}`, filmId: 'f', film: { title: 'F' }, watchedAt: n, voters: 0 })));
    const watched = await store.watched(GUILD);
    expect(watched).toHaveLength(MAX_HISTORY);
    expect(watched[0]!.pollId).toBe(`p${MAX_HISTORY + 2}`);
    expect(watched.at(-1)!.pollId).toBe('p3');
  });
});

describe('the raters', () => {
  it('counts a member’s first rating of each film only, from /rate and a poll’s hand-over alike', async () => {
    const store = records();
    const raters = new RaterStore(store);
    const ratings = new RatingStore(store, { raters, log: silentLog });
    await ratings.rate(GUILD, 'her-smell', 'ana', 4, 1);
    await ratings.rate(GUILD, 'her-smell', 'ana', 5, 2);
    await ratings.rateMany(GUILD, 'her-smell', { ana: { stars: 3, at: 3 }, bo: { stars: 2, at: 3 } });
    await ratings.rateMany(GUILD, 'tmdb:550', { ana: { stars: 3, at: 4 }, bo: { stars: 2, at: 4 }, cy: { stars: 1, at: 4 } });
    expect(await raters.board(GUILD)).toEqual({ members: 3, ratings: 5, top: [{ userId: 'ana', films: 2 }, { userId: 'bo', films: 2 }, { userId: 'cy', films: 1 }] });
  });

  it('keeps the 25 busiest raters in order, from many ratings at once', async () => {
    const raters = new RaterStore(records());
    // Member n rates n films: 40 members, 820 first ratings, arriving in no particular order.
    const calls: string[][] = [];
    for (let film = 0; film < 40; film++) calls.push(Array.from({ length: 40 - film }, (_, i) => `m${String(film + i + 1).padStart(2, '0')}`));
    await Promise.all(calls.map((userIds) => raters.countFirstRatings(GUILD, userIds)));
    const board = await raters.board(GUILD);
    expect(board.members).toBe(40);
    expect(board.ratings).toBe(820);
    expect(board.top).toHaveLength(TOP_RATERS);
    expect(board.top.map((rater) => rater.films)).toEqual(Array.from({ length: TOP_RATERS }, (_, i) => 40 - i));
    expect(board.top[0]).toEqual({ userId: 'm40', films: 40 });
  });

  it('mends its totals when the counts it journalled were not written', async () => {
    const kv = new FlakyKeyv();
    await new RaterStore(records(kv)).countFirstRatings(GUILD, ['ana']);
    kv.failEntryWrites = 1;
    await expect(new RaterStore(records(kv)).countFirstRatings(GUILD, ['ana', 'bo'])).rejects.toThrow();
    // The record landed, counting bo and ana's second film; their counts did not.
    expect(((await kv.get(keys.raters(GUILD))) as { ratings: number }).ratings).toBe(3);
    const fresh = new RaterStore(records(kv));
    expect(await fresh.board(GUILD)).toEqual({ members: 1, ratings: 1, top: [{ userId: 'ana', films: 1 }] });
    await fresh.countFirstRatings(GUILD, ['bo']);
    expect(await fresh.board(GUILD)).toEqual({ members: 2, ratings: 2, top: [{ userId: 'ana', films: 1 }, { userId: 'bo', films: 1 }] });
  });
});

describe('the figures of /stats', () => {
  const line = (pollId: string, average: number | undefined, watchedAt: number, filmId = pollId): WatchedFilm => ({ pollId, filmId, film: { title: filmId }, watchedAt, voters: average === undefined ? 0 : 3, ...(average === undefined ? {} : { average }) });

  it('adds up the history: parties, films, the mean of averages, highest and lowest', () => {
    const figures = historyFigures([line('d', undefined, 4), line('c', 2, 3), line('b', 4.5, 2, 'a'), line('a', 3.5, 1)]);
    expect(figures).toMatchObject({ parties: 4, films: 3, rated: 3, average: 10 / 3 });
    expect(figures.highest?.pollId).toBe('b');
    expect(figures.lowest?.pollId).toBe('c');
  });

  it('names the member nearest the averages over at least three films', () => {
    const samples = [
      { average: 4, ratings: [4, 5, 4.5, undefined] },
      { average: 3, ratings: [3, 1, 3, 3] },
      { average: 2, ratings: [3.5, 2, 2, 2] },
      { average: 5, ratings: [undefined, 5, 4.5, undefined] },
    ];
    // Member 3 matches exactly but rated two of the films; member 0 is off by 0.5 over 3 films, member 2 by 0.25 over 4.
    expect(closestToAverage(4, samples)).toEqual({ member: 2, difference: 0.25, films: 4 });
    expect(closestToAverage(4, samples.slice(0, 2))).toBeUndefined();
  });

  it('shows raters by name, or as a mention that never pings, and says how closeness was judged', () => {
    const reply = buildStats(EN, {
      figures: historyFigures([line('a', 4, 1)]),
      raters: [{ member: { name: 'Ana *the* critic' }, films: 4 }, { member: { mention: '<@42>' }, films: 2 }],
      ratedBy: { members: 2, ratings: 6 },
      closest: { member: { name: 'Ana *the* critic' }, difference: 0.25, films: 4 },
    });
    const fields = Object.fromEntries((reply.embeds![0] as APIEmbed).fields!.map((field) => [field.name, field.value]));
    expect(fields['Most active raters']).toContain('1. ██████████ 4 films · Ana \\*the\\* critic');
    expect(fields['Most active raters']).toContain('2. █████ 2 films · <@42>');
    expect(fields['Closest to the server’s average']).toMatch(/^Ana \\\*the\\\* critic: 0\.25★ from the average, on average, over 4 films\.\n-# .*at least 3/);
    expect(reply.allowedMentions).toEqual({ parse: [] });
  });
});

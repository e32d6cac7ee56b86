// Each server's watchlist: the films members suggested watching, oldest first, and the films
// moderators barred from it. One small record per server, changed only by commands.
import * as z from 'zod';
import { keys } from './keys';
import type { RecordStore, RecordType } from './records';

/** Enough for any club's list; a page of the list is read whole, so it stays small. */
export const MAX_SUGGESTIONS = 500;
export const MAX_BANNED = 500;

const filmNameSchema = z.object({ title: z.string().min(1), year: z.number().int().optional() });
export type WatchlistFilm = z.infer<typeof filmNameSchema>;

const suggestionSchema = z.object({
  filmId: z.string().min(1),
  /** The film's name when it was suggested, so the list is drawn without looking anything up. */
  film: filmNameSchema,
  /** The member's user id. */
  suggestedBy: z.string().min(1),
  suggestedAt: z.number(),
});
export type Suggestion = z.infer<typeof suggestionSchema>;

const banSchema = z.object({ filmId: z.string().min(1), film: filmNameSchema, bannedBy: z.string().min(1), bannedAt: z.number() });
export type BannedFilm = z.infer<typeof banSchema>;

const watchlistSchema = z.object({
  /** Oldest first: the order members suggested them in. */
  suggestions: z.array(suggestionSchema).max(MAX_SUGGESTIONS),
  banned: z.array(banSchema).max(MAX_BANNED),
});
type Watchlist = z.infer<typeof watchlistSchema>;

export class AlreadySuggestedError extends Error {
  override readonly name = 'AlreadySuggestedError';
  constructor(readonly existing: Suggestion) {
    super(`${existing.filmId} is on the watchlist already`);
  }
}

export class FilmBannedError extends Error {
  override readonly name = 'FilmBannedError';
  constructor(readonly ban: BannedFilm) {
    super(`${ban.filmId} may not be suggested`);
  }
}

export class WatchlistFullError extends Error {
  override readonly name = 'WatchlistFullError';
  constructor(readonly list: 'suggestions' | 'banned') {
    super(`the watchlist's ${list} are full`);
  }
}

export class NotOnWatchlistError extends Error {
  override readonly name = 'NotOnWatchlistError';
  constructor(readonly filmId: string) {
    super(`${filmId} is not on the watchlist`);
  }
}

/** A member tried to remove a suggestion that is not theirs, without the permission to. */
export class NotYourSuggestionError extends Error {
  override readonly name = 'NotYourSuggestionError';
  constructor(readonly suggestion: Suggestion) {
    super(`${suggestion.filmId} was suggested by someone else`);
  }
}

const empty = (): Watchlist => ({ suggestions: [], banned: [] });

export class WatchlistStore {
  private readonly lists: RecordType<Watchlist>;

  constructor(records: RecordStore) {
    this.lists = records.type(watchlistSchema);
  }

  /** The suggestions, oldest first (a copy: callers may keep it). */
  async list(guildId: string): Promise<Suggestion[]> {
    return (await this.lists.read(keys.watchlist(guildId)))?.suggestions ?? [];
  }

  /** The films that may not be suggested, oldest ban first. */
  async banned(guildId: string): Promise<BannedFilm[]> {
    return (await this.lists.read(keys.watchlist(guildId)))?.banned ?? [];
  }

  /** Adds a suggestion at the end; resolves with its place in the list (1 is the oldest). */
  /**
   * Adds a suggestion. `lastWatchedAt`: when the server last watched the film, if ever: a film
   * on the list that was watched since it was suggested is suggested afresh (moved to the end,
   * with the new member and time) rather than refused as a duplicate.
   */
  async suggest(guildId: string, suggestion: Suggestion, lastWatchedAt?: number): Promise<{ position: number }> {
    let position = 0;
    await this.lists.update(keys.watchlist(guildId), (current) => {
      const list = current ?? empty();
      const ban = list.banned.find((item) => item.filmId === suggestion.filmId);
      if (ban) throw new FilmBannedError(ban);
      const existing = list.suggestions.find((item) => item.filmId === suggestion.filmId);
      if (existing && (lastWatchedAt === undefined || lastWatchedAt < existing.suggestedAt)) throw new AlreadySuggestedError(existing);
      if (existing) list.suggestions = list.suggestions.filter((item) => item !== existing);
      if (list.suggestions.length >= MAX_SUGGESTIONS) throw new WatchlistFullError('suggestions');
      list.suggestions.push(suggestion);
      position = list.suggestions.length;
      return list;
    });
    return { position };
  }

  /**
   * Takes a film off the list. `anyone`: the member may remove others' suggestions (a moderator);
   * otherwise only their own. Checked in the same update as the removal, so it holds under races.
   */
  async remove(guildId: string, filmId: string, by: { userId: string; anyone: boolean }): Promise<Suggestion> {
    let removed: Suggestion | undefined;
    await this.lists.update(keys.watchlist(guildId), (current) => {
      const list = current ?? empty();
      const existing = list.suggestions.find((item) => item.filmId === filmId);
      if (!existing) throw new NotOnWatchlistError(filmId);
      if (!by.anyone && existing.suggestedBy !== by.userId) throw new NotYourSuggestionError(existing);
      removed = existing;
      list.suggestions = list.suggestions.filter((item) => item.filmId !== filmId);
      return list;
    });
    return removed!;
  }

  /** Bars a film from the list and takes it off; resolves with the suggestion removed, if any. */
  async ban(guildId: string, ban: BannedFilm): Promise<{ removed?: Suggestion; alreadyBanned: boolean }> {
    let outcome: { removed?: Suggestion; alreadyBanned: boolean } = { alreadyBanned: false };
    await this.lists.update(keys.watchlist(guildId), (current) => {
      const list = current ?? empty();
      const removed = list.suggestions.find((item) => item.filmId === ban.filmId);
      const alreadyBanned = list.banned.some((item) => item.filmId === ban.filmId);
      if (!alreadyBanned && list.banned.length >= MAX_BANNED) throw new WatchlistFullError('banned');
      outcome = { ...(removed ? { removed } : {}), alreadyBanned };
      list.suggestions = list.suggestions.filter((item) => item.filmId !== ban.filmId);
      if (!alreadyBanned) list.banned.push(ban);
      return list;
    });
    return outcome;
  }

  /** Lets a film be suggested again; resolves with the ban lifted, or undefined when there was none. */
  async unban(guildId: string, filmId: string): Promise<BannedFilm | undefined> {
    if (!(await this.banned(guildId)).some((item) => item.filmId === filmId)) return undefined;
    let lifted: BannedFilm | undefined;
    await this.lists.update(keys.watchlist(guildId), (current) => {
      const list = current ?? empty();
      lifted = list.banned.find((item) => item.filmId === filmId);
      list.banned = list.banned.filter((item) => item.filmId !== filmId);
      return list;
    });
    return lifted;
  }
}

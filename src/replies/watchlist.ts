// Pure builders for the watchlist: its pages, a new suggestion, and the refusals members can meet.
import { escapeMarkdown, type InteractionReplyOptions } from 'discord.js';
import { filmLabel } from '../data/catalog';
import { NO_MENTIONS, safeEmbed, truncate } from '../discord/payload';
import type { Suggestion } from '../storage/watchlist';
import { FILM_COLOUR } from './film';
import { type ListPage, pageButtons, type PageLinks } from './pages';
import { countOf } from './plural';

export const WATCHLIST_PER_PAGE = 10;

type FilmName = { title: string; year?: number | undefined };

/** A film's name as a list line shows it: escaped, and short enough that ten lines always fit. */
export function listedFilm(film: FilmName): string {
  return `**${escapeMarkdown(truncate(filmLabel(film), 120))}**`;
}

const when = (at: number, style: 'R' | 'D' = 'R') => `<t:${Math.floor(at / 1000)}:${style}>`;

export interface WatchlistPage extends PageLinks {
  /** The page shown, from 0. */
  page: number;
  total: number;
  /** The page's suggestions, oldest first. */
  suggestions: Suggestion[];
  /** When each film on the page was last watched here, by film id. */
  watched: ReadonlyMap<string, number>;
}

export function buildWatchlistPage(view: WatchlistPage): ListPage {
  const pages = Math.max(1, Math.ceil(view.total / WATCHLIST_PER_PAGE));
  if (view.total === 0) {
    return {
      embeds: [safeEmbed({ title: 'Watchlist', description: 'Nothing is on the watchlist yet. Suggest a film with `/suggest film:`.', color: FILM_COLOUR })],
      components: [],
      allowedMentions: NO_MENTIONS,
    };
  }
  const first = view.page * WATCHLIST_PER_PAGE;
  const lines = view.suggestions.map((item, index) => {
    const watchedAt = view.watched.get(item.filmId);
    const seen = watchedAt === undefined ? '' : ` · ✓ watched ${when(watchedAt, 'D')}`;
    return `**${first + index + 1}.** ${listedFilm(item.film)} · suggested by <@${item.suggestedBy}> ${when(item.suggestedAt)}${seen}`;
  });
  return {
    embeds: [safeEmbed({ title: 'Watchlist', description: lines.join('\n'), color: FILM_COLOUR, footer: { text: `Page ${view.page + 1} of ${pages} · ${countOf(view.total, 'suggestion')}, oldest first` } })],
    components: pageButtons(view, 'watchlist'),
    allowedMentions: NO_MENTIONS,
  };
}

/** Said to everyone: who suggested what, where it is on the list, and whether it was seen before. */
export function buildSuggested(film: FilmName, by: string, position: number, watchedAt?: number): InteractionReplyOptions {
  const before = watchedAt === undefined ? '' : ` It was watched here before, ${when(watchedAt, 'D')}.`;
  return { content: `<@${by}> suggested ${listedFilm(film)} for the watchlist: number ${position}. See it with \`/watchlist show\`.${before}`, allowedMentions: NO_MENTIONS };
}

export const alreadySuggested = (existing: Suggestion) =>
  `${listedFilm(existing.film)} is on the watchlist already: <@${existing.suggestedBy}> suggested it ${when(existing.suggestedAt)}. See it with \`/watchlist show\`.`;

export const bannedFilm = (film: FilmName) => `${listedFilm(film)} can’t be suggested here: a moderator took it off the watchlist for good.`;

export const notOwnSuggestion = (suggestion: Suggestion) =>
  `${listedFilm(suggestion.film)} was suggested by <@${suggestion.suggestedBy}>: only they, or a member with Manage Events or Manage Server, can remove it.`;

export const notOnWatchlist = 'That film is not on the watchlist (removed a moment ago?). Pick one from the suggestions, or see `/watchlist show`.';

export const watchlistFull = (max: number) => `The watchlist is full: it holds ${max} suggestions. Watch some, or remove one with \`/watchlist remove\`, first.`;

export const banListFull = (max: number) => `A server can bar ${max} films from the watchlist, and this one has. Lift a ban with \`/watchlist unban\` first.`;

export const suggestRoleRequired = (roleId: string) => `Only members with the <@&${roleId}> role (or Manage Events or Manage Server) can suggest films here.`;

// Pure builders for the watchlist: its pages, a new suggestion, and the refusals members can meet.
import { escapeMarkdown, type InteractionReplyOptions } from 'discord.js';
import { filmLabel } from '../data/catalog';
import { NO_MENTIONS, safeEmbed, truncate } from '../discord/payload';
import type { Suggestion } from '../storage/watchlist';
import { FILM_COLOUR } from './film';
import { type ListPage, pageButtons, type PageLinks } from './pages';
import { countOf } from './plural';
import type { Translator } from '../i18n';

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

export function buildWatchlistPage(t: Translator, view: WatchlistPage): ListPage {
  const pages = Math.max(1, Math.ceil(view.total / WATCHLIST_PER_PAGE));
  if (view.total === 0) {
    return {
      embeds: [safeEmbed({ title: t('watchlist.title'), description: t('watchlist.empty'), color: FILM_COLOUR })],
      components: [],
      allowedMentions: NO_MENTIONS,
    };
  }
  const first = view.page * WATCHLIST_PER_PAGE;
  const lines = view.suggestions.map((item, index) => {
    const watchedAt = view.watched.get(item.filmId);
    const line = { position: first + index + 1, film: listedFilm(item.film), userId: item.suggestedBy, when: when(item.suggestedAt) };
    return watchedAt === undefined ? t('watchlist.line', line) : t('watchlist.lineWatched', { ...line, watched: when(watchedAt, 'D') });
  });
  return {
    embeds: [safeEmbed({ title: t('watchlist.title'), description: lines.join('\n'), color: FILM_COLOUR, footer: { text: t('watchlist.footer', { page: view.page + 1, pages, suggestions: countOf(t, view.total, 'suggestion') }) } })],
    components: pageButtons(t, view, 'watchlist'),
    allowedMentions: NO_MENTIONS,
  };
}

/** Said to everyone: who suggested what, where it is on the list, and whether it was seen before. */
export function buildSuggested(t: Translator, film: FilmName, by: string, position: number, watchedAt?: number): InteractionReplyOptions {
  const said = { userId: by, film: listedFilm(film), position };
  const content = watchedAt === undefined ? t('watchlist.suggested', said) : t('watchlist.suggestedWatched', { ...said, watched: when(watchedAt, 'D') });
  return { content, allowedMentions: NO_MENTIONS };
}

export const alreadySuggested = (t: Translator, existing: Suggestion) =>
  t('watchlist.alreadySuggested', { film: listedFilm(existing.film), userId: existing.suggestedBy, when: when(existing.suggestedAt) });

export const bannedFilm = (t: Translator, film: FilmName) => t('watchlist.bannedFilm', { film: listedFilm(film) });

export const notOwnSuggestion = (t: Translator, suggestion: Suggestion) => t('watchlist.notOwnSuggestion', { film: listedFilm(suggestion.film), userId: suggestion.suggestedBy });

export const notOnWatchlist = (t: Translator) => t('watchlist.notOnWatchlist');

export const watchlistFull = (t: Translator, max: number) => t('watchlist.full', { max });

export const banListFull = (t: Translator, max: number) => t('watchlist.banListFull', { max });

export const suggestRoleRequired = (t: Translator, roleId: string) => t('watchlist.roleRequired', { roleId });

// Pure builder for `/history`: what the server watched, newest first, with each poll's result.
import { NO_MENTIONS, safeEmbed } from '../discord/payload';
import { starBar } from '../stars';
import type { WatchedFilm } from '../storage/history';
import { FILM_COLOUR } from './film';
import { type ListPage, pageButtons, type PageLinks } from './pages';
import { countOf } from './plural';
import { listedFilm } from './watchlist';
import { formatNumber, type Translator } from '../i18n';

export const HISTORY_PER_PAGE = 10;

/** "★★★★½ 4.3 · 5 voters", or "no votes". */
export function pollResult(t: Translator, item: Pick<WatchedFilm, 'average' | 'voters'>): string {
  if (item.average === undefined) return t('history.noVotes');
  return `${starBar(item.average)} ${formatNumber(t, item.average, 1)} · ${countOf(t, item.voters, 'voter')}`;
}

export interface HistoryPage extends PageLinks {
  page: number;
  total: number;
  /** The page's lines, newest first. */
  watched: WatchedFilm[];
}

export function buildHistoryPage(t: Translator, view: HistoryPage): ListPage {
  const pages = Math.max(1, Math.ceil(view.total / HISTORY_PER_PAGE));
  if (view.total === 0) {
    return { embeds: [safeEmbed({ title: t('history.title'), description: t('history.empty'), color: FILM_COLOUR })], components: [], allowedMentions: NO_MENTIONS };
  }
  const lines = view.watched.map((item) => `<t:${Math.floor(item.watchedAt / 1000)}:D> · ${listedFilm(item.film)} · ${pollResult(t, item)}`);
  const footer = t('history.footer', { count: view.total, page: view.page + 1, pages, films: countOf(t, view.total, 'film') });
  return {
    embeds: [safeEmbed({ title: t('history.title'), description: lines.join('\n'), color: FILM_COLOUR, footer: { text: footer } })],
    components: pageButtons(t, view, 'history'),
    allowedMentions: NO_MENTIONS,
  };
}

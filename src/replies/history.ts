// Pure builder for `/history`: what the server watched, newest first, with each poll's result.
import { NO_MENTIONS, safeEmbed } from '../discord/payload';
import { starBar } from '../stars';
import type { WatchedFilm } from '../storage/history';
import { FILM_COLOUR } from './film';
import { type ListPage, pageButtons, type PageLinks } from './pages';
import { countOf } from './plural';
import { listedFilm } from './watchlist';

export const HISTORY_PER_PAGE = 10;

/** "★★★★½ 4.3 · 5 voters", or "no votes". */
export function pollResult(item: Pick<WatchedFilm, 'average' | 'voters'>): string {
  if (item.average === undefined) return 'no votes';
  return `${starBar(item.average)} ${item.average.toFixed(1)} · ${countOf(item.voters, 'voter')}`;
}

export interface HistoryPage extends PageLinks {
  page: number;
  total: number;
  /** The page's lines, newest first. */
  watched: WatchedFilm[];
}

export function buildHistoryPage(view: HistoryPage): ListPage {
  const pages = Math.max(1, Math.ceil(view.total / HISTORY_PER_PAGE));
  if (view.total === 0) {
    const description = 'Nothing watched here yet. A film counts as watched when its rating poll closes: `/watchparty start film:`.';
    return { embeds: [safeEmbed({ title: 'Watched here', description, color: FILM_COLOUR })], components: [], allowedMentions: NO_MENTIONS };
  }
  const lines = view.watched.map((item) => `<t:${Math.floor(item.watchedAt / 1000)}:D> · ${listedFilm(item.film)} · ${pollResult(item)}`);
  return {
    embeds: [safeEmbed({ title: 'Watched here', description: lines.join('\n'), color: FILM_COLOUR, footer: { text: `Page ${view.page + 1} of ${pages} · ${countOf(view.total, 'film')} watched, newest first` } })],
    components: pageButtons(view, 'history'),
    allowedMentions: NO_MENTIONS,
  };
}

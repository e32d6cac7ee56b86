// Previous and Next on the watchlist and the history: the page is in the button's customId, so
// the buttons keep working after a restart; each press shows the list as it is now.
import type { MessageComponentInteraction } from 'discord.js';
import { requireGuild } from '../commands/guildOnly';
import type { Deps } from '../commands/types';
import { answerWithUpdate } from '../discord/respond';
import { serverTranslator, type Translator } from '../i18n';
import { buildHistoryPage, HISTORY_PER_PAGE } from '../replies/history';
import { buildWatchlistPage, WATCHLIST_PER_PAGE } from '../replies/watchlist';
import { buildCustomId, type ComponentId } from './customId';

export async function handleListPage(interaction: MessageComponentInteraction, id: Extract<ComponentId, { kind: 'watchlist-page' | 'history-page' }>, deps: Deps): Promise<void> {
  const guildId = requireGuild(interaction);
  // The list is a public message: it stays in the server's language whoever turns its pages.
  const t = serverTranslator(interaction);
  await answerWithUpdate(interaction, id.kind === 'watchlist-page' ? await showWatchlistPage(t, deps, guildId, id.page) : await showHistoryPage(t, deps, guildId, id.page));
}

/** The page shown for `page` of `total` items: a page past the end (the list got shorter) shows the last. */
function pageWithin(page: number, total: number, perPage: number): { shown: number; last: number } {
  const last = Math.max(0, Math.ceil(total / perPage) - 1);
  // Options and customIds are checked, but a forged option can still carry any number.
  return { shown: Number.isSafeInteger(page) ? Math.min(Math.max(0, page), last) : 0, last };
}

export async function showWatchlistPage(t: Translator, deps: Pick<Deps, 'watchlist' | 'history'>, guildId: string, page: number) {
  const [suggestions, watched] = await Promise.all([deps.watchlist.list(guildId), deps.history.watched(guildId)]);
  const { shown, last } = pageWithin(page, suggestions.length, WATCHLIST_PER_PAGE);
  const onPage = suggestions.slice(shown * WATCHLIST_PER_PAGE, (shown + 1) * WATCHLIST_PER_PAGE);
  // The history is newest first, so the first line of a film is when it was last watched.
  const lastWatched = new Map<string, number>();
  for (const item of watched) if (!lastWatched.has(item.filmId)) lastWatched.set(item.filmId, item.watchedAt);
  const pageId = (target: number) => buildCustomId({ kind: 'watchlist-page', page: target });
  return buildWatchlistPage(t, {
    page: shown,
    total: suggestions.length,
    suggestions: onPage,
    watched: lastWatched,
    previous: shown > 0 ? pageId(shown - 1) : undefined,
    next: shown < last ? pageId(shown + 1) : undefined,
  });
}

export async function showHistoryPage(t: Translator, deps: Pick<Deps, 'history'>, guildId: string, page: number) {
  const watched = await deps.history.watched(guildId);
  const { shown, last } = pageWithin(page, watched.length, HISTORY_PER_PAGE);
  const pageId = (target: number) => buildCustomId({ kind: 'history-page', page: target });
  return buildHistoryPage(t, {
    page: shown,
    total: watched.length,
    watched: watched.slice(shown * HISTORY_PER_PAGE, (shown + 1) * HISTORY_PER_PAGE),
    previous: shown > 0 ? pageId(shown - 1) : undefined,
    next: shown < last ? pageId(shown + 1) : undefined,
  });
}

// Previous and Next on a page of reviews: the page and the film are in the button's customId, so
// the buttons keep working after a restart.
import type { MessageComponentInteraction } from 'discord.js';
import type { Deps } from '../commands/types';
import { requireGuild } from '../commands/guildOnly';
import type { Titled } from '../data/catalog';
import { answerWithUpdate } from '../discord/respond';
import { UserFacingError } from '../errors';
import { memberTranslator, serverTranslator, type Translator } from '../i18n';
import { buildReviewPage, REVIEWS_PER_PAGE } from '../replies/reviews';
import { buildCustomId, type ComponentId } from './customId';

export async function handleReviewPage(interaction: MessageComponentInteraction, id: Extract<ComponentId, { kind: 'reviews-page' }>, deps: Deps): Promise<void> {
  const guildId = requireGuild(interaction);
  // The name every saved review noted: a page of a TMDB film then needs no lookup (nor TMDB up).
  const noted = (await deps.reviews.reviewedFilms(guildId))[id.filmId];
  const film = noted ? { id: id.filmId, ...noted } : await deps.films.get(guildId, id.filmId);
  if (!film) throw new UserFacingError(memberTranslator(interaction)('reviews.filmGone'));
  // The page is a public message: it stays in the server's language whoever turns it.
  await answerWithUpdate(interaction, await showReviewPage(serverTranslator(interaction), deps, guildId, film, id.page));
}

/** Page `page` of the film's reviews (or only `memberId`'s); a page past the end shows the last. */
export async function showReviewPage(t: Translator, deps: Deps, guildId: string, film: Pick<Titled, 'id' | 'title' | 'year'>, page: number, member?: { id: string; name: string }) {
  const memberId = member?.id;
  const index = await deps.reviews.index(guildId, film.id);
  const listed = memberId ? index.filter((item) => item.userId === memberId) : index;
  const last = Math.max(0, Math.ceil(listed.length / REVIEWS_PER_PAGE) - 1);
  const shown = Math.min(page, last);
  const ids = listed.slice(shown * REVIEWS_PER_PAGE, (shown + 1) * REVIEWS_PER_PAGE).map((item) => item.userId);
  const reviews = ids.length > 0 ? await deps.reviews.many(guildId, film.id, ids) : [];
  const pageId = (target: number) => buildCustomId({ kind: 'reviews-page', filmId: film.id, page: target });
  return buildReviewPage(t, {
    film,
    page: shown,
    total: listed.length,
    reviews,
    member: member?.name,
    previous: !memberId && shown > 0 ? pageId(shown - 1) : undefined,
    next: !memberId && shown < last ? pageId(shown + 1) : undefined,
  });
}

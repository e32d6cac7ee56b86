// The review form's submission: checked (a forged or outdated form stores nothing), saved as the
// member's review and as their rating, and shown back to them as others will see it.
import { ComponentType, type ModalSubmitInteraction } from 'discord.js';
import type { Deps } from '../commands/types';
import { requireGuild } from '../commands/guildOnly';
import { answer } from '../discord/respond';
import { UserFacingError } from '../errors';
import { memberTranslator, type Translator } from '../i18n';
import { characterCount } from '../data/reviewLimits';
import { buildReviewSaved, REVIEW_FIELDS, REVIEW_TEXT_MAX, REVIEW_TEXT_MIN } from '../replies/reviews';
import { parseStarOption } from '../stars';
import type { ComponentId } from './customId';

export async function handleReviewForm(interaction: ModalSubmitInteraction, id: Extract<ComponentId, { kind: 'review-form' }>, deps: Deps): Promise<void> {
  const guildId = requireGuild(interaction);
  // What the writer is told, and their confirmation, are theirs alone.
  const t = memberTranslator(interaction);
  const { stars, text, spoiler } = readForm(interaction, t);
  const trimmed = text.trim();
  // Counted in characters, as Discord counts the form's limits (an emoji is one, not two).
  const length = characterCount(trimmed);
  if (length < REVIEW_TEXT_MIN) throw new UserFacingError(t('reviews.tooShort', { min: REVIEW_TEXT_MIN }));
  if (length > REVIEW_TEXT_MAX) throw new UserFacingError(t('reviews.tooLong', { max: REVIEW_TEXT_MAX }));
  const film = await deps.films.get(guildId, id.filmId);
  if (!film) throw new UserFacingError(t('reviews.unknownFilm'));
  const displayName = (interaction.member && 'displayName' in interaction.member ? interaction.member.displayName : interaction.user.displayName).slice(0, 100);
  const now = deps.now();
  // The rating first: it is the member's rating of the film, as /rate sets it, and saving it again
  // is harmless, so a failure after it leaves nothing that disagrees with the review.
  await deps.ratings.rate(guildId, film.id, interaction.user.id, stars, now);
  const review = await deps.reviews.write(guildId, film.id, { userId: interaction.user.id, displayName, stars, text: trimmed, spoiler, at: now });
  await deps.reviews.noteReviewed(guildId, film).catch((error: unknown) => deps.log.warn({ err: error, guildId, filmId: film.id }, 'reviewed film not noted for quotes'));
  await answer(interaction, buildReviewSaved(t, film, review));
}

/** The three inputs, each of the type its component gives; anything else is a forged or outdated form. */
function readForm(interaction: ModalSubmitInteraction, t: Translator): { stars: number; text: string; spoiler: boolean } {
  // Each input must be of the type the form shows (a text input named "stars" is not the rating).
  const field = (customId: string, type: ComponentType) => {
    const found = interaction.fields.fields.get(customId) as { type?: number; value?: unknown } | undefined;
    return found?.type === type ? found.value : undefined;
  };
  const starsValue = field(REVIEW_FIELDS.stars, ComponentType.RadioGroup);
  const text = field(REVIEW_FIELDS.text, ComponentType.TextInput);
  const spoiler = field(REVIEW_FIELDS.spoilers, ComponentType.Checkbox);
  const stars = typeof starsValue === 'string' ? parseStarOption(starsValue) : undefined;
  if (starsValue === null || starsValue === undefined) throw new UserFacingError(t('reviews.pickRating'));
  if (stars === undefined || typeof text !== 'string' || typeof spoiler !== 'boolean') throw new UserFacingError(t('reviews.outdated'));
  return { stars, text, spoiler };
}

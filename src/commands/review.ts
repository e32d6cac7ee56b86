// /review film: [delete:] [member:] — write or edit your review in a form; remove yours, or (with
// Manage Messages) anyone's. One command, since /review film: must keep opening the form and a
// command with subcommands cannot run bare.
import { memberTranslator, type Translator } from '../i18n';
import { ApplicationCommandOptionType, type ChatInputCommandInteraction, MessageFlags, PermissionFlagsBits } from 'discord.js';
import { buildCustomId } from '../components/customId';
import { filmLabel } from '../data/catalog';
import { NO_MENTIONS } from '../discord/payload';
import { answer, answerWithModal } from '../discord/respond';
import { UserFacingError } from '../errors';
import { buildReviewModal } from '../replies/reviews';
import { filmOptionDefinition, resolveFilm, suggestFilms } from './filmOption';
import { requireGuild } from './guildOnly';
import type { Command, Deps } from './types';

export const reviewCommand = {
  data: {
    name: 'review',
    description: 'Write or edit your review of a film for this server',
    options: [
      filmOptionDefinition(),
      { name: 'delete', description: 'Remove your review (your rating stays)', type: ApplicationCommandOptionType.Boolean },
      { name: 'member', description: 'With delete: remove this member’s review (Manage Messages)', type: ApplicationCommandOptionType.User },
    ],
  },
  async execute(interaction, deps) {
    const guildId = requireGuild(interaction);
    // The form and every answer are the member's alone.
    const t = memberTranslator(interaction);
    const film = await resolveFilm(deps.films, guildId, interaction.options.getString('film', true), t);
    const remove = interaction.options.getBoolean('delete') === true;
    const member = interaction.options.getUser('member');
    if (member && !remove) throw new UserFacingError(t('reviews.deleteToRemove'));
    if (remove) return removeReview(interaction, guildId, film, member?.id ?? interaction.user.id, deps, t);
    const existing = await deps.reviews.of(guildId, film.id, interaction.user.id);
    await answerWithModal(interaction, buildReviewModal(t, buildCustomId({ kind: 'review-form', filmId: film.id }), film, existing));
  },
  autocomplete: suggestFilms,
} satisfies Command;

async function removeReview(interaction: ChatInputCommandInteraction, guildId: string, film: { id: string; title: string; year?: number | undefined }, userId: string, deps: Deps, t: Translator): Promise<void> {
  const own = userId === interaction.user.id;
  if (!own && !interaction.memberPermissions?.has(PermissionFlagsBits.ManageMessages)) {
    throw new UserFacingError(t('reviews.moderatorsOnly'));
  }
  const removed = await deps.reviews.remove(guildId, film.id, userId, deps.now());
  const label = filmLabel(film);
  const content = !removed
    ? own ? t('reviews.noOwnReview', { label }) : t('reviews.noMemberReview', { userId, label })
    : own ? t('reviews.ownRemoved', { label }) : t('reviews.memberRemoved', { userId, label });
  await answer(interaction, { content, flags: MessageFlags.Ephemeral, allowedMentions: NO_MENTIONS });
}

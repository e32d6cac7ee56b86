// /review film: [delete:] [member:] — write or edit your review in a form; remove yours, or (with
// Manage Messages) anyone's. One command, since /review film: must keep opening the form and a
// command with subcommands cannot run bare.
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
    dm_permission: false,
    options: [
      filmOptionDefinition(),
      { name: 'delete', description: 'Remove your review (your rating stays)', type: ApplicationCommandOptionType.Boolean },
      { name: 'member', description: 'With delete: remove this member’s review (Manage Messages)', type: ApplicationCommandOptionType.User },
    ],
  },
  async execute(interaction, deps) {
    const guildId = requireGuild(interaction);
    const film = await resolveFilm(deps.films, guildId, interaction.options.getString('film', true));
    const remove = interaction.options.getBoolean('delete') === true;
    const member = interaction.options.getUser('member');
    if (member && !remove) throw new UserFacingError('To remove a member’s review, add `delete:True`. To read their review, use `/reviews film: member:`.');
    if (remove) return removeReview(interaction, guildId, film, member?.id ?? interaction.user.id, deps);
    const existing = await deps.reviews.of(guildId, film.id, interaction.user.id);
    await answerWithModal(interaction, buildReviewModal(buildCustomId({ kind: 'review-form', filmId: film.id }), film, existing));
  },
  autocomplete: suggestFilms,
} satisfies Command;

async function removeReview(interaction: ChatInputCommandInteraction, guildId: string, film: { id: string; title: string; year?: number | undefined }, userId: string, deps: Deps): Promise<void> {
  const own = userId === interaction.user.id;
  if (!own && !interaction.memberPermissions?.has(PermissionFlagsBits.ManageMessages)) {
    throw new UserFacingError('Only members with Manage Messages can remove another member’s review. You can remove your own with `delete:True`.');
  }
  const removed = await deps.reviews.remove(guildId, film.id, userId, deps.now());
  const label = filmLabel(film);
  const content = !removed
    ? own ? `You have no review of ${label} here.` : `<@${userId}> has no review of ${label} here.`
    : own ? `Your review of ${label} is removed. Your rating of it stays.` : `<@${userId}>’s review of ${label} is removed. Their rating stays.`;
  await answer(interaction, { content, flags: MessageFlags.Ephemeral, allowedMentions: NO_MENTIONS });
}

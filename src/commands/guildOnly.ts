// Ratings and polls belong to a server; in DMs there is nothing to keep them with.
import type { BaseInteraction } from 'discord.js';
import { UserFacingError } from '../errors';

export function requireGuild(interaction: BaseInteraction): string {
  if (!interaction.guildId) throw new UserFacingError('This works inside a server, where ratings and polls are kept.');
  return interaction.guildId;
}

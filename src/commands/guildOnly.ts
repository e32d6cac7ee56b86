// Ratings, reviews and polls belong to a server that added Reelside. Elsewhere (a DM, or a server
// where a member only installed Reelside to their own account) there is nothing to keep them with,
// and the bot is not there to post or edit anything.
import type { BaseInteraction } from 'discord.js';
import { UserFacingError } from '../errors';
import { memberTranslator } from '../i18n';

/**
 * The server this happens in, when that server added Reelside (a guild install); null in DMs and in
 * servers where Reelside is only user-installed. discord.js still gives `guildId` there, so that
 * is not enough: a guild install names the server in `authorizing_integration_owners["0"]`.
 */
export function installedServerId(interaction: BaseInteraction): string | null {
  const { guildId } = interaction;
  return guildId !== null && interaction.authorizingIntegrationOwners.guildId === guildId ? guildId : null;
}

export function requireGuild(interaction: BaseInteraction): string {
  const guildId = installedServerId(interaction);
  if (!guildId) throw new UserFacingError(memberTranslator(interaction)('common.guildOnly'));
  return guildId;
}

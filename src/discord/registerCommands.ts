// Registers the command list with Discord in one bulk overwrite, explaining the usual failures.
import { DiscordAPIError, type REST, Routes, type RESTPostAPIChatInputApplicationCommandsJSONBody } from 'discord.js';

export interface RegisteredCommand {
  id: string;
  name: string;
}

export function registrationScope(guildId: string | undefined): string {
  return guildId ? `guild:${guildId}` : 'global';
}

export async function putCommands(
  rest: REST,
  applicationId: string,
  guildId: string | undefined,
  definitions: RESTPostAPIChatInputApplicationCommandsJSONBody[],
): Promise<RegisteredCommand[]> {
  const route = guildId ? Routes.applicationGuildCommands(applicationId, guildId) : Routes.applicationCommands(applicationId);
  try {
    return (await rest.put(route, { body: definitions })) as RegisteredCommand[];
  } catch (error) {
    throw new Error(explainRegistrationFailure(error, guildId), { cause: error });
  }
}

export function explainRegistrationFailure(error: unknown, guildId: string | undefined): string {
  if (error instanceof DiscordAPIError || (error instanceof Error && 'status' in error)) {
    const { status, code } = error as { status?: number; code?: number | string };
    if (status === 401) return 'Discord rejected the token (401): copy a fresh token from the Developer Portal (Bot → Reset Token) into DISCORD_TOKEN.';
    if (code === 50001 || status === 403) {
      return guildId
        ? `Discord refused to register commands in server ${guildId} (Missing Access): invite the bot with the "applications.commands" scope (see the README's invite URL), and check DISCORD_GUILD_ID.`
        : 'Discord refused to register commands (Missing Access): check DISCORD_CLIENT_ID is this bot’s application id.';
    }
    if (code === 50035) return `Discord rejected the command definitions as invalid (50035): ${error.message}`;
  }
  return `Registering commands failed: ${error instanceof Error ? error.message : String(error)}`;
}

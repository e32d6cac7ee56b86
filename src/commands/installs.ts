// Where each command works. Film cards, quotes and help need nothing of a server, so a member who
// installs Reelside to their own account can use them anywhere; the rest keep a server's ratings,
// reviews, polls and settings, and work only in servers that added Reelside.
import { ApplicationIntegrationType, type BaseInteraction, InteractionContextType, type RESTPostAPIChatInputApplicationCommandsJSONBody } from 'discord.js';
import type { Translator } from '../i18n';
import { commandWord } from '../i18n/commands';
import { installedServerId } from './guildOnly';

type Definition = RESTPostAPIChatInputApplicationCommandsJSONBody;

/** Commands offered with a user install too: in DMs, group DMs and servers without the bot. */
const ANYWHERE: ReadonlySet<string> = new Set(['film', 'quote', 'help']);

const EVERYWHERE = {
  integration_types: [ApplicationIntegrationType.GuildInstall, ApplicationIntegrationType.UserInstall],
  contexts: [InteractionContextType.Guild, InteractionContextType.BotDM, InteractionContextType.PrivateChannel],
} satisfies Pick<Definition, 'integration_types' | 'contexts'>;

const SERVERS_ONLY = {
  integration_types: [ApplicationIntegrationType.GuildInstall],
  contexts: [InteractionContextType.Guild],
} satisfies Pick<Definition, 'integration_types' | 'contexts'>;

/** A definition with the install types and contexts Discord offers it in (they replace the deprecated `dm_permission`). */
export function withInstallPlaces<T extends Definition>(definition: T): T {
  return { ...definition, ...(ANYWHERE.has(definition.name) ? EVERYWHERE : SERVERS_ONLY) };
}

/**
 * Whether a command works where the interaction happens. Discord only offers a command where its
 * definition says, but a stale client or a forged payload may still send it from anywhere.
 */
export function worksHere(definition: Definition, interaction: BaseInteraction): boolean {
  return installedServerId(interaction) !== null || (definition.integration_types ?? []).includes(ApplicationIntegrationType.UserInstall);
}

export function onlyInServersMessage(t: Translator, name: string): string {
  return t('common.onlyInServers', { command: commandWord(t, `commands.${name}.name`, name) });
}

// /help — an ephemeral overview built from the command list itself, so it never goes stale, and
// listing only what works where it is asked (a user install's DM lists no server commands).
import { ApplicationCommandOptionType, MessageFlags, type InteractionReplyOptions, type RESTPostAPIChatInputApplicationCommandsJSONBody } from 'discord.js';
import { NO_MENTIONS, safeEmbed } from '../discord/payload';
import { FILM_COLOUR } from '../replies/film';
import { answer } from '../discord/respond';
import { installedServerId } from './guildOnly';
import { worksHere } from './installs';
import { memberTranslator, type Translator } from '../i18n';
import { commandWord } from '../i18n/commands';
import type { Command } from './types';

/**
 * The commands as the member's client shows them (names and descriptions in their language).
 * `inServer`: asked in a server that added Reelside; elsewhere only the commands that work there are given.
 */
export function buildHelpReply(t: Translator, definitions: RESTPostAPIChatInputApplicationCommandsJSONBody[], inServer = true): InteractionReplyOptions {
  const fields = definitions.map((definition) => ({ name: usage(t, definition), value: commandWord(t, `commands.${definition.name}.description`, definition.description) }));
  return {
    embeds: [safeEmbed({ title: t('help.title'), description: t(inServer ? 'help.intro' : 'help.introElsewhere'), color: FILM_COLOUR, fields })],
    flags: MessageFlags.Ephemeral,
    allowedMentions: NO_MENTIONS,
  };
}

function usage(t: Translator, definition: RESTPostAPIChatInputApplicationCommandsJSONBody): string {
  const path = `commands.${definition.name}`;
  const command = commandWord(t, `${path}.name`, definition.name);
  const options = definition.options ?? [];
  const subcommands = options.filter((option) => option.type === ApplicationCommandOptionType.Subcommand);
  if (subcommands.length > 0) return subcommands.map((sub) => `/${command} ${commandWord(t, `${path}.options.${sub.name}.name`, sub.name)}`).join(' · ');
  const args = options.map((option) => {
    const name = commandWord(t, `${path}.options.${option.name}.name`, option.name);
    return 'required' in option && option.required ? `${name}:` : `[${name}:]`;
  });
  return [`/${command}`, ...args].join(' ');
}

export function helpCommand(list: () => readonly Command[]): Command {
  return {
    data: { name: 'help', description: 'What Reelside can do, and how' },
    async execute(interaction) {
      const here = list().filter((command) => worksHere(command.data, interaction));
      await answer(interaction, buildHelpReply(memberTranslator(interaction), here.map((command) => command.data), installedServerId(interaction) !== null));
    },
  };
}

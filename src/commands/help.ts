// /help — an ephemeral overview built from the command list itself, so it never goes stale.
import { ApplicationCommandOptionType, MessageFlags, type InteractionReplyOptions, type RESTPostAPIChatInputApplicationCommandsJSONBody } from 'discord.js';
import { NO_MENTIONS, safeEmbed } from '../discord/payload';
import { FILM_COLOUR } from '../replies/film';
import { answer } from '../discord/respond';
import type { Command } from './types';

export function buildHelpReply(definitions: RESTPostAPIChatInputApplicationCommandsJSONBody[]): InteractionReplyOptions {
  const fields = definitions.map((definition) => ({ name: usage(definition), value: definition.description }));
  return {
    embeds: [safeEmbed({ title: 'Reelside commands', description: 'Film cards, critics’ quotes, ratings and watch-party polls for your film club. Options in [brackets] are optional.', color: FILM_COLOUR, fields })],
    flags: MessageFlags.Ephemeral,
    allowedMentions: NO_MENTIONS,
  };
}

function usage(definition: RESTPostAPIChatInputApplicationCommandsJSONBody): string {
  const options = definition.options ?? [];
  const subcommands = options.filter((option) => option.type === ApplicationCommandOptionType.Subcommand);
  if (subcommands.length > 0) return subcommands.map((sub) => `/${definition.name} ${sub.name}`).join(' · ');
  const args = options.map((option) => ('required' in option && option.required ? `${option.name}:` : `[${option.name}:]`));
  return [`/${definition.name}`, ...args].join(' ');
}

export function helpCommand(list: () => readonly Command[]): Command {
  return {
    data: { name: 'help', description: 'What Reelside can do, and how' },
    async execute(interaction) {
      await answer(interaction, buildHelpReply(list().map((command) => command.data)));
    },
  };
}

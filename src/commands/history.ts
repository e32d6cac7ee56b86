// /history [page:] — the films this server watched, newest first, with each poll's result.
import { ApplicationCommandOptionType } from 'discord.js';
import { showHistoryPage } from '../components/listPages';
import { answer } from '../discord/respond';
import { serverTranslator } from '../i18n';
import { requireGuild } from './guildOnly';
import type { Command } from './types';

export const historyCommand = {
  data: {
    name: 'history',
    description: 'What this server watched, newest first, with each film’s rating',
    options: [{ name: 'page', description: 'Which page (ten films a page)', type: ApplicationCommandOptionType.Integer, min_value: 1, max_value: 100 }],
  },
  visibility: 'public',
  async execute(interaction, deps) {
    const guildId = requireGuild(interaction);
    const page = interaction.options.getInteger('page') ?? 1;
    await answer(interaction, await showHistoryPage(serverTranslator(interaction), deps, guildId, page - 1));
  },
} satisfies Command;

// /reviews film: [member:] — a film's member reviews in this server, five a page, newest first.
import { memberTranslator, serverTranslator } from '../i18n';
import { ApplicationCommandOptionType } from 'discord.js';
import { answer } from '../discord/respond';
import { showReviewPage } from '../components/reviewPages';
import { filmOptionDefinition, resolveFilm, suggestFilms } from './filmOption';
import { requireGuild } from './guildOnly';
import type { Command } from './types';

export const reviewsCommand = {
  data: {
    name: 'reviews',
    description: 'Read this server’s reviews of a film, newest first',
    options: [
      filmOptionDefinition(),
      { name: 'member', description: 'Only this member’s review', type: ApplicationCommandOptionType.User },
    ],
  },
  visibility: 'public',
  async execute(interaction, deps) {
    const guildId = requireGuild(interaction);
    const film = await resolveFilm(deps.films, guildId, interaction.options.getString('film', true), memberTranslator(interaction));
    const member = interaction.options.getUser('member');
    // The page is public: in the server's language.
    await answer(interaction, await showReviewPage(serverTranslator(interaction), deps, guildId, film, 0, member ? { id: member.id, name: member.displayName } : undefined));
  },
  autocomplete: suggestFilms,
} satisfies Command;

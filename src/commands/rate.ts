// /rate film: [stars:] — rate a film for this server, or see your own rating.
import { memberTranslator } from '../i18n';
import { ApplicationCommandOptionType, MessageFlags } from 'discord.js';
import { NO_MENTIONS, quoteUserText } from '../discord/payload';
import { UserFacingError } from '../errors';
import { formatStars, isStarValue } from '../stars';
import { filmOptionDefinition, resolveFilm, suggestFilms } from './filmOption';
import { requireGuild } from './guildOnly';
import { answer } from '../discord/respond';
import type { Command } from './types';

export const rateCommand = {
  data: {
    name: 'rate',
    description: 'Rate a film for this server (½★ to 5★), or see your rating',
    options: [
      filmOptionDefinition(),
      { name: 'stars', description: 'From 0.5 to 5 in half steps, e.g. 4.5; leave out to see your rating', type: ApplicationCommandOptionType.Number, min_value: 0.5, max_value: 5 },
    ],
  },
  async execute(interaction, { films, ratings, now }) {
    const guildId = requireGuild(interaction);
    // The answer is the member's alone: in their language.
    const t = memberTranslator(interaction);
    const film = await resolveFilm(films, guildId, interaction.options.getString('film', true), t);
    const stars = interaction.options.getNumber('stars');
    let content: string;
    if (stars === null) {
      const mine = await ratings.ratingOf(guildId, film.id, interaction.user.id);
      content = mine === undefined ? t('rate.notYet', { title: film.title }) : t('rate.rated', { title: film.title, stars: formatStars(mine) });
    } else {
      // The value is echoed, and a forged payload can put any text in a number option ('@everyone'),
      // so it is defused like every other echo of member input.
      if (!isStarValue(stars)) throw new UserFacingError(t('rate.halfSteps', { value: quoteUserText(String(stars), 20) }));
      await ratings.rate(guildId, film.id, interaction.user.id, stars, now());
      content = t('rate.rated', { title: film.title, stars: formatStars(stars) });
    }
    await answer(interaction, { content, flags: MessageFlags.Ephemeral, allowedMentions: NO_MENTIONS });
  },
  autocomplete: suggestFilms,
} satisfies Command;

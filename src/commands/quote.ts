// /quote [film:] — posts a critic's excerpt; a server sees every excerpt before any repeats.
import { UserFacingError } from '../errors';
import { drawQuote, quotableFilms, quotableIndex } from '../films/quotes';
import { buildDrawnQuote, buildNoQuotesMessage } from '../replies/quote';
import { filmChoices, filmOptionDefinition, resolveFilm, respondWithFilms } from './filmOption';
import { answer } from '../discord/respond';
import type { Command } from './types';

export const quoteCommand = {
  data: {
    name: 'quote',
    description: 'Post a random quote from a critic’s review',
    options: [
      filmOptionDefinition({ description: 'Quote a review of this film (any film when left out)', required: false }),
    ],
  },
  visibility: 'public',
  async execute(interaction, { films, quotes, reviews, settings, random }) {
    const typed = interaction.options.getString('film');
    const picked = typed === null ? undefined : await resolveFilm(films, interaction.guildId, typed);
    const memberQuotes = interaction.guildId ? ((await settings.get(interaction.guildId)).memberQuotes ?? false) : false;
    // Outside a server (a DM) there is no shared deck, so each DM conversation gets its own.
    const deck = interaction.guildId ?? `dm-${interaction.channelId}`;
    const drawn = await drawQuote({ quotes, catalog: films.catalog, reviews }, { deck, guildId: interaction.guildId, memberQuotes, random, film: picked });
    if (!drawn) throw new UserFacingError(buildNoQuotesMessage(picked, quotableFilms(films.catalog), memberQuotes));
    await answer(interaction, buildDrawnQuote(drawn));
  },
  // Films with critics' quotes; with member quotes on, any film may have some, so all are offered.
  async autocomplete(interaction, { films, settings }) {
    const typed = String(interaction.options.getFocused());
    const memberQuotes = interaction.guildId ? ((await settings.get(interaction.guildId)).memberQuotes ?? false) : false;
    if (memberQuotes) return respondWithFilms(interaction, films);
    await interaction.respond(filmChoices(quotableIndex(films.catalog).search(typed)));
  },
} satisfies Command;

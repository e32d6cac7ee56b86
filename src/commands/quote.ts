// /quote [film:] — posts a critic's excerpt; a server sees every excerpt before any repeats (and so
// does a member, wherever they use Reelside installed to their own account).
import { memberTranslator, serverTranslator } from '../i18n';
import { UserFacingError } from '../errors';
import { drawQuote, quotableFilms, quotableIndex } from '../films/quotes';
import { buildDrawnQuote, buildNoQuotesMessage } from '../replies/quote';
import { filmChoices, filmOptionDefinition, resolveFilm, respondWithFilms } from './filmOption';
import { installedServerId } from './guildOnly';
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
    // Outside servers that added Reelside there is no server's deck, films or reviews: the member
    // gets a deck of their own, the same in every DM and every server without the bot.
    const guildId = installedServerId(interaction);
    const typed = interaction.options.getString('film');
    const picked = typed === null ? undefined : await resolveFilm(films, guildId, typed, memberTranslator(interaction));
    const memberQuotes = guildId ? ((await settings.get(guildId)).memberQuotes ?? false) : false;
    const deck = guildId ? { guildId } : { userId: interaction.user.id };
    const drawn = await drawQuote({ quotes, catalog: films.catalog, reviews }, { deck, guildId, memberQuotes, random, film: picked });
    if (!drawn) throw new UserFacingError(buildNoQuotesMessage(memberTranslator(interaction), picked, quotableFilms(films.catalog), memberQuotes));
    // Posted for everyone: the credit is in the server's language (the excerpt, a quotation, never is).
    await answer(interaction, buildDrawnQuote(serverTranslator(interaction), drawn));
  },
  // Films with critics' quotes; with member quotes on, any film may have some, so all are offered.
  async autocomplete(interaction, { films, settings }) {
    const typed = String(interaction.options.getFocused());
    const guildId = installedServerId(interaction);
    const memberQuotes = guildId ? ((await settings.get(guildId)).memberQuotes ?? false) : false;
    if (memberQuotes) return respondWithFilms(interaction, films);
    await interaction.respond(filmChoices(quotableIndex(films.catalog).search(typed)));
  },
} satisfies Command;

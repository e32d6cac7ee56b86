// /quote [film:] — posts a critic's excerpt; a server sees every excerpt before any repeats.
import { ApplicationCommandOptionType } from 'discord.js';
import type { Film } from '../data/schema';
import { UserFacingError } from '../errors';
import type { Films } from '../films/films';
import { buildNoQuotesMessage, buildQuoteReply } from '../replies/quote';
import { filmChoices, resolveFilm } from './filmOption';
import { answer } from '../discord/respond';
import type { Command } from './types';

export const quoteCommand = {
  data: {
    name: 'quote',
    description: 'Post a random quote from a critic’s review',
    options: [
      { name: 'film', description: 'Quote a review of this film (any film when left out)', type: ApplicationCommandOptionType.String, autocomplete: true, max_length: 200 },
    ],
  },
  visibility: 'public',
  async execute(interaction, { films, quotes, random }) {
    const typed = interaction.options.getString('film');
    const quotable = quotableFilms(films);
    const picked = typed === null ? undefined : await resolveFilm(films, interaction.guildId, typed);
    // Critics' excerpts are checked word for word against their reviews: only bundled films have them.
    const film = picked ? (picked.source === 'bundled' ? picked.film : undefined) : quotable[Math.floor(random() * quotable.length)];
    const keys = film ? excerptKeys(film) : [];
    if (!film || keys.length === 0) throw new UserFacingError(buildNoQuotesMessage(picked ?? film, quotable));
    // Outside a server (a DM) there is no shared deck, so each DM conversation gets its own.
    const deck = interaction.guildId ?? `dm-${interaction.channelId}`;
    const key = await quotes.next(deck, film.id, keys);
    const [reviewId, index] = key.split('#') as [string, string];
    const review = film.reviews.find((candidate) => candidate.id === reviewId)!;
    await answer(interaction, buildQuoteReply(film, review, review.excerpts[Number(index)]!));
  },
  // Only films that have quotes are worth suggesting.
  async autocomplete(interaction, { films }) {
    const typed = String(interaction.options.getFocused());
    await interaction.respond(filmChoices(films.catalog.search(typed).filter((film) => excerptKeys(film).length > 0)));
  },
} satisfies Command;

function quotableFilms(films: Films): Film[] {
  return films.catalog.all().filter((film) => excerptKeys(film).length > 0);
}

function excerptKeys(film: Film): string[] {
  return film.reviews.flatMap((review) => review.excerpts.map((_, index) => `${review.id}#${index}`));
}

// /film title: — the film card with credits, critics and this server's rating.
import { StorageUnavailableError } from '../errors';
import { buildFilmReply } from '../replies/film';
import { filmOptionDefinition, resolveFilm, suggestFilms } from './filmOption';
import { answer } from '../discord/respond';
import type { Command } from './types';

export const filmCommand = {
  data: {
    name: 'film',
    description: 'Show a film card: credits, cast, synopsis, critics and this server’s rating',
    options: [
      filmOptionDefinition({ name: 'title' }),
    ],
  },
  visibility: 'public',
  async execute(interaction, { films, ratings, reviews }) {
    const film = await resolveFilm(films, interaction.guildId, interaction.options.getString('title', true));
    const guildId = interaction.guildId;
    // The card is worth showing even while storage is down; only the server's part is missing.
    const [summary, reviewCount] = guildId
      ? await Promise.all([ratings.summary(guildId, film.id).catch(unavailable), reviews.count(guildId, film.id).catch(unavailable)])
      : [undefined, undefined];
    await answer(interaction, buildFilmReply(film, summary, reviewCount === 'unavailable' ? undefined : reviewCount));
  },
  autocomplete: suggestFilms,
} satisfies Command;

function unavailable(error: unknown): 'unavailable' {
  if (error instanceof StorageUnavailableError) return 'unavailable';
  throw error;
}

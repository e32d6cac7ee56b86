// /film title: — the film card with credits, critics and this server's rating.
import { memberTranslator, serverTranslator } from '../i18n';
import { StorageUnavailableError } from '../errors';
import { buildFilmReply } from '../replies/film';
import { filmOptionDefinition, resolveFilm, suggestFilms } from './filmOption';
import { installedServerId } from './guildOnly';
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
    // Only a server that added Reelside has films, ratings and reviews of its own; elsewhere (a DM,
    // a server where Reelside is only user-installed) the card leaves the server's part out.
    const guildId = installedServerId(interaction);
    const film = await resolveFilm(films, guildId, interaction.options.getString('title', true), memberTranslator(interaction));
    // The card is worth showing even while storage is down; only the server's part is missing.
    const [summary, reviewCount] = guildId
      ? await Promise.all([ratings.summary(guildId, film.id).catch(unavailable), reviews.count(guildId, film.id).catch(unavailable)])
      : (['no-server', undefined] as const);
    await answer(interaction, buildFilmReply(serverTranslator(interaction), film, summary, reviewCount === 'unavailable' ? undefined : reviewCount));
  },
  autocomplete: suggestFilms,
} satisfies Command;

function unavailable(error: unknown): 'unavailable' {
  if (error instanceof StorageUnavailableError) return 'unavailable';
  throw error;
}

// /suggest film: — puts a film on the server's watchlist, saying who suggested it, for everyone.
import { memberTranslator, serverTranslator } from '../i18n';
import { answer } from '../discord/respond';
import { buildSuggested } from '../replies/watchlist';
import { filmOptionDefinition, resolveFilm, suggestFilms } from './filmOption';
import { requireGuild } from './guildOnly';
import type { Command } from './types';
import { asWatchlistUserError, assertMaySuggest, watchlistName } from './watchlistRules';

export const suggestCommand = {
  data: {
    name: 'suggest',
    description: 'Suggest a film for this server’s watchlist',
    options: [filmOptionDefinition({ description: 'The film to suggest: start typing a title and pick it' })],
  },
  visibility: 'public',
  async execute(interaction, deps) {
    const guildId = requireGuild(interaction);
    // Refusals are the member's (their language); the suggestion is announced to everyone (the server's).
    const t = memberTranslator(interaction);
    await assertMaySuggest(interaction, guildId, deps, t);
    const film = await resolveFilm(deps.films, guildId, interaction.options.getString('film', true), t);
    const name = watchlistName(film);
    // A film seen before may come back: the list says so rather than refusing it (history is newest first).
    const seen = (await deps.history.watched(guildId)).find((item) => item.filmId === film.id);
    const { position } = await deps.watchlist
      .suggest(guildId, { filmId: film.id, film: name, suggestedBy: interaction.user.id, suggestedAt: deps.now() }, seen?.watchedAt)
      .catch(asWatchlistUserError(t));
    await answer(interaction, buildSuggested(serverTranslator(interaction), name, interaction.user.id, position, seen?.watchedAt));
  },
  autocomplete: suggestFilms,
} satisfies Command;

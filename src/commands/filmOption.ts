// The film option shared by every command that names a film: autocomplete and resolution.
import type { ApplicationCommandOptionChoiceData, AutocompleteInteraction } from 'discord.js';
import { type FilmCatalog, filmLabel } from '../data/catalog';
import type { Film } from '../data/schema';
import { LIMITS, truncate } from '../discord/payload';
import { UserFacingError } from '../errors';
import { buildUnknownFilmMessage } from '../replies/film';

export function filmChoices(films: FilmCatalog, typed: string): ApplicationCommandOptionChoiceData<string>[] {
  return films.search(typed, LIMITS.choices).map((film) => ({ name: truncate(filmLabel(film), LIMITS.choiceName), value: film.id }));
}

export async function respondWithFilms(interaction: AutocompleteInteraction, films: FilmCatalog): Promise<void> {
  await interaction.respond(filmChoices(films, String(interaction.options.getFocused())));
}

/** Resolves a picked id or a typed title; a member who typed something unknown is told what exists. */
export function resolveFilm(films: FilmCatalog, typed: string): Film {
  const film = films.find(typed);
  if (film) return film;
  throw new UserFacingError(buildUnknownFilmMessage(typed, typed.trim() ? films.closest(typed, 3) : []));
}

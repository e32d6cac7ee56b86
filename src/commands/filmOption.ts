// The film option shared by every command that names a film: autocomplete and resolution.
import type { AutocompleteInteraction } from 'discord.js';
import { filmLabel } from '../data/catalog';
import { LIMITS, truncate } from '../discord/payload';
import { UserFacingError } from '../errors';
import type { Films, SuggestOptions } from '../films/films';
import type { AnyFilm, FilmName } from '../films/model';
import { buildUnknownFilmMessage } from '../replies/film';

export function filmChoices(names: FilmName[]): { name: string; value: string }[] {
  return names.map((film) => ({ name: truncate(filmLabel(film), LIMITS.choiceName), value: film.id }));
}

export async function respondWithFilms(interaction: AutocompleteInteraction, films: Films, options?: SuggestOptions): Promise<void> {
  await interaction.respond(filmChoices(await films.suggest(interaction.guildId, String(interaction.options.getFocused()), options)));
}

/**
 * Resolves a picked id or a typed title; a member who typed something unknown is told what
 * exists. A TMDB failure propagates (the member is told online lookups are down).
 */
export async function resolveFilm(films: Films, guildId: string | null, typed: string): Promise<AnyFilm> {
  const resolution = await films.resolve(guildId, typed);
  if (resolution.film) return resolution.film;
  throw new UserFacingError(buildUnknownFilmMessage(typed, resolution.suggestions, resolution.tmdbUnavailable));
}

// The film option shared by every command that names a film: autocomplete and resolution.
import { ApplicationCommandOptionType, type AutocompleteInteraction } from 'discord.js';
import { filmLabel } from '../data/catalog';
import { LIMITS, truncate } from '../discord/payload';
import { UserFacingError } from '../errors';
import type { Translator } from '../i18n';
import type { Films, SuggestOptions } from '../films/films';
import type { AnyFilm, FilmName } from '../films/model';
import { buildUnknownFilmMessage } from '../replies/film';
import { installedServerId } from './guildOnly';
import type { Deps } from './types';

/**
 * The option every command that names a film has: typed or picked from suggestions (the value is
 * the film's id, or what was typed), at most 200 characters, as film titles are.
 */
export function filmOptionDefinition({ name = 'film', description = 'Start typing a title and pick it', required = true }: { name?: string; description?: string; required?: boolean } = {}) {
  return { name, description, type: ApplicationCommandOptionType.String, ...(required ? { required } : {}), autocomplete: true, max_length: 200 } as const;
}

/** A command's autocomplete when its only suggested option is a film. */
export async function suggestFilms(interaction: AutocompleteInteraction, { films }: Pick<Deps, 'films'>): Promise<void> {
  await respondWithFilms(interaction, films);
}

export function filmChoices(names: FilmName[]): { name: string; value: string }[] {
  return names.map((film) => ({ name: truncate(filmLabel(film), LIMITS.choiceName), value: film.id }));
}

export async function respondWithFilms(interaction: AutocompleteInteraction, films: Films, options?: SuggestOptions): Promise<void> {
  // A server's own films are offered only where that server added Reelside.
  await interaction.respond(filmChoices(await films.suggest(installedServerId(interaction), String(interaction.options.getFocused()), options)));
}

/**
 * Resolves a picked id or a typed title; a member who typed something unknown is told what
 * exists. A TMDB failure propagates (the member is told online lookups are down).
 */
/** The film `typed` names; otherwise the member is told (in `t`'s language) which films come closest. */
export async function resolveFilm(films: Films, guildId: string | null, typed: string, t: Translator): Promise<AnyFilm> {
  const resolution = await films.resolve(guildId, typed);
  if (resolution.film) return resolution.film;
  throw new UserFacingError(buildUnknownFilmMessage(t, typed, resolution.suggestions, resolution.tmdbUnavailable));
}

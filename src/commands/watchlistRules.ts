// Who may do what with the watchlist, how a typed film is found on it, and the store's refusals in words.
import { type AutocompleteInteraction, type BaseInteraction } from 'discord.js';
import { filmLabel, normalizeTitle } from '../data/catalog';
import { isClubModerator } from '../discord/clubModerators';
import { UserFacingError } from '../errors';
import type { Translator } from '../i18n';
import { alreadySuggested, banListFull, bannedFilm, notOnWatchlist, notOwnSuggestion, suggestRoleRequired, watchlistFull } from '../replies/watchlist';
import { AlreadySuggestedError, FilmBannedError, MAX_BANNED, MAX_SUGGESTIONS, NotOnWatchlistError, NotYourSuggestionError, type WatchlistFilm, WatchlistFullError } from '../storage/watchlist';
import { filmChoices } from './filmOption';
import type { Deps } from './types';

/** Refuses a member who may not suggest films (in `t`, their language): the server limited it to a role they lack. */
export async function assertMaySuggest(interaction: BaseInteraction, guildId: string, { settings }: Pick<Deps, 'settings'>, t: Translator): Promise<void> {
  const { suggestRoleId } = await settings.get(guildId);
  if (!suggestRoleId || isClubModerator(interaction.memberPermissions) || hasRole(interaction, suggestRoleId)) return;
  throw new UserFacingError(suggestRoleRequired(t, suggestRoleId));
}

function hasRole(interaction: BaseInteraction, roleId: string): boolean {
  const member = interaction.member;
  if (!member) return false;
  // A server the client has not cached sends the member as plain data, role ids and all.
  if (Array.isArray(member.roles)) return member.roles.includes(roleId);
  // The member's role ids as the interaction sent them: `roles.cache` keeps only the roles the
  // client has heard of, so a role it missed would lock its members out.
  const ids = (member as unknown as { _roles?: unknown })._roles;
  return member.roles.cache.has(roleId) || (Array.isArray(ids) && ids.includes(roleId));
}

/** For `.catch(asWatchlistUserError(t))`: the store's refusals, worded for the member in `t`; anything else is passed on. */
export function asWatchlistUserError(t: Translator): (error: unknown) => never {
  return (error) => {
    if (error instanceof AlreadySuggestedError) throw new UserFacingError(alreadySuggested(t, error.existing));
    if (error instanceof FilmBannedError) throw new UserFacingError(bannedFilm(t, error.ban.film));
    if (error instanceof NotYourSuggestionError) throw new UserFacingError(notOwnSuggestion(t, error.suggestion));
    if (error instanceof NotOnWatchlistError) throw new UserFacingError(notOnWatchlist(t));
    if (error instanceof WatchlistFullError) throw new UserFacingError(error.list === 'suggestions' ? watchlistFull(t, MAX_SUGGESTIONS) : banListFull(t, MAX_BANNED));
    throw error;
  };
}

/** A film's name as the watchlist keeps it (no `year` key at all when the year is unknown). */
export function watchlistName(film: { title: string; year?: number | undefined }): WatchlistFilm {
  return { title: film.title, ...(film.year === undefined ? {} : { year: film.year }) };
}

interface Listed {
  filmId: string;
  film: { title: string; year?: number | undefined };
}

/** The item a member picked (its film id) or typed (its title, or "Title (year)"), if listed. */
export function findListed<T extends Listed>(items: readonly T[], typed: string): T | undefined {
  const text = typed.trim();
  const byId = items.find((item) => item.filmId === text);
  if (byId) return byId;
  const wanted = normalizeTitle(text);
  if (wanted === '') return undefined;
  return items.find((item) => normalizeTitle(filmLabel(item.film)) === wanted) ?? items.find((item) => normalizeTitle(item.film.title) === wanted);
}

/** Suggestions from a list the member types into: titles containing what they typed, in list order. */
export async function respondWithListed(interaction: AutocompleteInteraction, items: readonly Listed[]): Promise<void> {
  const typed = normalizeTitle(String(interaction.options.getFocused()));
  const matching = items.filter((item) => typed === '' || normalizeTitle(filmLabel(item.film)).includes(typed));
  await interaction.respond(filmChoices(matching.slice(0, 25).map((item) => ({ id: item.filmId, ...item.film }))));
}

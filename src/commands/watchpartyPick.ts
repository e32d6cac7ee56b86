// `/watchparty pick` and `/watchparty random`: choosing the next film from the server's watchlist.
import { type APIApplicationCommandSubcommandOption, ApplicationCommandOptionType, type AutocompleteInteraction, type ChatInputCommandInteraction } from 'discord.js';
import { filmLabel } from '../data/catalog';
import { truncate } from '../discord/payload';
import { answer } from '../discord/respond';
import { UserFacingError } from '../errors';
import { memberTranslator, serverTranslator, type Translator } from '../i18n';
import { buildRandomPick } from '../replies/pick';
import { MAX_CANDIDATES, MIN_CANDIDATES } from '../storage/pickPolls';
import type { WatchedFilm } from '../storage/history';
import type { Suggestion } from '../storage/watchlist';
import { assertMayHost, MAX_DURATION_MINUTES } from './partyScheduling';
import { postPoll } from './pollPosting';
import type { Deps } from './types';
import { findListed } from './watchlistRules';

/** A vote on the next film runs a day unless the host says otherwise: members vote over the week's evenings. */
const DEFAULT_PICK_MINUTES = 1_440;

export const pickSubcommands: APIApplicationCommandSubcommandOption[] = [
  {
    name: 'pick',
    description: 'Open a vote on the next film among up to 10 from the watchlist (hosts)',
    type: ApplicationCommandOptionType.Subcommand,
    options: [
      {
        name: 'candidates',
        description: 'Films from the watchlist, separated by commas: numbers as /watchlist shows them, or titles',
        type: ApplicationCommandOptionType.String,
        autocomplete: true,
        max_length: 1_000,
      },
      { name: 'duration', description: 'Minutes until the vote closes (default 1440 = a day, up to 10080 = 7 days)', type: ApplicationCommandOptionType.Integer, min_value: 1, max_value: MAX_DURATION_MINUTES },
      { name: 'random', description: 'Draw 10 unwatched films at random instead of the 10 suggested first', type: ApplicationCommandOptionType.Boolean },
    ],
  },
  { name: 'random', description: 'Pick one unwatched film from the watchlist at random', type: ApplicationCommandOptionType.Subcommand },
];

/** Suggestions not watched since they were suggested, oldest suggestion first (a film suggested again after a screening counts). */
export function unwatched(suggestions: readonly Suggestion[], watched: readonly WatchedFilm[]): Suggestion[] {
  const lastWatched = new Map<string, number>();
  for (const film of watched) lastWatched.set(film.filmId, Math.max(film.watchedAt, lastWatched.get(film.filmId) ?? 0));
  return suggestions.filter((suggestion) => (lastWatched.get(suggestion.filmId) ?? -1) < suggestion.suggestedAt);
}

async function unwatchedOf(guildId: string, deps: Deps): Promise<{ all: Suggestion[]; unwatched: Suggestion[] }> {
  const [all, watched] = await Promise.all([deps.watchlist.list(guildId), deps.history.watched(guildId)]);
  return { all, unwatched: unwatched(all, watched) };
}

export async function startPickVote(interaction: ChatInputCommandInteraction, guildId: string, deps: Deps): Promise<void> {
  const t = memberTranslator(interaction);
  assertMayHost(interaction, t('pick.onlyHosts'));
  const minutes = interaction.options.getInteger('duration') ?? DEFAULT_PICK_MINUTES;
  if (!Number.isInteger(minutes) || minutes < 1 || minutes > MAX_DURATION_MINUTES) throw new UserFacingError(t('pick.durationRange', { max: MAX_DURATION_MINUTES }));
  const typed = interaction.options.getString('candidates')?.trim();
  const drawn = interaction.options.getBoolean('random') ?? false;
  if (typed && drawn) throw new UserFacingError(t('pick.notBoth'));
  const { all, unwatched } = await unwatchedOf(guildId, deps);
  const candidates = typed ? namedCandidates(all, typed, t) : drawn ? draw(unwatched, MAX_CANDIDATES, deps.random) : unwatched.slice(0, MAX_CANDIDATES);
  if (candidates.length < MIN_CANDIDATES) {
    throw new UserFacingError(typed ? t('pick.tooFewNamed', { min: MIN_CANDIDATES }) : t('pick.tooFewUnwatched', { min: MIN_CANDIDATES, has: unwatched.length }));
  }
  // Shown in the watchlist's order, so a runoff that ties again goes to the film suggested first.
  const ordered = [...candidates].sort((a, b) => a.suggestedAt - b.suggestedAt);
  const poll = await deps.pollService.startPick({
    // Everyone votes in it: drawn in the server's language, now, at every edit and in its runoff.
    locale: serverTranslator(interaction).locale,
    guildId,
    channelId: interaction.channelId,
    hostId: interaction.user.id,
    candidates: ordered.map(({ filmId, film }) => ({ filmId, film })),
    durationMs: minutes * 60_000,
  });
  await postPoll(interaction, poll, deps);
}

/**
 * Reads "1, 4, Paddington 2 (2017)": each part a watchlist number or a title. A title may hold a
 * comma itself, so a part that matches nothing is tried again joined with the next.
 */
export function namedCandidates(list: readonly Suggestion[], typed: string, t: Translator): Suggestion[] {
  const parts = typed.split(',').map((part) => part.trim());
  const found: Suggestion[] = [];
  const unknown: string[] = [];
  for (let start = 0; start < parts.length; start++) {
    if (parts[start] === '') continue;
    let match: Suggestion | undefined;
    let end = start;
    for (; end < parts.length && !match; end++) match = listedAt(list, parts.slice(start, end + 1).join(', '));
    if (match) {
      if (!found.includes(match)) found.push(match);
      start = end - 1;
    } else {
      unknown.push(parts[start]!);
    }
  }
  if (unknown.length > 0) {
    throw new UserFacingError(t('pick.notListed', { typed: unknown.slice(0, 5).map((part) => t('pick.quoted', { part: truncate(part, 60) })).join(', ') }));
  }
  if (found.length > MAX_CANDIDATES) throw new UserFacingError(t('pick.tooManyNamed', { max: MAX_CANDIDATES, named: found.length }));
  return found;
}

/** A film id (what a suggestion sends), else a /watchlist number, else a title. */
function listedAt(list: readonly Suggestion[], part: string): Suggestion | undefined {
  const byId = list.find((item) => item.filmId === part);
  if (byId) return byId;
  const number = /^#?(\d{1,4})$/.exec(part);
  return number ? list[Number(number[1]) - 1] : findListed(list, part);
}

/** Suggests the next film for the comma list being typed; each choice is the whole list, as numbers. */
export async function respondWithCandidates(interaction: AutocompleteInteraction, guildId: string, deps: Deps): Promise<void> {
  const typed = String(interaction.options.getFocused());
  const parts = typed.split(',');
  const typing = parts.pop()!.trim().toLowerCase();
  const { all, unwatched } = await unwatchedOf(guildId, deps);
  let chosen: Suggestion[] = [];
  try {
    chosen = parts.some((part) => part.trim() !== '') ? namedCandidates(all, parts.join(','), memberTranslator(interaction)) : [];
  } catch {
    // What came before does not read yet: suggest from scratch.
  }
  if (chosen.length >= MAX_CANDIDATES) return interaction.respond([]);
  const numberOf = (suggestion: Suggestion) => all.indexOf(suggestion) + 1;
  const offered = [...unwatched, ...all.filter((suggestion) => !unwatched.includes(suggestion))]
    .filter((suggestion) => !chosen.includes(suggestion))
    .filter((suggestion) => typing === '' || filmLabel(suggestion.film).toLowerCase().includes(typing) || String(numberOf(suggestion)) === typing)
    .slice(0, 25);
  await interaction.respond(
    offered.map((suggestion) => {
      const picked = [...chosen, suggestion];
      // Film ids where they fit in Discord's 100 characters: a number would name another film
      // should the list change before the member sends the command.
      const ids = picked.map((item) => item.filmId).join(', ');
      return {
        name: truncate(picked.map((item) => `${numberOf(item)}. ${filmLabel(item.film)}`).join(', '), 100),
        value: ids.length <= 100 ? ids : picked.map(numberOf).join(', '),
      };
    }),
  );
}

export async function pickRandomFilm(interaction: ChatInputCommandInteraction, guildId: string, deps: Deps): Promise<void> {
  const { unwatched } = await unwatchedOf(guildId, deps);
  const [chosen] = draw(unwatched, 1, deps.random);
  if (!chosen) throw new UserFacingError(memberTranslator(interaction)('pick.noneUnwatched'));
  // Posted for everyone: in the server's language.
  await answer(interaction, buildRandomPick(serverTranslator(interaction), chosen.film, chosen.filmId, chosen.suggestedBy, unwatched.length));
}

/** `count` items drawn without repeats (a partial Fisher–Yates shuffle). */
function draw<T>(items: readonly T[], count: number, random: () => number): T[] {
  const pool = [...items];
  const n = Math.min(count, pool.length);
  for (let i = 0; i < n; i++) {
    const j = i + Math.floor(random() * (pool.length - i));
    [pool[i], pool[j]] = [pool[j]!, pool[i]!];
  }
  return pool.slice(0, n);
}

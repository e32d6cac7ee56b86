// /watchlist show|remove|ban|unban — the server's watchlist: pages for everyone, removal by the
// member who suggested a film or a moderator, and films moderators bar from it.
import { ApplicationCommandOptionType, type ChatInputCommandInteraction, MessageFlags } from 'discord.js';
import { showWatchlistPage } from '../components/listPages';
import { NO_MENTIONS } from '../discord/payload';
import { answer } from '../discord/respond';
import { UserFacingError } from '../errors';
import { listedFilm } from '../replies/watchlist';
import { filmOptionDefinition, resolveFilm, respondWithFilms } from './filmOption';
import { requireGuild } from './guildOnly';
import type { WatchlistFilm } from '../storage/watchlist';
import type { Command, Deps } from './types';
import { asWatchlistUserError, findListed, isModerator, respondWithListed, watchlistName } from './watchlistRules';

const MODERATORS_ONLY = 'Only members with Manage Events or Manage Server can bar films from the watchlist, or lift a bar.';

export const watchlistCommand = {
  data: {
    name: 'watchlist',
    description: 'The films this server’s members suggested watching',
    dm_permission: false,
    options: [
      {
        name: 'show',
        description: 'The watchlist, oldest suggestion first',
        type: ApplicationCommandOptionType.Subcommand,
        options: [{ name: 'page', description: 'Which page (ten films a page)', type: ApplicationCommandOptionType.Integer, min_value: 1, max_value: 50 }],
      },
      { name: 'remove', description: 'Take a film you suggested off the list (moderators: any film)', type: ApplicationCommandOptionType.Subcommand, options: [filmOptionDefinition({ description: 'The film to take off' })] },
      { name: 'ban', description: 'Take a film off the list and keep it from being suggested again (moderators)', type: ApplicationCommandOptionType.Subcommand, options: [filmOptionDefinition({ description: 'The film to bar' })] },
      { name: 'unban', description: 'Let a barred film be suggested again (moderators)', type: ApplicationCommandOptionType.Subcommand, options: [filmOptionDefinition({ description: 'The barred film' })] },
    ],
  },
  // The list is for everyone; changes to it are confirmed to the member alone.
  visibility: (interaction) => (interaction.options.getSubcommand(false) === 'show' ? 'public' : 'ephemeral'),
  async execute(interaction, deps) {
    const guildId = requireGuild(interaction);
    const sub = interaction.options.getSubcommand();
    if (sub === 'show') return void (await answer(interaction, await showWatchlistPage(deps, guildId, (interaction.options.getInteger('page') ?? 1) - 1)));
    if (sub === 'remove') return remove(interaction, guildId, deps);
    if (!isModerator(interaction.memberPermissions)) throw new UserFacingError(MODERATORS_ONLY);
    if (sub === 'ban') return ban(interaction, guildId, deps);
    return unban(interaction, guildId, deps);
  },
  async autocomplete(interaction, deps) {
    const guildId = requireGuild(interaction);
    const sub = interaction.options.getSubcommand();
    // Any film may be barred, listed or not.
    if (sub === 'ban') return respondWithFilms(interaction, deps.films);
    if (sub === 'unban') return respondWithListed(interaction, await deps.watchlist.banned(guildId));
    const listed = await deps.watchlist.list(guildId);
    // A member is offered the films they may remove: their own.
    const mine = isModerator(interaction.memberPermissions) ? listed : listed.filter((item) => item.suggestedBy === interaction.user.id);
    await respondWithListed(interaction, mine);
  },
} satisfies Command;

const confirm = (interaction: ChatInputCommandInteraction, content: string) => answer(interaction, { content, flags: MessageFlags.Ephemeral, allowedMentions: NO_MENTIONS });

async function remove(interaction: ChatInputCommandInteraction, guildId: string, deps: Deps): Promise<void> {
  const listed = findListed(await deps.watchlist.list(guildId), interaction.options.getString('film', true));
  if (!listed) throw new UserFacingError('That film is not on the watchlist: pick one from the suggestions, or see `/watchlist show`.');
  const removed = await deps.watchlist.remove(guildId, listed.filmId, { userId: interaction.user.id, anyone: isModerator(interaction.memberPermissions) }).catch(asWatchlistUserError);
  const whose = removed.suggestedBy === interaction.user.id ? 'your suggestion' : `<@${removed.suggestedBy}>’s suggestion`;
  await confirm(interaction, `${listedFilm(removed.film)} (${whose}) is off the watchlist. It may be suggested again.`);
}

async function ban(interaction: ChatInputCommandInteraction, guildId: string, deps: Deps): Promise<void> {
  const typed = interaction.options.getString('film', true);
  // A listed film is named as the list has it, so barring it needs no lookup (nor TMDB up).
  const film: { filmId: string; film: WatchlistFilm } =
    findListed(await deps.watchlist.list(guildId), typed) ?? (await resolveFilm(deps.films, guildId, typed).then((found) => ({ filmId: found.id, film: watchlistName(found) })));
  const outcome = await deps.watchlist.ban(guildId, { filmId: film.filmId, film: film.film, bannedBy: interaction.user.id, bannedAt: deps.now() }).catch(asWatchlistUserError);
  const taken = outcome.removed ? ` It was taken off the list (suggested by <@${outcome.removed.suggestedBy}>).` : '';
  const content = outcome.alreadyBanned
    ? `${listedFilm(film.film)} was already barred from the watchlist.${taken}`
    : `${listedFilm(film.film)} is barred from the watchlist: \`/suggest\` refuses it until \`/watchlist unban\`.${taken}`;
  await confirm(interaction, content);
}

async function unban(interaction: ChatInputCommandInteraction, guildId: string, deps: Deps): Promise<void> {
  const barred = findListed(await deps.watchlist.banned(guildId), interaction.options.getString('film', true));
  const lifted = barred && (await deps.watchlist.unban(guildId, barred.filmId));
  if (!lifted) throw new UserFacingError('That film is not barred from the watchlist: pick one from the suggestions.');
  await confirm(interaction, `${listedFilm(lifted.film)} may be suggested again.`);
}

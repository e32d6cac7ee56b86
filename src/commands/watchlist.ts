// /watchlist show|remove|ban|unban — the server's watchlist: pages for everyone, removal by the
// member who suggested a film or a moderator, and films moderators bar from it.
import { memberTranslator, serverTranslator, type Translator } from '../i18n';
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
import { isClubModerator } from '../discord/clubModerators';
import { asWatchlistUserError, findListed, respondWithListed, watchlistName } from './watchlistRules';

export const watchlistCommand = {
  data: {
    name: 'watchlist',
    description: 'The films this server’s members suggested watching',
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
    // The list is public (the server's language); refusals and confirmations are the member's.
    if (sub === 'show') return void (await answer(interaction, await showWatchlistPage(serverTranslator(interaction), deps, guildId, (interaction.options.getInteger('page') ?? 1) - 1)));
    const t = memberTranslator(interaction);
    if (sub === 'remove') return remove(interaction, guildId, deps, t);
    if (!isClubModerator(interaction.memberPermissions)) throw new UserFacingError(t('watchlist.moderatorsOnly'));
    if (sub === 'ban') return ban(interaction, guildId, deps, t);
    return unban(interaction, guildId, deps, t);
  },
  async autocomplete(interaction, deps) {
    const guildId = requireGuild(interaction);
    const sub = interaction.options.getSubcommand();
    // Any film may be barred, listed or not.
    if (sub === 'ban') return respondWithFilms(interaction, deps.films);
    if (sub === 'unban') return respondWithListed(interaction, await deps.watchlist.banned(guildId));
    const listed = await deps.watchlist.list(guildId);
    // A member is offered the films they may remove: their own.
    const mine = isClubModerator(interaction.memberPermissions) ? listed : listed.filter((item) => item.suggestedBy === interaction.user.id);
    await respondWithListed(interaction, mine);
  },
} satisfies Command;

const confirm = (interaction: ChatInputCommandInteraction, content: string) => answer(interaction, { content, flags: MessageFlags.Ephemeral, allowedMentions: NO_MENTIONS });

async function remove(interaction: ChatInputCommandInteraction, guildId: string, deps: Deps, t: Translator): Promise<void> {
  const listed = findListed(await deps.watchlist.list(guildId), interaction.options.getString('film', true));
  if (!listed) throw new UserFacingError(t('watchlist.notListed'));
  const removed = await deps.watchlist.remove(guildId, listed.filmId, { userId: interaction.user.id, anyone: isClubModerator(interaction.memberPermissions) }).catch(asWatchlistUserError(t));
  const own = removed.suggestedBy === interaction.user.id;
  await confirm(interaction, t(own ? 'watchlist.removedOwn' : 'watchlist.removedOther', { film: listedFilm(removed.film), userId: removed.suggestedBy }));
}

async function ban(interaction: ChatInputCommandInteraction, guildId: string, deps: Deps, t: Translator): Promise<void> {
  const typed = interaction.options.getString('film', true);
  // A listed film is named as the list has it, so barring it needs no lookup (nor TMDB up).
  const film: { filmId: string; film: WatchlistFilm } =
    findListed(await deps.watchlist.list(guildId), typed) ?? (await resolveFilm(deps.films, guildId, typed, t).then((found) => ({ filmId: found.id, film: watchlistName(found) })));
  const outcome = await deps.watchlist.ban(guildId, { filmId: film.filmId, film: film.film, bannedBy: interaction.user.id, bannedAt: deps.now() }).catch(asWatchlistUserError(t));
  const key = outcome.alreadyBanned ? 'watchlist.alreadyBarred' : 'watchlist.barred';
  const content = outcome.removed ? t(`${key}Taken`, { film: listedFilm(film.film), userId: outcome.removed.suggestedBy }) : t(key, { film: listedFilm(film.film) });
  await confirm(interaction, content);
}

async function unban(interaction: ChatInputCommandInteraction, guildId: string, deps: Deps, t: Translator): Promise<void> {
  const barred = findListed(await deps.watchlist.banned(guildId), interaction.options.getString('film', true));
  const lifted = barred && (await deps.watchlist.unban(guildId, barred.filmId));
  if (!lifted) throw new UserFacingError(t('watchlist.notBarred'));
  await confirm(interaction, t('watchlist.unbarred', { film: listedFilm(lifted.film) }));
}

// /films add|edit|hide|remove|list — the films this server added itself, beside the bundled ones.
import { ApplicationCommandOptionType, type ChatInputCommandInteraction, MessageFlags } from 'discord.js';
import { filmLabel } from '../data/catalog';
import { buildCustomId } from '../components/customId';
import { NO_MENTIONS } from '../discord/payload';
import { answer, answerWithModal } from '../discord/respond';
import { UserFacingError } from '../errors';
import { memberTranslator, type Translator } from '../i18n';
import { serverFilmId, type ServerFilm } from '../films/model';
import { assertMayManageFilms } from '../films/permissions';
import { asUserError } from '../films/serverFilmErrors';
import { buildFilmModal, buildRemovalRefused, buildServerFilmList } from '../replies/serverFilms';
import { filmOptionDefinition, respondWithFilms } from './filmOption';
import { requireGuild } from './guildOnly';
import type { Command, Deps } from './types';


export const filmsCommand = {
  data: {
    name: 'films',
    description: 'This server’s own films, beside the ones Reelside knows',
    options: [
      { name: 'add', description: 'Add a film for this server (Manage Events or Manage Server)', type: ApplicationCommandOptionType.Subcommand },
      { name: 'edit', description: 'Change a film this server added', type: ApplicationCommandOptionType.Subcommand, options: [filmOptionDefinition({ description: 'The server film to change' })] },
      {
        name: 'hide',
        description: 'Hide a film from suggestions, or show it again',
        type: ApplicationCommandOptionType.Subcommand,
        options: [filmOptionDefinition({ description: 'The server film to hide or show' }), { name: 'hidden', description: 'Hide it (default) or show it again', type: ApplicationCommandOptionType.Boolean }],
      },
      { name: 'remove', description: 'Remove a film nobody rated or polled', type: ApplicationCommandOptionType.Subcommand, options: [filmOptionDefinition({ description: 'The server film to remove' })] },
      { name: 'list', description: 'List the films this server added', type: ApplicationCommandOptionType.Subcommand },
    ],
  },
  async execute(interaction, deps) {
    const guildId = requireGuild(interaction);
    // Every answer here is the member's alone (the list, the form, the confirmations).
    const t = memberTranslator(interaction);
    const sub = interaction.options.getSubcommand();
    if (sub === 'list') {
      const { films, damaged } = await deps.serverFilms.list(guildId);
      return void (await answer(interaction, buildServerFilmList(t, films, damaged.length)));
    }
    assertMayManageFilms(interaction.memberPermissions, t);
    if (sub === 'add') return answerWithModal(interaction, buildFilmModal(t, buildCustomId({ kind: 'film-add' })));
    const film = await pickServerFilm(interaction, guildId, deps, t);
    if (sub === 'edit') return answerWithModal(interaction, buildFilmModal(t, buildCustomId({ kind: 'film-edit', slug: film.slug }), film));
    if (sub === 'hide') return hide(interaction, guildId, film, deps, t);
    return remove(interaction, guildId, film, deps, t);
  },
  async autocomplete(interaction, { films }) {
    // Hidden films too: these are the commands that manage them.
    await respondWithFilms(interaction, films, { serverOnly: true, hidden: true });
  },
} satisfies Command;

/** The server film named by the `film` option, picked from the suggestions or typed as its title. */
async function pickServerFilm(interaction: ChatInputCommandInteraction, guildId: string, deps: Deps, t: Translator): Promise<ServerFilm> {
  const typed = interaction.options.getString('film', true).trim();
  const index = await deps.films.serverIndex(guildId);
  const found = index.find(typed);
  if (found) return found.film;
  throw new UserFacingError(t(deps.films.catalog.find(typed) ? 'films.bundledFilm' : 'films.noSuchFilm'));
}

async function hide(interaction: ChatInputCommandInteraction, guildId: string, film: ServerFilm, deps: Deps, t: Translator): Promise<void> {
  const hidden = interaction.options.getBoolean('hidden') ?? true;
  if (typeof hidden !== 'boolean') throw new UserFacingError(t('films.hiddenIsBoolean'));
  const changed = await deps.serverFilms.setHidden(guildId, film.slug, hidden).catch(asUserError(t));
  const content = t(changed.hidden ? 'films.hidden' : 'films.shown', { label: filmLabel(changed) });
  await answer(interaction, { content, flags: MessageFlags.Ephemeral, allowedMentions: NO_MENTIONS });
}

/**
 * Only a film nothing is kept about can go: its ratings and its polls (a closed poll not yet
 * finished still hands its votes over as ratings) would otherwise name a film that no longer
 * exists. A rating or poll started while the film was being removed is caught by looking again
 * after: the film is then put back as it was.
 */
async function remove(interaction: ChatInputCommandInteraction, guildId: string, film: ServerFilm, deps: Deps, t: Translator): Promise<void> {
  const before = await keptAbout(guildId, serverFilmId(film.slug), deps);
  if (before.ratings > 0 || before.polls > 0) throw new UserFacingError(buildRemovalRefused(t, film, before));
  await deps.serverFilms.remove(guildId, film.slug).catch(asUserError(t));
  const after = await keptAbout(guildId, serverFilmId(film.slug), deps);
  if (after.ratings > 0 || after.polls > 0) {
    await deps.serverFilms.restore(guildId, film);
    throw new UserFacingError(buildRemovalRefused(t, film, after));
  }
  await answer(interaction, { content: t('films.removed', { label: filmLabel(film) }), flags: MessageFlags.Ephemeral, allowedMentions: NO_MENTIONS });
}

async function keptAbout(guildId: string, filmId: string, deps: Deps): Promise<{ ratings: number; polls: number }> {
  const [summary, unfinished] = await Promise.all([deps.ratings.summary(guildId, filmId), deps.polls.unfinishedPollsOf([guildId])]);
  return { ratings: summary?.count ?? 0, polls: unfinished.filter(({ entry }) => 'filmId' in entry && entry.filmId === filmId).length };
}

// /watchparty start|end|status|schedule|cancel|pick|random — polls and parties for a screening, kept per server.
import { memberTranslator, serverTranslator, type Translator } from '../i18n';
import { ApplicationCommandOptionType, type AutocompleteInteraction, type ChatInputCommandInteraction, MessageFlags } from 'discord.js';
import { buildStatus } from '../replies/schedule';
import type { Party } from '../storage/parties';
import { filmLabel } from '../data/catalog';
import { NO_MENTIONS, truncate } from '../discord/payload';
import { PollNotFoundError, UserFacingError } from '../errors';
import { assertMayEnd } from '../polls/permissions';
import { countOf } from '../replies/plural';
import { buildOpenPollsList } from '../replies/pollList';
import { type AnyPoll, type OpenPollEntry, voteCount } from '../storage/polls';
import { filmOptionDefinition, resolveFilm, respondWithFilms } from './filmOption';
import { requireGuild } from './guildOnly';
import { answer } from '../discord/respond';
import { assertMayHost, MAX_DURATION_MINUTES, MAX_LENGTH_MINUTES, PARTY_CHANNELS, scheduleAndAnnounce } from './partyScheduling';
import { postPoll } from './pollPosting';
import type { Command, Deps } from './types';
import { pickRandomFilm, pickSubcommands, respondWithCandidates, startPickVote } from './watchpartyPick';

export const watchpartyCommand = {
  data: {
    name: 'watchparty',
    description: 'Watch-party rating polls',
    options: [
      {
        name: 'start',
        description: 'Post a poll where members rate a film from ½★ to 5★',
        type: ApplicationCommandOptionType.Subcommand,
        options: [
          filmOptionDefinition({ description: 'The film you watched' }),
          { name: 'duration', description: 'Minutes until the poll closes (default 60, up to 10080 = 7 days)', type: ApplicationCommandOptionType.Integer, min_value: 1, max_value: MAX_DURATION_MINUTES },
          { name: 'blind', description: 'Hide the running average until the poll closes', type: ApplicationCommandOptionType.Boolean },
        ],
      },
      {
        name: 'end',
        description: 'End a poll now and post its results (host or moderators)',
        type: ApplicationCommandOptionType.Subcommand,
        options: [{ name: 'poll', description: 'Which open poll (default: the newest in this channel)', type: ApplicationCommandOptionType.String, autocomplete: true, max_length: 100 }],
      },
      { name: 'status', description: 'List this server’s upcoming parties and open polls', type: ApplicationCommandOptionType.Subcommand },
      {
        name: 'schedule',
        description: 'Put a watch party on the server’s calendar; its rating poll opens when the film ends',
        type: ApplicationCommandOptionType.Subcommand,
        options: [
          filmOptionDefinition({ description: 'The film you will watch' }),
          { name: 'when', description: 'e.g. friday 20:30, tomorrow 8pm, 2026-12-05 20:30, in 2h (server time zone)', type: ApplicationCommandOptionType.String, required: true, max_length: 100 },
          { name: 'channel', description: 'Where you watch: a voice or stage channel, or a text channel (default: this one)', type: ApplicationCommandOptionType.Channel, channel_types: PARTY_CHANNELS },
          { name: 'length', description: 'Minutes from the start until the poll opens (default: the film’s runtime)', type: ApplicationCommandOptionType.Integer, min_value: 1, max_value: MAX_LENGTH_MINUTES },
          { name: 'poll_duration', description: 'Minutes the poll stays open (default 60, up to 10080 = 7 days)', type: ApplicationCommandOptionType.Integer, min_value: 1, max_value: MAX_DURATION_MINUTES },
        ],
      },
      {
        name: 'cancel',
        description: 'Cancel an upcoming watch party (host or moderators)',
        type: ApplicationCommandOptionType.Subcommand,
        options: [{ name: 'party', description: 'Which party (default: the next one in this channel)', type: ApplicationCommandOptionType.String, autocomplete: true, max_length: 100 }],
      },
      ...pickSubcommands,
    ],
  },
  // The polls, the party's announcement and the film drawn are for everyone; the rest answers only the member.
  visibility: (interaction) => (['start', 'schedule', 'pick', 'random'].includes(interaction.options.getSubcommand(false) ?? '') ? 'public' : 'ephemeral'),
  async execute(interaction, deps) {
    const guildId = requireGuild(interaction);
    const sub = interaction.options.getSubcommand();
    if (sub === 'start') return startPoll(interaction, guildId, deps);
    if (sub === 'end') return endPoll(interaction, guildId, deps);
    if (sub === 'schedule') return scheduleParty(interaction, guildId, deps);
    if (sub === 'cancel') return cancelParty(interaction, guildId, deps);
    if (sub === 'pick') return startPickVote(interaction, guildId, deps);
    if (sub === 'random') return pickRandomFilm(interaction, guildId, deps);
    return showStatus(interaction, guildId, deps);
  },
  async autocomplete(interaction, deps) {
    const focused = interaction.options.getFocused(true);
    const t = memberTranslator(interaction);
    if (focused.name === 'film') return respondWithFilms(interaction, deps.films);
    if (!interaction.guildId) return interaction.respond([]);
    if (focused.name === 'party') return respondWithParties(t, interaction, interaction.guildId, String(focused.value), deps);
    if (focused.name === 'candidates') return respondWithCandidates(interaction, interaction.guildId, deps);
    const typed = String(focused.value).toLowerCase();
    const open = await deps.polls.openPolls(interaction.guildId);
    const choices = newestFirst(open)
      .map((entry) => ({ entry, label: pollLabel(t, entry, deps) }))
      .filter(({ entry, label }) => label.toLowerCase().includes(typed) || entry.id.startsWith(typed))
      .slice(0, 25)
      .map(({ entry, label }) => ({ name: truncate(label, 100), value: entry.id }));
    await interaction.respond(choices);
  },
} satisfies Command;

async function startPoll(interaction: ChatInputCommandInteraction, guildId: string, deps: Deps): Promise<void> {
  const t = memberTranslator(interaction);
  const film = await resolveFilm(deps.films, guildId, interaction.options.getString('film', true), t);
  const minutes = interaction.options.getInteger('duration') ?? 60;
  // discord.js does not check an option's value against its type: a forged payload could carry
  // 3.5, true or '60' here, and each of those passed the range check and opened a poll.
  if (!Number.isInteger(minutes) || minutes < 1 || minutes > MAX_DURATION_MINUTES) throw new UserFacingError(t('poll.durationRange', { max: MAX_DURATION_MINUTES }));
  const blind = interaction.options.getBoolean('blind') ?? false;
  if (typeof blind !== 'boolean') throw new UserFacingError(t('poll.blindChoice'));
  const poll = await deps.pollService.start({
    // Everyone reads the poll: it is drawn in the server's language, now and at every edit.
    locale: serverTranslator(interaction).locale,
    guildId,
    channelId: interaction.channelId,
    filmId: film.id,
    film: { title: film.title, year: film.year },
    hostId: interaction.user.id,
    blind,
    durationMs: minutes * 60_000,
  });
  await postPoll(interaction, poll, deps);
}


async function endPoll(interaction: ChatInputCommandInteraction, guildId: string, deps: Deps): Promise<void> {
  const t = memberTranslator(interaction);
  const named = interaction.options.getString('poll');
  const open = await deps.polls.openPolls(guildId);
  const entry = named
    ? open.find((candidate) => candidate.id === named.trim())
    : newestFirst(open.filter((candidate) => candidate.channelId === interaction.channelId))[0];
  if (!entry) {
    throw new UserFacingError(named ? t('poll.noneNamed') : t('poll.noneInChannel'));
  }
  const poll = await deps.polls.get(guildId, entry.id);
  if (!poll) throw new PollNotFoundError(entry.id);
  assertMayEnd(t, poll, interaction.user.id, interaction.memberPermissions);
  const { poll: closed, closedNow } = await deps.pollService.close(guildId, poll.id, interaction.user.id);
  const film = filmLabel(deps.pollService.filmOf(poll));
  await answer(interaction, {
    content: closedNow ? t('poll.endedWith', { film, votes: countOf(t, voteCount(closed), 'vote') }) : t('poll.hadClosed', { film }),
    flags: MessageFlags.Ephemeral,
    allowedMentions: NO_MENTIONS,
  });
}

async function showStatus(interaction: ChatInputCommandInteraction, guildId: string, deps: Deps): Promise<void> {
  const [{ rating: openEntries, pick: pickEntries }, parties] = await Promise.all([deps.polls.openPollsOfBothKinds(guildId), deps.parties.upcoming(guildId)]);
  const open = newestFirst(openEntries);
  // The list can lag behind a poll that just closed; the poll itself has the last word.
  const [ratingPolls, pickPolls] = await Promise.all([deps.polls.getMany(guildId, open.map((entry) => entry.id)), Promise.all(pickEntries.map((entry) => deps.polls.getAny(guildId, entry.id)))]);
  const polls = [...pickPolls, ...ratingPolls].filter((poll): poll is AnyPoll => poll?.status === 'open');
  const t = memberTranslator(interaction);
  const list = buildOpenPollsList(t, polls, (poll) => deps.pollService.filmOf(poll));
  await answer(interaction, { ...buildStatus(t, list, soonestFirst(parties).map((party) => deps.parties.view(guildId, party))), flags: MessageFlags.Ephemeral });
}

/** `/watchparty schedule`: read `when` in the server's zone, put the party on the calendar, announce it here. */
async function scheduleParty(interaction: ChatInputCommandInteraction, guildId: string, deps: Deps): Promise<void> {
  await scheduleAndAnnounce(interaction, guildId, deps, {
    film: interaction.options.getString('film', true),
    when: interaction.options.getString('when', true),
    channel: interaction.options.getChannel('channel', false, PARTY_CHANNELS),
    length: interaction.options.getInteger('length'),
    pollMinutes: interaction.options.getInteger('poll_duration'),
  });
}

async function cancelParty(interaction: ChatInputCommandInteraction, guildId: string, deps: Deps): Promise<void> {
  const t = memberTranslator(interaction);
  const named = interaction.options.getString('party')?.trim();
  const upcoming = soonestFirst(await deps.parties.upcoming(guildId));
  // A party whose poll is opening is past cancelling.
  const cancellable = upcoming.filter((candidate) => candidate.status !== 'polling');
  const party = named ? cancellable.find((candidate) => candidate.id === named) : cancellable.find((candidate) => candidate.channelId === interaction.channelId);
  if (!party) {
    throw new UserFacingError(named ? t('party.noneNamed') : t('party.noneInChannel'));
  }
  if (party.hostId !== interaction.user.id) assertMayHost(interaction, t('party.onlyHostCancels', { host: party.hostId }));
  const cancelled = await deps.parties.cancel(guildId, party.id, { kind: 'by-member', userId: interaction.user.id });
  await answer(interaction, {
    content: cancelled ? t('party.cancelled', { film: filmLabel(party.film) }) : t('party.alreadyGone'),
    flags: MessageFlags.Ephemeral,
    allowedMentions: NO_MENTIONS,
  });
}

async function respondWithParties(t: Translator, interaction: AutocompleteInteraction, guildId: string, typed: string, deps: Deps): Promise<void> {
  const parties = soonestFirst(await deps.parties.upcoming(guildId)).filter((party) => party.status === 'scheduled');
  const label = (party: Party) => t('party.label', { film: filmLabel(party.film), when: new Date(party.startAt).toISOString().slice(0, 16).replace('T', ' '), id: party.id });
  const wanted = typed.toLowerCase();
  await interaction.respond(
    parties
      .map((party) => ({ party, name: label(party) }))
      .filter(({ party, name }) => name.toLowerCase().includes(wanted) || party.id.startsWith(wanted))
      .slice(0, 25)
      .map(({ party, name }) => ({ name: truncate(name, 100), value: party.id })),
  );
}

function soonestFirst(parties: Party[]): Party[] {
  return [...parties].sort((a, b) => a.startAt - b.startAt);
}

function newestFirst(entries: OpenPollEntry[]): OpenPollEntry[] {
  return [...entries].sort((a, b) => b.createdAt - a.createdAt);
}

/** "Her Smell (2018) · closes in 42 min · poll 3f9a…": what a member needs to tell polls apart. */
function pollLabel(t: Translator, entry: OpenPollEntry, { pollService, now }: Deps): string {
  const minutes = Math.max(0, Math.ceil((entry.closesAt - now()) / 60_000));
  return t('poll.label', { film: filmLabel(pollService.filmOf(entry)), minutes, id: entry.id });
}

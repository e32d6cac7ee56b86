// /watchparty start|end|status — rating polls for a screening, kept per server.
import { ApplicationCommandOptionType, type ChatInputCommandInteraction, MessageFlags } from 'discord.js';
import { filmLabel } from '../data/catalog';
import { NO_MENTIONS, truncate } from '../discord/payload';
import { PollNotFoundError, UserFacingError } from '../errors';
import { assertMayEnd } from '../polls/permissions';
import { countOf } from '../replies/plural';
import { buildOpenPollsList } from '../replies/pollList';
import { type OpenPollEntry, type Poll, voteCount } from '../storage/polls';
import { resolveFilm, respondWithFilms } from './filmOption';
import { requireGuild } from './guildOnly';
import { answer } from '../discord/respond';
import type { Command, Deps } from './types';

export const MAX_DURATION_MINUTES = 10_080;

export const watchpartyCommand = {
  data: {
    name: 'watchparty',
    description: 'Watch-party rating polls',
    dm_permission: false,
    options: [
      {
        name: 'start',
        description: 'Post a poll where members rate a film from ½★ to 5★',
        type: ApplicationCommandOptionType.Subcommand,
        options: [
          { name: 'film', description: 'The film you watched', type: ApplicationCommandOptionType.String, required: true, autocomplete: true, max_length: 200 },
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
      { name: 'status', description: 'List this server’s open polls', type: ApplicationCommandOptionType.Subcommand },
    ],
  },
  // The poll itself is for everyone; ending and listing polls answer only the member.
  visibility: (interaction) => (interaction.options.getSubcommand(false) === 'start' ? 'public' : 'ephemeral'),
  async execute(interaction, deps) {
    const guildId = requireGuild(interaction);
    const sub = interaction.options.getSubcommand();
    if (sub === 'start') return startPoll(interaction, guildId, deps);
    if (sub === 'end') return endPoll(interaction, guildId, deps);
    return showStatus(interaction, guildId, deps);
  },
  async autocomplete(interaction, deps) {
    const focused = interaction.options.getFocused(true);
    if (focused.name === 'film') return respondWithFilms(interaction, deps.films);
    if (!interaction.guildId) return interaction.respond([]);
    const typed = String(focused.value).toLowerCase();
    const open = await deps.polls.openPolls(interaction.guildId);
    const choices = newestFirst(open)
      .map((entry) => ({ entry, label: pollLabel(entry, deps) }))
      .filter(({ entry, label }) => label.toLowerCase().includes(typed) || entry.id.startsWith(typed))
      .slice(0, 25)
      .map(({ entry, label }) => ({ name: truncate(label, 100), value: entry.id }));
    await interaction.respond(choices);
  },
} satisfies Command;

async function startPoll(interaction: ChatInputCommandInteraction, guildId: string, deps: Deps): Promise<void> {
  const film = await resolveFilm(deps.films, guildId, interaction.options.getString('film', true));
  const minutes = interaction.options.getInteger('duration') ?? 60;
  // discord.js does not check an option's value against its type: a forged payload could carry
  // 3.5, true or '60' here, and each of those passed the range check and opened a poll.
  if (!Number.isInteger(minutes) || minutes < 1 || minutes > MAX_DURATION_MINUTES) throw new UserFacingError(`A poll runs from 1 to ${MAX_DURATION_MINUTES} minutes (7 days).`);
  const blind = interaction.options.getBoolean('blind') ?? false;
  if (typeof blind !== 'boolean') throw new UserFacingError('`blind` is true or false: pick it from the list.');
  const poll = await deps.pollService.start({
    guildId,
    channelId: interaction.channelId,
    filmId: film.id,
    film: { title: film.title, year: film.year },
    hostId: interaction.user.id,
    blind,
    durationMs: minutes * 60_000,
  });
  let messageId: string | undefined;
  try {
    messageId = await answer(interaction, deps.pollService.messageFor(poll));
  } catch (error) {
    // Nobody can see a poll whose message never got posted, so it must not linger as open.
    await deps.pollService.close(guildId, poll.id, 'failed-to-post').catch(() => undefined);
    throw error;
  }
  // The poll is posted and takes votes whatever happens here; the id only lets its tally show.
  if (messageId) await deps.pollService.attachMessage(guildId, poll.id, messageId);
}

async function endPoll(interaction: ChatInputCommandInteraction, guildId: string, deps: Deps): Promise<void> {
  const named = interaction.options.getString('poll');
  const open = await deps.polls.openPolls(guildId);
  const entry = named
    ? open.find((candidate) => candidate.id === named.trim())
    : newestFirst(open.filter((candidate) => candidate.channelId === interaction.channelId))[0];
  if (!entry) {
    throw new UserFacingError(
      named ? 'There is no open poll by that name: pick one from the suggestions, or see `/watchparty status`.' : 'There is no open poll in this channel. `/watchparty status` lists the open polls in this server.',
    );
  }
  const poll = await deps.polls.get(guildId, entry.id);
  if (!poll) throw new PollNotFoundError(entry.id);
  assertMayEnd(poll, interaction.user.id, interaction.memberPermissions);
  const { poll: closed, closedNow } = await deps.pollService.close(guildId, poll.id, interaction.user.id);
  const what = `Poll on ${filmLabel(deps.pollService.filmOf(closed))}`;
  await answer(interaction, {
    content: closedNow
      ? `${what} ended with ${countOf(voteCount(closed), 'vote')}. The results are on the poll message.`
      : `${what} had already closed. Its results are on the poll message.`,
    flags: MessageFlags.Ephemeral,
    allowedMentions: NO_MENTIONS,
  });
}

async function showStatus(interaction: ChatInputCommandInteraction, guildId: string, deps: Deps): Promise<void> {
  const open = newestFirst(await deps.polls.openPolls(guildId));
  // The list can lag behind a poll that just closed; the poll itself has the last word.
  const polls = (await deps.polls.getMany(guildId, open.map((entry) => entry.id))).filter((poll): poll is Poll => poll?.status === 'open');
  await answer(interaction, { ...buildOpenPollsList(polls, (poll) => deps.pollService.filmOf(poll)), flags: MessageFlags.Ephemeral });
}

function newestFirst(entries: OpenPollEntry[]): OpenPollEntry[] {
  return [...entries].sort((a, b) => b.createdAt - a.createdAt);
}

/** "Her Smell (2018) · closes in 42 min · poll 3f9a…": what a member needs to tell polls apart. */
function pollLabel(entry: OpenPollEntry, { pollService, now }: Deps): string {
  const minutes = Math.max(0, Math.ceil((entry.closesAt - now()) / 60_000));
  return `${filmLabel(pollService.filmOf(entry))} · closes in ${minutes} min · poll ${entry.id}`;
}

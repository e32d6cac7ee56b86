// The poll message's select menu (vote) and End button: both work after restarts, from storage.
import { MessageFlags, type MessageComponentInteraction, type StringSelectMenuInteraction } from 'discord.js';
import type { Deps } from '../commands/types';
import { requireGuild } from '../commands/guildOnly';
import { NO_MENTIONS } from '../discord/payload';
import { answer, answerWithUpdate, sendFollowUp } from '../discord/respond';
import { PollNotFoundError, UserFacingError } from '../errors';
import { assertMayEnd } from '../polls/permissions';
import { formatStars, parseStarOption } from '../stars';
import { filmLabel } from '../data/catalog';
import { isPickPollId } from '../storage/pickPolls';
import type { AnyPoll } from '../storage/polls';
import type { ComponentId } from './customId';

export async function handlePollComponent(interaction: MessageComponentInteraction, id: Extract<ComponentId, { kind: 'poll-vote' | 'poll-end' }>, deps: Deps): Promise<void> {
  const guildId = requireGuild(interaction);
  if (id.kind === 'poll-vote') return vote(interaction, guildId, id.pollId, deps);
  return end(interaction, guildId, id.pollId, deps);
}

async function vote(interaction: MessageComponentInteraction, guildId: string, pollId: string, deps: Deps): Promise<void> {
  if (!interaction.isStringSelectMenu()) throw new UserFacingError('That control is from an older version of this poll.');
  if (isPickPollId(pollId)) return pick(interaction, guildId, pollId, deps);
  // Only the menu's own option values count: Number() alone would also take ' 3', '3.0', '+3',
  // '0x3' and '3e0', none of which the menu offers.
  const stars = interaction.values.length === 1 ? parseStarOption(interaction.values[0]!) : undefined;
  if (stars === undefined) throw new UserFacingError('That rating is not one of the choices (½★ to 5★ in half steps); nothing was saved.');
  const poll = await deps.pollService.vote(guildId, pollId, interaction.user.id, stars);
  await answer(interaction, {
    content: `You rated ${deps.pollService.filmOf(poll).title} ${formatStars(stars)}. You can change your rating until the poll closes.`,
    flags: MessageFlags.Ephemeral,
    allowedMentions: NO_MENTIONS,
  });
}

async function pick(interaction: StringSelectMenuInteraction, guildId: string, pollId: string, deps: Deps): Promise<void> {
  // Only the menu's own option values: the candidate's index, written as the menu writes it.
  const value = interaction.values.length === 1 ? interaction.values[0]! : '';
  if (!/^\d$/.test(value)) throw new UserFacingError(NOT_A_CHOICE);
  const choice = Number(value);
  let poll;
  try {
    poll = await deps.pollService.choose(guildId, pollId, interaction.user.id, choice);
  } catch (error) {
    if (error instanceof RangeError) throw new UserFacingError(NOT_A_CHOICE);
    throw error;
  }
  await answer(interaction, {
    content: `You picked ${filmLabel(poll.candidates[choice]!.film)}. You can change your pick until the poll closes.`,
    flags: MessageFlags.Ephemeral,
    allowedMentions: NO_MENTIONS,
  });
}

const NOT_A_CHOICE = 'That film is not one of this poll’s choices; nothing was saved.';

async function end(interaction: MessageComponentInteraction, guildId: string, pollId: string, deps: Deps): Promise<void> {
  const poll = await deps.polls.getAny(guildId, pollId);
  if (!poll) throw new PollNotFoundError(pollId);
  if (poll.status === 'closed') return showAlreadyClosed(interaction, poll, deps);
  assertMayEnd(poll, interaction.user.id, interaction.memberPermissions);
  const { poll: closed, closedNow } = await deps.pollService.close(guildId, pollId, interaction.user.id);
  if (!closedNow) return showAlreadyClosed(interaction, closed, deps);
  // The results show at once on this message; the close also refreshes it through the tally
  // editor, which catches up should this update fail.
  await answerWithUpdate(interaction, deps.pollService.messageFor(closed));
}

/** A button still on a closed poll means its message missed the results: show them now. */
async function showAlreadyClosed(interaction: MessageComponentInteraction, poll: AnyPoll, deps: Deps): Promise<void> {
  deps.pollService.requestRefresh(poll.guildId, poll.id, { finishing: true });
  await answerWithUpdate(interaction, deps.pollService.messageFor(poll));
  await sendFollowUp(interaction, { content: 'This poll had already closed: its results are shown now.', flags: MessageFlags.Ephemeral, allowedMentions: NO_MENTIONS });
}

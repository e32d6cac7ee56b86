// The poll message's select menu (vote) and End button: both work after restarts, from storage.
import { MessageFlags, type MessageComponentInteraction, type StringSelectMenuInteraction } from 'discord.js';
import type { Deps } from '../commands/types';
import { requireGuild } from '../commands/guildOnly';
import { NO_MENTIONS } from '../discord/payload';
import { answer, answerWithUpdate, sendFollowUp } from '../discord/respond';
import { PollNotFoundError, UserFacingError } from '../errors';
import { memberTranslator, type Translator } from '../i18n';
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
  const t = memberTranslator(interaction);
  if (!interaction.isStringSelectMenu()) throw new UserFacingError(t('poll.oldControl'));
  if (isPickPollId(pollId)) return pick(t, interaction, guildId, pollId, deps);
  // Only the menu's own option values count: Number() alone would also take ' 3', '3.0', '+3',
  // '0x3' and '3e0', none of which the menu offers.
  const stars = interaction.values.length === 1 ? parseStarOption(interaction.values[0]!) : undefined;
  if (stars === undefined) throw new UserFacingError(t('poll.notARating'));
  const poll = await deps.pollService.vote(guildId, pollId, interaction.user.id, stars);
  await answer(interaction, {
    content: t('poll.youRated', { title: deps.pollService.filmOf(poll).title, stars: formatStars(stars) }),
    flags: MessageFlags.Ephemeral,
    allowedMentions: NO_MENTIONS,
  });
}

async function pick(t: Translator, interaction: StringSelectMenuInteraction, guildId: string, pollId: string, deps: Deps): Promise<void> {
  // Only the menu's own option values: the candidate's index, written as the menu writes it.
  const value = interaction.values.length === 1 ? interaction.values[0]! : '';
  if (!/^\d$/.test(value)) throw new UserFacingError(t('pick.notAChoice'));
  const choice = Number(value);
  let poll;
  try {
    poll = await deps.pollService.choose(guildId, pollId, interaction.user.id, choice);
  } catch (error) {
    if (error instanceof RangeError) throw new UserFacingError(t('pick.notAChoice'));
    throw error;
  }
  await answer(interaction, {
    content: t('pick.youPicked', { film: filmLabel(poll.candidates[choice]!.film) }),
    flags: MessageFlags.Ephemeral,
    allowedMentions: NO_MENTIONS,
  });
}

async function end(interaction: MessageComponentInteraction, guildId: string, pollId: string, deps: Deps): Promise<void> {
  const poll = await deps.polls.getAny(guildId, pollId);
  if (!poll) throw new PollNotFoundError(pollId);
  if (poll.status === 'closed') return showAlreadyClosed(interaction, poll, deps);
  assertMayEnd(memberTranslator(interaction), poll, interaction.user.id, interaction.memberPermissions);
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
  await sendFollowUp(interaction, { content: memberTranslator(interaction)('poll.alreadyClosedShown'), flags: MessageFlags.Ephemeral, allowedMentions: NO_MENTIONS });
}

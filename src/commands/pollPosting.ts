// Posting a poll (a rating poll or a pick vote) as a command's answer.
import type { ChatInputCommandInteraction } from 'discord.js';
import { answer } from '../discord/respond';
import { FAILED_TO_POST } from '../polls/pollService';
import type { AnyPoll } from '../storage/polls';
import type { Deps } from './types';

/**
 * Posts a poll of either kind as the answer and keeps its message id (for its tally edits). A poll
 * whose message never got posted is closed: nobody can see it, so it must not linger as open.
 */
export async function postPoll(interaction: ChatInputCommandInteraction, poll: AnyPoll, deps: Deps): Promise<void> {
  let messageId: string | undefined;
  try {
    messageId = await answer(interaction, deps.pollService.messageFor(poll));
  } catch (error) {
    await deps.pollService.close(poll.guildId, poll.id, FAILED_TO_POST).catch(() => undefined);
    throw error;
  }
  // The poll is posted and takes votes whatever happens here; the id only lets its tally show.
  if (messageId) await deps.pollService.attachMessage(poll.guildId, poll.id, messageId);
}

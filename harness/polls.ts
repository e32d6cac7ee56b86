// What a member does with a watch-party poll: start one, vote in its menu, press its End button.
import type { DiscordStandin } from './discord/standin';
import type { InteractionHandle, MemberInput, StoredMessage } from './discord/types';
import { BOOLEAN, FILM_CLUB, INTEGER, member, SCREENING_ROOM, str, sub } from './world';

const BUTTON = 2;
const STRING_SELECT = 3;

export const POLL_HOST = member(900);

export interface Where {
  guildId?: string;
  channelId?: string;
}

const place = (where: Where) => ({ guildId: where.guildId ?? FILM_CLUB.id, channelId: where.channelId ?? SCREENING_ROOM });

export async function startPoll(discord: DiscordStandin, options: { film?: string; duration?: number; blind?: boolean; user?: MemberInput } & Where = {}): Promise<StoredMessage> {
  const args = [str('film', options.film ?? 'her-smell')];
  if (options.duration) args.push({ name: 'duration', type: INTEGER, value: options.duration });
  if (options.blind) args.push({ name: 'blind', type: BOOLEAN, value: true });
  const message = await discord.slash({ name: 'watchparty', options: [sub('start', args)], user: options.user ?? POLL_HOST, ...place(options) }).reply();
  if (message.ephemeral) throw new Error(`the poll was not posted: ${message.content}`);
  return message;
}

export const selectOf = (poll: StoredMessage) => poll.components[0].components[0];
export const endButtonOf = (poll: StoredMessage) => poll.components[1].components[0];
export const pollIdOf = (poll: StoredMessage): string => String(selectOf(poll).custom_id).split(':')[2]!;

/** The poll message as it is now, after the bot's edits. */
export const currentPoll = (discord: DiscordStandin, poll: StoredMessage) => discord.message(poll.channelId, poll.id)!;

export function vote(discord: DiscordStandin, poll: StoredMessage, user: MemberInput, value: string, where: Where = {}): InteractionHandle {
  return discord.component({ customId: selectOf(poll).custom_id, componentType: STRING_SELECT, values: [value], message: poll, user, ...place(where) });
}

export function pressEnd(discord: DiscordStandin, poll: StoredMessage, user: MemberInput): InteractionHandle {
  return discord.component({ customId: endButtonOf(poll).custom_id, componentType: BUTTON, message: poll, user, ...place({}) });
}

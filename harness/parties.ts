// What a moderator does to schedule a watch party: `/watchparty schedule` with its options.
import type { DiscordStandin } from './discord/standin';
import type { MemberInput } from './discord/types';
import { MODERATOR } from './films';
import { str, sub } from './world';

export interface ScheduleOptions {
  guildId: string;
  channelId: string;
  when: string;
  film?: string;
  length?: number;
  /** Where the party happens (a voice, stage or text channel id). */
  channel?: string;
  user?: MemberInput;
}

export function scheduleParty(discord: DiscordStandin, options: ScheduleOptions) {
  return discord.slash({
    name: 'watchparty',
    options: [
      sub('schedule', [
        str('film', options.film ?? 'her-smell'),
        str('when', options.when),
        ...(options.length ? [{ name: 'length', type: 4, value: options.length }] : []),
        ...(options.channel ? [{ name: 'channel', type: 7, value: options.channel }] : []),
      ]),
    ],
    guildId: options.guildId,
    channelId: options.channelId,
    user: options.user ?? MODERATOR,
  });
}

/** The instant of the first `<t:…:F>` in a text, in ms. */
export const unixOf = (text: string) => Number(/<t:(\d+):F>/.exec(text)?.[1]) * 1000;

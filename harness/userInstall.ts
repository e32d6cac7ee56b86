// Acting as a member who installed Reelside to their own account (a user install), where the bot
// itself is not: their DM with the bot, or a server that never added Reelside.
import type { DiscordStandin } from './discord/standin';
import type { CommandOptionInput, InteractionHandle, MemberInput, RequestLogEntry, UserInstallPlace } from './discord/types';
import { member } from './world';

/** A server the bot is not in (none of the world's servers), where members use their user installs. */
export const BOTLESS_SERVER = { id: '200000000000000077', channelId: '270000000000000001' } as const;

export const IN_DM: UserInstallPlace = { context: 1 };
export const IN_BOTLESS_SERVER: UserInstallPlace = { context: 0, guildId: BOTLESS_SERVER.id, channelId: BOTLESS_SERVER.channelId };

/** `/name option:value …` typed where the member's user install is the only Reelside there. */
export function userInstallSlash(discord: DiscordStandin, where: UserInstallPlace, name: string, options: CommandOptionInput[] = [], user: MemberInput = member(1)): InteractionHandle {
  return discord.slash({ name, options, user, userInstall: where });
}

/**
 * REST requests that need the bot to be in a channel or server: anything but the interactions'
 * own callbacks and webhooks. In a user install's places none may be made (Discord refuses them).
 */
export function requestsOutsideInteractions(requests: readonly RequestLogEntry[]): RequestLogEntry[] {
  return requests.filter((request) => !/^\/api\/v\d+\/(interactions|webhooks)\//.test(request.path));
}

// Members' display names, read over REST: the bot caches no members (see memory.ts) and needs no
// privileged intent for a handful of them, asked for by id.
import { type APIGuildMember, type REST, Routes } from 'discord.js';

/** Long enough for a few reads, short enough that a slow Discord leaves the answer time to go out. */
const NAMES_WITHIN_MS = 2_000;

/**
 * The server display name of each member that could be read in time, by id. A member who left,
 * or a read that failed or took too long, is simply absent: callers show a mention instead.
 */
export async function displayNames(rest: REST, guildId: string, userIds: readonly string[]): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  const reads = Promise.allSettled(
    [...new Set(userIds)].map(async (userId) => {
      const member = (await rest.get(Routes.guildMember(guildId, userId))) as APIGuildMember;
      const name = member.nick ?? member.user.global_name ?? member.user.username;
      if (name) names.set(userId, name);
    }),
  );
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([reads, new Promise((resolve) => (timer = setTimeout(resolve, NAMES_WITHIN_MS)))]);
  clearTimeout(timer);
  // A copy: reads that finish later must not change what the caller is already showing.
  return new Map(names);
}

/**
 * Who and what exists: the configured guilds and channels, and each guild's members (the bot, the
 * owner, and everyone a test has used commands as), shared by the gateway and REST routes.
 */
import { apiGuildMember, apiMember, apiUser, defaultUsername } from './payloads';
import type { JsonObject, MemberInput, StandinGuild } from './types';

export interface ChannelRef {
  guild: StandinGuild;
  channel: { id: string; name: string };
}

export class GuildDirectory {
  /** When the bot "joined" every guild. */
  readonly joinedAt = new Date().toISOString();
  private readonly members = new Map<string, Map<string, MemberInput>>();

  constructor(
    readonly guilds: StandinGuild[],
    private readonly botUser: JsonObject,
  ) {
    for (const guild of guilds) {
      this.members.set(guild.id, new Map());
      this.addMember(guild.id, { id: guild.ownerId, username: defaultUsername(guild.ownerId) });
    }
  }

  guild(guildId: string | undefined): StandinGuild | undefined {
    return this.guilds.find((g) => g.id === guildId);
  }

  channel(channelId: string | undefined): ChannelRef | undefined {
    for (const guild of this.guilds) {
      const channel = guild.channels.find((c) => c.id === channelId);
      if (channel) return { guild, channel };
    }
    return undefined;
  }

  /** Remembers a member (first sight wins the name; later inputs may add roles). */
  addMember(guildId: string, member: MemberInput): void {
    const known = this.members.get(guildId);
    if (known && member.id !== this.botUser.id) known.set(member.id, { ...known.get(member.id), ...member });
  }

  /** The bot first (with its full bot user object), then everyone else known in the guild. */
  apiMembers(guildId: string): JsonObject[] {
    const others = [...(this.members.get(guildId)?.values() ?? [])].map((m) => apiGuildMember(m, this.joinedAt));
    return [apiMember(this.botUser, [], this.joinedAt), ...others];
  }

  apiMember(guildId: string, userId: string): JsonObject | undefined {
    if (userId === this.botUser.id) return this.members.has(guildId) ? apiMember(this.botUser, [], this.joinedAt) : undefined;
    const member = this.members.get(guildId)?.get(userId);
    return member ? apiGuildMember(member, this.joinedAt) : undefined;
  }

  apiUser(userId: string): JsonObject | undefined {
    if (userId === this.botUser.id) return this.botUser;
    for (const known of this.members.values()) {
      const member = known.get(userId);
      if (member) return apiUser(member.id, member.username ?? defaultUsername(member.id));
    }
    return undefined;
  }
}

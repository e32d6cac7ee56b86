/**
 * Who and what exists: the configured guilds and channels, each guild's members (the bot, the
 * owner, and everyone a test has used commands as), and what the bot may do where (its role's
 * permissions, channels where a moderator took away its Send Messages), shared by the gateway and
 * REST routes. The API objects built here carry that state, so the bot's own permission checks
 * (`guild.members.me.permissions`, `interaction.appPermissions`) see what the routes enforce.
 */
import {
  ChannelType,
  MANAGE_EVENTS,
  MEMBER_PERMISSIONS,
  Permission,
  apiBotRole,
  apiChannel,
  apiEveryoneRole,
  apiGuild,
  apiGuildMember,
  apiMember,
  apiUser,
  defaultUsername,
} from './payloads';
import { snowflake } from './util';
import type { JsonObject, MemberInput, StandinChannel, StandinGuild } from './types';

export interface ChannelRef {
  guild: StandinGuild;
  channel: StandinChannel;
}

const CHANNEL_TYPES = new Set<number>(Object.values(ChannelType));
const MEMBER_OVERWRITE = 1;

export class GuildDirectory {
  /** When the bot "joined" every guild. */
  readonly joinedAt = new Date().toISOString();
  private readonly members = new Map<string, Map<string, MemberInput>>();
  /** The id of the bot's managed role in each guild. */
  private readonly botRoles = new Map<string, string>();
  private readonly withoutManageEvents: Set<string>;
  /** Channels where a member overwrite denies the bot Send Messages. */
  private readonly sendDenied = new Set<string>();
  /** DMs and servers the bot is not in, known from user-install interactions there. */
  private readonly outsideChannels = new Set<string>();
  private readonly outsideGuilds = new Set<string>();

  constructor(
    readonly guilds: StandinGuild[],
    private readonly botUser: JsonObject,
    options: { withoutManageEvents?: string[] } = {},
  ) {
    this.withoutManageEvents = new Set(options.withoutManageEvents ?? []);
    for (const guild of guilds) {
      for (const channel of guild.channels) {
        if (channel.type !== undefined && !CHANNEL_TYPES.has(channel.type)) throw new Error(`Channel ${channel.id}: type ${channel.type} is not one the stand-in models (0 text, 2 voice, 13 stage)`);
      }
      this.members.set(guild.id, new Map());
      this.botRoles.set(guild.id, snowflake());
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

  /** Remembers a place a user-install interaction came from, where the bot itself has no access. */
  noteOutside(channelId: string, guildId?: string): void {
    if (this.channel(channelId) || (guildId !== undefined && this.guild(guildId))) throw new Error(`${guildId ?? channelId} is a place the bot is in: a user install there is not modelled`);
    this.outsideChannels.add(channelId);
    if (guildId !== undefined) this.outsideGuilds.add(guildId);
  }

  /** A channel or server the bot is not in but that exists (a user install was used there): 403 Missing Access, not 404. */
  isOutside(id: string | undefined): boolean {
    return id !== undefined && (this.outsideChannels.has(id) || this.outsideGuilds.has(id));
  }

  /** Deletes a channel; returns it as it was (for CHANNEL_DELETE), or undefined if there is none. */
  removeChannel(channelId: string): JsonObject | undefined {
    const ref = this.channel(channelId);
    if (!ref) return undefined;
    const last = this.apiChannel(ref);
    ref.guild.channels.splice(ref.guild.channels.indexOf(ref.channel), 1);
    this.sendDenied.delete(channelId);
    return last;
  }

  // -------------------------------------------------------------------------------------------
  // The bot's permissions

  botMayManageEvents(guildId: string): boolean {
    return !this.withoutManageEvents.has(guildId);
  }

  setManageEvents(guildId: string, allowed: boolean): void {
    if (allowed) this.withoutManageEvents.delete(guildId);
    else this.withoutManageEvents.add(guildId);
  }

  botMaySend(channelId: string): boolean {
    return !this.sendDenied.has(channelId);
  }

  denyBotSend(channelId: string): void {
    this.sendDenied.add(channelId);
  }

  /** What the bot may do in a channel: @everyone plus its role, less what the channel's overwrite denies. */
  appPermissions(guildId: string, channelId: string): string {
    let permissions = BigInt(MEMBER_PERMISSIONS) | (this.botMayManageEvents(guildId) ? MANAGE_EVENTS : 0n);
    if (!this.botMaySend(channelId)) permissions &= ~Permission.SendMessages;
    return permissions.toString();
  }

  // -------------------------------------------------------------------------------------------
  // API objects

  apiRoles(guildId: string): JsonObject[] {
    return [apiEveryoneRole(guildId), this.apiBotRole(guildId)];
  }

  apiBotRole(guildId: string): JsonObject {
    const permissions = BigInt(MEMBER_PERMISSIONS) | (this.botMayManageEvents(guildId) ? MANAGE_EVENTS : 0n);
    return apiBotRole({ guildId, roleId: this.botRoleId(guildId), botId: String(this.botUser.id), permissions });
  }

  apiGuild(guild: StandinGuild): JsonObject {
    return apiGuild(guild, this.apiRoles(guild.id));
  }

  apiChannel({ guild, channel }: ChannelRef): JsonObject {
    const overwrites = this.botMaySend(channel.id) ? [] : [{ id: String(this.botUser.id), type: MEMBER_OVERWRITE, allow: '0', deny: Permission.SendMessages.toString() }];
    return apiChannel(guild, channel, overwrites);
  }

  apiChannels(guild: StandinGuild): JsonObject[] {
    return guild.channels.map((channel) => this.apiChannel({ guild, channel }));
  }

  // -------------------------------------------------------------------------------------------
  // Members

  /** Remembers a member (first sight wins the name; later inputs may add roles). */
  addMember(guildId: string, member: MemberInput): void {
    const known = this.members.get(guildId);
    if (known && member.id !== this.botUser.id) known.set(member.id, { ...known.get(member.id), ...member });
  }

  /** The bot first (with its full bot user object and its role), then everyone else known in the guild. */
  apiMembers(guildId: string): JsonObject[] {
    const others = [...(this.members.get(guildId)?.values() ?? [])].map((m) => apiGuildMember(m, this.joinedAt));
    return [this.apiBotMember(guildId), ...others];
  }

  apiMember(guildId: string, userId: string): JsonObject | undefined {
    if (userId === this.botUser.id) return this.members.has(guildId) ? this.apiBotMember(guildId) : undefined;
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

  private apiBotMember(guildId: string): JsonObject {
    return apiMember(this.botUser, [this.botRoleId(guildId)], this.joinedAt);
  }

  private botRoleId(guildId: string): string {
    const id = this.botRoles.get(guildId);
    if (!id) throw new Error(`Unknown guild ${guildId}`);
    return id;
  }
}

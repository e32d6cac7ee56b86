/**
 * Builders for the Discord API objects the stand-in sends: users, members, roles, channels,
 * GUILD_CREATE, READY and INTERACTION_CREATE payloads. Field choices follow what discord.js 14
 * reads; the file that needs a field is cited where leaving it out would break the client.
 */
import { randomBytes } from 'node:crypto';
import type { CommandOptionInput, JsonObject, MemberInput, StandinChannel, StandinGuild } from './types';

const bit = (n: number): bigint => 1n << BigInt(n);

/** Permission bits (Discord's permission table) used by the defaults below. */
export const Permission = {
  CreateInstantInvite: bit(0),
  AddReactions: bit(6),
  ViewChannel: bit(10),
  SendMessages: bit(11),
  EmbedLinks: bit(14),
  AttachFiles: bit(15),
  ReadMessageHistory: bit(16),
  UseExternalEmojis: bit(18),
  Connect: bit(20),
  Speak: bit(21),
  ChangeNickname: bit(26),
  UseApplicationCommands: bit(31),
  CreatePublicThreads: bit(35),
  SendMessagesInThreads: bit(38),
} as const;

/** What @everyone gets in a new server, and so what an ordinary member (and the bot) can do. */
export const MEMBER_PERMISSIONS = Object.values(Permission)
  .reduce((all, flag) => all | flag, 0n)
  .toString();
/** Not an @everyone permission: the bot has it through its own role (see apiBotRole). */
export const MANAGE_EVENTS = bit(33);
/** Every permission bit up to USE_EXTERNAL_APPS (1 << 50): what the guild owner's interactions carry. */
export const ALL_PERMISSIONS = (bit(51) - 1n).toString();

/**
 * APPLICATION_COMMAND_BADGE | GATEWAY_MESSAGE_CONTENT_LIMITED | GATEWAY_GUILD_MEMBERS_LIMITED:
 * an ordinary unverified bot. discord.js's READY handler (client/websocket/handlers/READY.js)
 * builds ClientApplication from `application` and throws without it.
 */
export const APPLICATION_FLAGS = Number(bit(23) | bit(19) | bit(15));
export const BOT_USERNAME = 'Reelside';
const LOCALE = 'en-US';

/** The channel types the stand-in models (Discord's ChannelType numbers). */
export const ChannelType = { Text: 0, Voice: 2, Stage: 13 } as const;

export function apiUser(id: string, username: string): JsonObject {
  return { id, username, discriminator: '0', global_name: username, avatar: null, avatar_decoration_data: null, public_flags: 0, flags: 0 };
}

export function apiBotUser(applicationId: string): JsonObject {
  return { ...apiUser(applicationId, BOT_USERNAME), discriminator: '4821', global_name: null, bot: true, verified: true, mfa_enabled: false };
}

export function apiMember(user: JsonObject, roles: string[], joinedAt: string): JsonObject {
  return {
    user,
    nick: null,
    avatar: null,
    banner: null,
    roles,
    joined_at: joinedAt,
    premium_since: null,
    deaf: false,
    mute: false,
    pending: false,
    flags: 0,
    communication_disabled_until: null,
  };
}

/** The @everyone role, whose id is the guild id (Discord's convention; discord.js's `guild.roles.everyone` relies on it). */
export function apiEveryoneRole(guildId: string): JsonObject {
  return {
    id: guildId,
    name: '@everyone',
    color: 0,
    colors: { primary_color: 0, secondary_color: null, tertiary_color: null },
    hoist: false,
    icon: null,
    unicode_emoji: null,
    position: 0,
    permissions: MEMBER_PERMISSIONS,
    managed: false,
    mentionable: false,
    flags: 0,
  };
}

/**
 * The bot's own role, as Discord creates it when a bot joins with permissions: managed, tagged
 * with the bot's id, and holding what @everyone lacks (Manage Events here). discord.js adds it up
 * in `guild.members.me.permissions`.
 */
export function apiBotRole(input: { guildId: string; roleId: string; botId: string; permissions: bigint }): JsonObject {
  return {
    ...apiEveryoneRole(input.guildId),
    id: input.roleId,
    name: BOT_USERNAME,
    position: 1,
    permissions: input.permissions.toString(),
    managed: true,
    tags: { bot_id: input.botId },
  };
}

/**
 * A guild channel of its type (text by default). `permission_overwrites` must be an array:
 * GuildChannel._patch (structures/GuildChannel.js) iterates it. Channel names have no '#', so a
 * configured '#screening-room' is sent as 'screening-room'.
 */
export function apiChannel(guild: StandinGuild, channel: StandinChannel, overwrites: JsonObject[] = []): JsonObject {
  const type = channel.type ?? ChannelType.Text;
  const common = {
    id: channel.id,
    type,
    guild_id: guild.id,
    name: channel.name.replace(/^#/, ''),
    position: guild.channels.indexOf(channel),
    permission_overwrites: overwrites,
    parent_id: null,
    nsfw: false,
    // Voice and stage channels have a text chat too, so every type has these.
    last_message_id: null,
    rate_limit_per_user: 0,
    flags: 0,
  };
  if (type === ChannelType.Text) return { ...common, topic: null };
  // VoiceChannel / StageChannel (structures/BaseGuildVoiceChannel.js) read bitrate, user_limit, rtc_region.
  const voice = { ...common, bitrate: 64_000, user_limit: 0, rtc_region: null };
  return type === ChannelType.Voice ? { ...voice, video_quality_mode: 1 } : { ...voice, topic: null };
}

/** The guild as GET /guilds/:id returns it. BaseGuild (structures/BaseGuild.js) reads `features`. */
export function apiGuild(guild: StandinGuild, roles: JsonObject[]): JsonObject {
  return {
    id: guild.id,
    name: guild.name,
    icon: null,
    splash: null,
    discovery_splash: null,
    banner: null,
    description: null,
    owner_id: guild.ownerId,
    afk_channel_id: null,
    afk_timeout: 300,
    verification_level: 0,
    default_message_notifications: 0,
    explicit_content_filter: 0,
    mfa_level: 0,
    nsfw_level: 0,
    premium_tier: 0,
    premium_subscription_count: 0,
    premium_progress_bar_enabled: false,
    system_channel_id: guild.channels[0]?.id ?? null,
    system_channel_flags: 0,
    rules_channel_id: null,
    public_updates_channel_id: null,
    safety_alerts_channel_id: null,
    vanity_url_code: null,
    preferred_locale: guild.preferredLocale ?? LOCALE,
    max_members: 500000,
    application_id: null,
    features: [],
    roles,
    emojis: [],
    stickers: [],
  };
}

/** A guild member from a test's MemberInput (or just an id). */
export function apiGuildMember(member: MemberInput, joinedAt: string): JsonObject {
  return apiMember(apiUser(member.id, member.username ?? defaultUsername(member.id)), member.roles ?? [], joinedAt);
}

export interface GuildCreateInput {
  guild: StandinGuild;
  roles: JsonObject[];
  members: JsonObject[];
  channels: JsonObject[];
  scheduledEvents: JsonObject[];
  joinedAt: string;
}

/**
 * GUILD_CREATE. discord.js's Guild._patch (structures/Guild.js) keeps a guild unavailable unless
 * `unavailable` is false and `channels` is present, and refills its scheduled-event cache from
 * `guild_scheduled_events`.
 */
export function apiGuildCreate(input: GuildCreateInput): JsonObject {
  return {
    ...apiGuild(input.guild, input.roles),
    joined_at: input.joinedAt,
    large: false,
    unavailable: false,
    lazy: true,
    member_count: input.members.length,
    members: input.members,
    channels: input.channels,
    threads: [],
    presences: [],
    voice_states: [],
    stage_instances: [],
    guild_scheduled_events: input.scheduledEvents,
    soundboard_sounds: [],
  };
}

export function apiReady(input: { botUser: JsonObject; guildIds: string[]; sessionId: string; resumeUrl: string; shard: [number, number] }): JsonObject {
  return {
    v: 10,
    user: input.botUser,
    guilds: input.guildIds.map((id) => ({ id, unavailable: true })),
    session_id: input.sessionId,
    session_type: 'normal',
    resume_gateway_url: input.resumeUrl,
    shard: input.shard,
    application: { id: input.botUser.id, flags: APPLICATION_FLAGS },
    private_channels: [],
    relationships: [],
    presences: [],
    guild_join_requests: [],
    geo_ordered_rtc_regions: ['local'],
    user_settings: {},
    auth: {},
    _trace: ['["reelside-standin",{"micros":0}]'],
  };
}

export function defaultUsername(userId: string): string {
  return `member-${userId.slice(-4)}`;
}

// ---------------------------------------------------------------------------------------------
// INTERACTION_CREATE

export interface InteractionPayloadInput {
  id: string;
  token: string;
  applicationId: string;
  type: number;
  guild: StandinGuild;
  channel: StandinChannel;
  member: MemberInput;
  joinedAt: string;
  /** The bot's permissions in the channel (its roles and the channel's overwrites). */
  appPermissions: string;
  data: JsonObject;
  message?: JsonObject;
}

/**
 * INTERACTION_CREATE `d`. BaseInteraction (structures/BaseInteraction.js) reads `entitlements`
 * (reduce → must be an array), `authorizing_integration_owners`, `app_permissions` and
 * `member.permissions`; MessageComponentInteraction requires `message`.
 */
export function apiInteraction(input: InteractionPayloadInput): JsonObject {
  const permissions = memberPermissions(input.member, input.guild);
  return {
    ...envelope(input),
    guild_id: input.guild.id,
    guild: { id: input.guild.id, locale: input.guild.preferredLocale ?? LOCALE, features: [] },
    channel: { ...apiChannel(input.guild, input.channel), permissions },
    member: { ...apiGuildMember(input.member, input.joinedAt), permissions },
    app_permissions: input.appPermissions,
    guild_locale: input.guild.preferredLocale ?? LOCALE,
    // Guild install (integration type 0) authorised by this guild, as Discord sends it.
    authorizing_integration_owners: { '0': input.guild.id },
    context: 0,
  };
}

/** What every INTERACTION_CREATE `d` carries, wherever it happens and however it was authorised. */
function envelope(input: Pick<InteractionPayloadInput, 'id' | 'applicationId' | 'type' | 'token' | 'channel' | 'member' | 'data' | 'message'>): JsonObject {
  return {
    id: input.id,
    application_id: input.applicationId,
    type: input.type,
    token: input.token,
    version: 1,
    channel_id: input.channel.id,
    locale: input.member.locale ?? LOCALE,
    entitlements: [],
    attachment_size_limit: 10 * 1024 * 1024,
    data: input.data,
    ...(input.message ? { message: input.message } : {}),
  };
}

/** Discord's channel type of a DM between two users (the bot's own DMs included). */
const DM_CHANNEL = 1;

/**
 * What an interaction response can use where the bot is not (DMs, group DMs, servers without the
 * bot): Attach Files, Embed Links and Mention Everyone, plus Use External Emojis in the bot's own
 * DM. Nothing that needs the bot in the channel (View Channel, Send Messages).
 */
export function userInstallAppPermissions(context: 0 | 1 | 2): string {
  const always = Permission.AttachFiles | Permission.EmbedLinks | bit(17);
  return (context === 1 ? always | Permission.UseExternalEmojis : always).toString();
}

export interface UserInstallPayloadInput {
  id: string;
  token: string;
  applicationId: string;
  type: number;
  context: 0 | 1 | 2;
  /** A server the bot is not in (context 0); a DM has none. */
  guild?: StandinGuild;
  channel: StandinChannel;
  member: MemberInput;
  joinedAt: string;
  data: JsonObject;
  message?: JsonObject;
}

/**
 * INTERACTION_CREATE `d` for a user install: authorised by the user (`{"1": userId}`), not by a
 * server. In a DM (context 1 or 2) there is `user` instead of `member` and no `guild_id`; in a
 * server without the bot (context 0) there is a `member` as in any server, but the bot has no
 * GUILD_CREATE of it, so discord.js's `interaction.guild` is null while `guildId` is set.
 */
export function apiUserInstallInteraction(input: UserInstallPayloadInput): JsonObject {
  return {
    ...envelope(input),
    ...userInstallPlace(input),
    app_permissions: userInstallAppPermissions(input.context),
    authorizing_integration_owners: { '1': input.member.id },
    context: input.context,
  };
}

/** Who and where: a member of a server without the bot, or a user in a DM. */
function userInstallPlace(input: UserInstallPayloadInput): JsonObject {
  if (!input.guild) {
    const user = apiUser(input.member.id, input.member.username ?? defaultUsername(input.member.id));
    return { channel: { id: input.channel.id, type: DM_CHANNEL, last_message_id: null, flags: 0, recipients: [user] }, user };
  }
  const permissions = memberPermissions(input.member, input.guild);
  return {
    guild_id: input.guild.id,
    guild: { id: input.guild.id, locale: input.guild.preferredLocale ?? LOCALE, features: [] },
    guild_locale: input.guild.preferredLocale ?? LOCALE,
    channel: { ...apiChannel(input.guild, input.channel), permissions },
    member: { ...apiGuildMember(input.member, input.joinedAt), permissions },
  };
}

function memberPermissions(member: MemberInput, guild: StandinGuild): string {
  return member.permissions ?? (member.id === guild.ownerId ? ALL_PERMISSIONS : MEMBER_PERMISSIONS);
}

/** Command options as Discord sends them (subcommands nest, `focused` only where set). */
export function apiCommandOptions(options: CommandOptionInput[]): JsonObject[] {
  return options.map((option) => ({
    name: option.name,
    type: option.type,
    ...(option.value !== undefined ? { value: option.value } : {}),
    ...(option.focused ? { focused: true } : {}),
    ...(option.options ? { options: apiCommandOptions(option.options) } : {}),
  }));
}

const OptionType = { User: 6, Channel: 7, Role: 8, Mentionable: 9 } as const;

/**
 * `data.resolved` for user/channel/role/mentionable options: ChatInputCommandInteraction's
 * transformOption (structures/CommandInteraction.js) takes `option.user`, `.channel`, `.role` from it,
 * and getUser()/getChannel()/getRole() return null without it.
 */
export function apiResolved(options: CommandOptionInput[], guild: StandinGuild): JsonObject | undefined {
  const users: JsonObject = {};
  const members: JsonObject = {};
  const channels: JsonObject = {};
  const roles: JsonObject = {};
  const visit = (list: CommandOptionInput[]): void => {
    for (const option of list) {
      if (option.options) visit(option.options);
      if (typeof option.value !== 'string') continue;
      const id = option.value;
      if (option.type === OptionType.Role || (option.type === OptionType.Mentionable && id === guild.id)) {
        roles[id] = id === guild.id ? apiEveryoneRole(id) : { ...apiEveryoneRole(guild.id), id, name: `role-${id.slice(-4)}`, position: 1 };
      } else if (option.type === OptionType.User || option.type === OptionType.Mentionable) {
        const member = apiGuildMember({ id }, new Date(0).toISOString());
        users[id] = member.user;
        delete member.user;
        members[id] = { ...member, permissions: memberPermissions({ id }, guild) };
      } else if (option.type === OptionType.Channel) {
        const channel: StandinChannel = guild.channels.find((c) => c.id === id) ?? { id, name: `channel-${id.slice(-4)}` };
        channels[id] = { id, name: channel.name.replace(/^#/, ''), type: channel.type ?? ChannelType.Text, permissions: MEMBER_PERMISSIONS, parent_id: null, flags: 0 };
      }
    }
  };
  visit(options);
  const resolved: JsonObject = {};
  if (Object.keys(users).length > 0) Object.assign(resolved, { users, members });
  if (Object.keys(channels).length > 0) resolved.channels = channels;
  if (Object.keys(roles).length > 0) resolved.roles = roles;
  return Object.keys(resolved).length > 0 ? resolved : undefined;
}

/** A fresh interaction token: opaque, URL-safe and unguessable, like Discord's. */
export function interactionToken(id: string): string {
  return Buffer.from(`interaction:${id}:${randomBytes(48).toString('base64url')}`).toString('base64url');
}

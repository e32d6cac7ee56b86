// Client cache limits: keep only what the bot reads, so memory does not grow with the
// members, messages and emojis of thousands of servers it never looks at.
import { type CacheFactory, type CacheWithLimitsOptions, type ClientOptions, LimitedCollection, Options } from 'discord.js';

const keepSelf = { maxSize: 0, keepOverLimit: (entry: { id: string; client: { user: { id: string } | null } }) => entry.id === entry.client.user?.id };

// Interactions carry everything a handler needs (ids, member permissions, the app's own
// permissions, the message of a component), so nothing beyond guilds, channels and roles has to be
// cached. Not even the bot's own member in each server: nothing reads guild.members.me (which is
// null with this limit), and keeping it cost a collection and a member for every server.
const limits: CacheWithLimitsOptions = {
  ...Options.DefaultMakeCacheSettings,
  ApplicationCommandManager: 0,
  AutoModerationRuleManager: 0,
  BaseGuildEmojiManager: 0,
  DMMessageManager: 0,
  GuildBanManager: 0,
  GuildEmojiManager: 0,
  GuildForumThreadManager: 0,
  GuildInviteManager: 0,
  GuildMemberManager: 0,
  GuildMessageManager: 0,
  GuildScheduledEventManager: 0,
  GuildStickerManager: 0,
  GuildTextThreadManager: 0,
  MessageManager: 0,
  PresenceManager: 0,
  ReactionManager: 0,
  ReactionUserManager: 0,
  StageInstanceManager: 0,
  ThreadManager: 0,
  ThreadMemberManager: 0,
  UserManager: keepSelf,
  VoiceStateManager: 0,
};

// Per-server managers that discord.js's typings do not list but that honour makeCache like the
// others: the bot registers its commands over REST and never reads either cache.
const untypedLimits: Record<string, number> = {
  GuildApplicationCommandManager: 0,
  GuildSoundboardSoundManager: 0,
};

const withLimits = Options.cacheWithLimits(limits);
const settingOf = (name: string) => untypedLimits[name] ?? (limits as Record<string, unknown>)[name];

/**
 * A collection of at most 0 entries with nothing kept over the limit stores nothing
 * (LimitedCollection#set returns before storing), so it is empty for ever: one instance serves
 * every manager limited to 0. discord.js makes a cache for each of a dozen managers of every
 * server (and of every channel): one empty collection each was over 30,000 Maps for 2,500 servers,
 * several MB of heap that always held nothing.
 */
const nothingCached = new LimitedCollection({ maxSize: 0 });

const makeCache = ((managerType, holds, manager) => {
  const setting = settingOf(manager.name) ?? settingOf(managerType.name);
  if (setting === 0) return nothingCached;
  return withLimits(managerType, holds, manager);
}) as CacheFactory;

export const memoryLimits: Pick<ClientOptions, 'makeCache' | 'sweepers'> = {
  makeCache,
  sweepers: {
    ...Options.DefaultSweeperSettings,
    messages: { interval: 3_600, lifetime: 1_800 },
  },
};

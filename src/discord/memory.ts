// Client cache limits: keep only what the bot reads, so memory does not grow with the
// members, messages and emojis of thousands of servers it never looks at.
import { type ClientOptions, Options } from 'discord.js';

const keepSelf = { maxSize: 0, keepOverLimit: (entry: { id: string; client: { user: { id: string } | null } }) => entry.id === entry.client.user?.id };

export const memoryLimits: Pick<ClientOptions, 'makeCache' | 'sweepers'> = {
  // Interactions carry everything a handler needs (ids, member permissions, the message of a
  // component), so nothing beyond guilds, channels and roles has to be cached.
  makeCache: Options.cacheWithLimits({
    ...Options.DefaultMakeCacheSettings,
    ApplicationCommandManager: 0,
    AutoModerationRuleManager: 0,
    BaseGuildEmojiManager: 0,
    DMMessageManager: 0,
    GuildBanManager: 0,
    GuildEmojiManager: 0,
    GuildForumThreadManager: 0,
    GuildInviteManager: 0,
    GuildMemberManager: keepSelf,
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
  }),
  sweepers: {
    ...Options.DefaultSweeperSettings,
    messages: { interval: 3_600, lifetime: 1_800 },
  },
};

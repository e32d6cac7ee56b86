/**
 * The REST routes the stand-in serves: what discord.js (client, interactions, messages) and a
 * deploy script using @discordjs/rest call. Paths are relative to `/api/v10`.
 */
import { type CommandRegistry, validateCommands } from './commands';
import type { ChannelRef, GuildDirectory } from './directory';
import type { InteractionRegistry } from './interactions';
import { checkMessageBody } from './limits';
import type { MessageRecord, MessageStore } from './messages';

/** How long Discord remembers a message's nonce for `enforce_nonce` ("the past few minutes"). */
const NONCE_WINDOW_MS = 5 * 60_000;
import { APPLICATION_FLAGS, BOT_USERNAME } from './payloads';
import type { Route, RouteRequest, RouteResult } from './rest';
import type { Actor, ScheduledEventStore } from './scheduledEvents';
import { Errors, FormErrors, asRecord } from './util';
import type { JsonObject, StandinGuild } from './types';

export interface StandinCore {
  token: string;
  applicationId: string;
  directory: GuildDirectory;
  botUser: JsonObject;
  gatewayUrl: string;
  recommendedShards: number;
  missingCommandsScope: ReadonlySet<string>;
  messages: MessageStore;
  commands: CommandRegistry;
  interactions: InteractionRegistry;
  scheduledEvents: ScheduledEventStore;
}

const ok = (body: unknown): RouteResult => ({ status: 200, body });
const noContent: RouteResult = { status: 204 };

export function buildRoutes(core: StandinCore): Route[] {
  // A DM or a server the bot is not in (a member's user install was used there) exists, but the
  // bot has no access to it: Discord answers 403 Missing Access there, not 404.
  const findChannel = (channelId: string | undefined): ChannelRef => {
    const found = core.directory.channel(channelId);
    if (!found) throw core.directory.isOutside(channelId) ? Errors.missingAccess() : Errors.unknownChannel();
    return found;
  };
  const findGuild = (guildId: string | undefined): StandinGuild => {
    const guild = core.directory.guild(guildId);
    if (!guild) throw core.directory.isOutside(guildId) ? Errors.missingAccess() : Errors.unknownGuild();
    return guild;
  };

  /** A message visible through the channel routes: ephemeral messages are not. */
  const channelMessage = (req: RouteRequest): MessageRecord => {
    findChannel(req.params.channelId);
    const message = core.messages.get(req.params.messageId ?? '');
    if (!message || message.channelId !== req.params.channelId || message.ephemeral) throw Errors.unknownMessage();
    return message;
  };

  /** Posting and editing in a channel need Send Messages there (a moderator may have denied it). */
  const sendableChannel = (channelId: string | undefined): ChannelRef => {
    const found = findChannel(channelId);
    if (!core.directory.botMaySend(found.channel.id)) throw Errors.missingPermissions();
    return found;
  };

  const validMessageBody = (body: unknown): JsonObject => {
    const record = asRecord(body);
    const errors = new FormErrors();
    checkMessageBody(record, errors);
    errors.throwIfAny();
    return record;
  };

  const application = (): JsonObject => ({
    id: core.applicationId,
    name: BOT_USERNAME,
    icon: null,
    description: '',
    summary: '',
    type: null,
    bot_public: true,
    bot_require_code_grant: false,
    verify_key: '0'.repeat(64),
    flags: APPLICATION_FLAGS,
    owner: { id: core.directory.guilds[0]?.ownerId ?? core.applicationId, username: 'owner', discriminator: '0', avatar: null, flags: 0, public_flags: 0 },
    team: null,
    bot: core.botUser,
    approximate_guild_count: core.directory.guilds.length,
    interactions_endpoint_url: null,
    // Guild install and User Install both enabled (Developer Portal → Installation), as the README asks.
    integration_types_config: { '0': {}, '1': {} },
  });

  /** Command routes act on this application only; guild scopes need the bot in the guild with applications.commands. */
  const commandScope = (req: RouteRequest): string | undefined => {
    if (req.params.appId !== core.applicationId) throw Errors.notAuthorizedForApplication();
    const guildId = req.params.guildId;
    if (guildId !== undefined && (core.missingCommandsScope.has(guildId) || !core.directory.guild(guildId))) throw Errors.missingAccess();
    return guildId;
  };
  const listCommands = (req: RouteRequest): RouteResult => ok(core.commands.list(commandScope(req)));
  const overwriteCommands = (req: RouteRequest): RouteResult => {
    core.commands.registrations++;
    const guildId = commandScope(req);
    return ok(core.commands.overwrite(validateCommands(req.body), guildId));
  };

  /** Scheduled-event writes need Manage Events in the guild; reads do not. */
  const eventManager = (req: RouteRequest): { guildId: string; actor: Actor } => {
    const guild = findGuild(req.params.guildId);
    if (!core.directory.botMayManageEvents(guild.id)) throw Errors.missingPermissions();
    return { guildId: guild.id, actor: { userId: core.applicationId, ...(req.reason ? { reason: req.reason } : {}) } };
  };
  const withUserCount = (req: RouteRequest): boolean => req.query.get('with_user_count') === 'true';
  const scheduledEvent = (req: RouteRequest): JsonObject => {
    const guild = findGuild(req.params.guildId);
    return core.scheduledEvents.get(guild.id, req.params.eventId ?? '', withUserCount(req)) ?? Errors.unknownScheduledEvent().throw();
  };

  const webhook = (req: RouteRequest): { appId: string; token: string; body: unknown; files: RouteRequest['files'] } => ({
    appId: req.params.appId ?? '',
    token: req.params.token ?? '',
    body: req.body,
    files: req.files,
  });

  return [
    // Gateway discovery: discord.js has no gateway URL option, it asks here (@discordjs/ws fetchGatewayInformation).
    { method: 'GET', pattern: '/gateway', auth: false, handler: () => ok({ url: core.gatewayUrl }) },
    {
      method: 'GET',
      pattern: '/gateway/bot',
      auth: true,
      handler: () =>
        ok({
          url: core.gatewayUrl,
          shards: core.recommendedShards,
          // A high max_concurrency lets shards identify together (SimpleIdentifyThrottler keys on shardId % max_concurrency).
          session_start_limit: { total: 1000, remaining: 1000, reset_after: 0, max_concurrency: 16 },
        }),
    },
    { method: 'GET', pattern: '/users/@me', auth: true, handler: () => ok(core.botUser) },
    {
      method: 'GET',
      pattern: '/users/:userId',
      auth: true,
      handler: (req) => ok(core.directory.apiUser(req.params.userId ?? '') ?? Errors.unknownUser().throw()),
    },
    { method: 'GET', pattern: '/applications/@me', auth: true, handler: () => ok(application()) },
    { method: 'GET', pattern: '/oauth2/applications/@me', auth: true, handler: () => ok(application()) },

    { method: 'GET', pattern: '/applications/:appId/commands', auth: true, handler: listCommands },
    { method: 'PUT', pattern: '/applications/:appId/commands', auth: true, handler: overwriteCommands },
    { method: 'GET', pattern: '/applications/:appId/guilds/:guildId/commands', auth: true, handler: listCommands },
    { method: 'PUT', pattern: '/applications/:appId/guilds/:guildId/commands', auth: true, handler: overwriteCommands },

    { method: 'GET', pattern: '/guilds/:guildId', auth: true, handler: (req) => ok(core.directory.apiGuild(findGuild(req.params.guildId))) },
    { method: 'GET', pattern: '/guilds/:guildId/channels', auth: true, handler: (req) => ok(core.directory.apiChannels(findGuild(req.params.guildId))) },
    { method: 'GET', pattern: '/guilds/:guildId/roles', auth: true, handler: (req) => ok(core.directory.apiRoles(findGuild(req.params.guildId).id)) },
    {
      method: 'GET',
      pattern: '/guilds/:guildId/members/:userId',
      auth: true,
      handler: (req) => {
        const guild = findGuild(req.params.guildId);
        return ok(core.directory.apiMember(guild.id, req.params.userId ?? '') ?? Errors.unknownMember().throw());
      },
    },
    {
      method: 'GET',
      pattern: '/channels/:channelId',
      auth: true,
      handler: (req) => ok(core.directory.apiChannel(findChannel(req.params.channelId))),
    },
    {
      method: 'GET',
      pattern: '/channels/:channelId/messages',
      auth: true,
      handler: (req) => {
        findChannel(req.params.channelId);
        const limit = Math.min(100, Math.max(1, Number(req.query.get('limit') ?? 50)));
        const newestFirst = core.messages.inChannel(req.params.channelId ?? '').reverse();
        return ok(newestFirst.slice(0, limit).map((m) => core.messages.toApi(m)));
      },
    },
    {
      method: 'POST',
      pattern: '/channels/:channelId/messages',
      auth: true,
      handler: (req) => {
        const { guild, channel } = sendableChannel(req.params.channelId);
        const body = validMessageBody(req.body);
        // With `enforce_nonce`, a nonce the bot used in this channel in the last few minutes
        // returns that message instead of posting another (a retried post after a crash).
        const again = body.enforce_nonce === true && typeof body.nonce === 'string' ? core.messages.withNonce(channel.id, body.nonce, NONCE_WINDOW_MS) : undefined;
        if (again) return ok(core.messages.toApi(again));
        return ok(core.messages.toApi(core.messages.create({ channelId: channel.id, guildId: guild.id, body, files: req.files })));
      },
    },
    { method: 'GET', pattern: '/channels/:channelId/messages/:messageId', auth: true, handler: (req) => ok(core.messages.toApi(channelMessage(req))) },
    {
      method: 'PATCH',
      pattern: '/channels/:channelId/messages/:messageId',
      auth: true,
      handler: (req) => {
        const message = channelMessage(req);
        sendableChannel(message.channelId);
        if (message.authorId !== core.applicationId) throw Errors.cannotEditOthersMessage();
        return ok(core.messages.toApi(core.messages.edit(message, validMessageBody(req.body), req.files)));
      },
    },
    {
      method: 'DELETE',
      pattern: '/channels/:channelId/messages/:messageId',
      auth: true,
      handler: (req) => {
        core.messages.delete(channelMessage(req));
        return noContent;
      },
    },

    // Guild scheduled events (reads are open to members; writes need Manage Events).
    {
      method: 'GET',
      pattern: '/guilds/:guildId/scheduled-events',
      auth: true,
      handler: (req) => ok(core.scheduledEvents.list(findGuild(req.params.guildId).id, withUserCount(req))),
    },
    {
      method: 'POST',
      pattern: '/guilds/:guildId/scheduled-events',
      auth: true,
      handler: (req) => {
        const { guildId, actor } = eventManager(req);
        return ok(core.scheduledEvents.create(guildId, req.body, actor));
      },
    },
    { method: 'GET', pattern: '/guilds/:guildId/scheduled-events/:eventId', auth: true, handler: (req) => ok(scheduledEvent(req)) },
    {
      method: 'PATCH',
      pattern: '/guilds/:guildId/scheduled-events/:eventId',
      auth: true,
      handler: (req) => {
        const { guildId, actor } = eventManager(req);
        return ok(core.scheduledEvents.modify(guildId, req.params.eventId ?? '', req.body, actor));
      },
    },
    {
      method: 'DELETE',
      pattern: '/guilds/:guildId/scheduled-events/:eventId',
      auth: true,
      handler: (req) => {
        const { guildId, actor } = eventManager(req);
        core.scheduledEvents.delete(guildId, req.params.eventId ?? '', actor);
        return noContent;
      },
    },

    // Interaction responses: no bot token, the interaction token in the path is the credential.
    {
      method: 'POST',
      pattern: '/interactions/:id/:token/callback',
      auth: false,
      handler: (req) => core.interactions.callback(req.params.id ?? '', req.params.token ?? '', req.body, req.files, req.query.get('with_response') === 'true'),
    },
    { method: 'POST', pattern: '/webhooks/:appId/:token', auth: false, handler: (req) => core.interactions.followUp(webhook(req), req.query.get('wait') === 'true') },
    ...(['GET', 'PATCH', 'DELETE'] as const).map(
      (method): Route => ({
        method,
        pattern: '/webhooks/:appId/:token/messages/:messageId',
        auth: false,
        handler: (req) => core.interactions.webhookMessage(method, webhook(req), req.params.messageId ?? ''),
      }),
    ),
  ];
}

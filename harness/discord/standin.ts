/**
 * A loopback Discord stand-in that an unmodified discord.js 14 client (and @discordjs/rest) runs
 * against: REST under `apiUrl`, the gateway on the same port, and helpers to act as a server member
 * (slash commands, autocomplete, components) and to see what the bot posted.
 *
 *   const standin = await startStandin();
 *   const client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: standin.apiUrl } });
 *   await client.login(standin.token);
 *   await standin.waitForReady();
 *   const reply = await standin.slash({ name: 'film', options: [{ name: 'title', type: 3, value: 'Alien' }] }).reply();
 *
 * Modals: when the bot shows one (callback type 9, checked as Discord checks it: labels around a
 * text input, string/user/role/mentionable/channel select, file upload, radio group, checkbox group
 * or checkbox; text displays; older rows of text inputs), `modalSubmit` submits it as the client
 * would, mirroring its layout, with each input's result by custom_id:
 *
 *   await standin.modalSubmit({ customId: 'review', fields: { text: 'Great', stars: '5', spoilers: true, tags: ['noir'] } }).reply();
 *
 * `fields` takes a string for a text input, a string or null for a radio group, a boolean for a
 * checkbox, and a string[] for a select or checkbox group (ids for user/role/mentionable/channel
 * selects, which come with `data.resolved`); an input left out is sent untouched (its prefilled
 * value, its defaults, or empty; file uploads can only be left so). modalSubmit throws, dispatching nothing, what a
 * real client never sends: text over max_length (or under min_length), a required input left
 * empty, a value that is not one of the options, a field the modal does not have. For a custom_id
 * no modal was shown with, each field is sent as a text input in its own row (strings only).
 * Hostile-input tests send what no client would with `forgedModalSubmit({ customId, components,
 * resolved? })`, which dispatches `components` exactly as given.
 *
 * Guild state a test can change as a moderator would in the client: scheduled events
 * (moderatorEditScheduledEvent, moderatorDeleteScheduledEvent), channels (deleteChannel,
 * denyBotSendMessages) and the bot's Manage Events (setBotPermission); each change reaches the
 * bot as Discord's gateway event, and REST answers as Discord would afterwards.
 *
 * Modules: rest.ts + routes.ts (HTTP), gateway.ts (WebSocket), interactions.ts (callbacks, webhooks,
 * handles), messages.ts (message store), commands.ts (command registration), scheduledEvents.ts
 * (scheduled events), directory.ts (guilds, channels, members, the bot's permissions), limits.ts
 * (payload validation), modals.ts (modal submits), payloads.ts (API objects), attachments.ts (files
 * attached to slash commands, served over loopback HTTP at the URL in the payload).
 *
 * Attachment options (type 11) carry the member's file: `{ name: 'file', type: 11, attachment:
 * { filename: 'ratings.csv', bytes } }` dispatches its id with `data.resolved.attachments`.
 *
 * User installs: `userInstall: { context: 1 }` (the member's DM with the bot; 2 for another DM or
 * a group DM) or `{ context: 0, guildId, channelId? }` (a server the bot is not in) on any way of
 * acting as a member sends the interaction as Discord does when a member uses the app installed to
 * their own account there: authorised by the user, with `context`, and in a DM with `user` and no
 * guild. The bot is absent from those places, so REST calls on their channels and servers answer
 * 403 50001 Missing Access; the interaction's callback and webhook work as anywhere. (Opening the
 * bot's own DM with POST /users/@me/channels is not modelled.)
 */
import { EventEmitter } from 'node:events';
import { type Server, createServer } from 'node:http';
import { AttachmentStore } from './attachments';
import { CommandRegistry } from './commands';
import { type ChannelRef, GuildDirectory } from './directory';
import { Gateway, Intent } from './gateway';
import { InteractionRegistry, InteractionType } from './interactions';
import { MessageStore } from './messages';
import { modalSubmission } from './modals';
import { apiBotUser, apiCommandOptions, apiGuildCreate, apiInteraction, apiResolved, apiUser, apiUserInstallInteraction, defaultUsername, interactionToken } from './payloads';
import { RestServer } from './rest';
import { buildRoutes } from './routes';
import { type Actor, ScheduledEventStore } from './scheduledEvents';
import { ApiError, ChangeFeed, snowflake } from './util';
import type {
  AutocompleteInput,
  BotPermissionName,
  CommandOptionInput,
  ComponentInput,
  ForgedModalSubmitInput,
  GatewaySessionRecord,
  InteractionHandle,
  JsonObject,
  MemberInput,
  ModalSubmitInput,
  PlaceInput,
  RequestEvent,
  RequestLogEntry,
  ScheduledEventAuditEntry,
  ScheduledEventChanges,
  SlashInput,
  StandinChannel,
  StandinGuild,
  StandinOptions,
  StoredMessage,
  UserInstallPlace,
} from './types';

export type * from './types';
export { ALL_PERMISSIONS, ChannelType, MEMBER_PERMISSIONS } from './payloads';

export const DEFAULT_GUILD: StandinGuild = {
  id: '200000000000000001',
  name: 'Film Club',
  ownerId: '300000000000000001',
  channels: [{ id: '210000000000000001', name: '#screening-room' }],
};
/** Who uses commands when a test does not say: an ordinary member (not the owner). */
export const DEFAULT_MEMBER: MemberInput = { id: '400000000000000001', username: 'film-fan' };

const SELECT_MENU_TYPES = new Set([3, 5, 6, 7, 8]);
const ATTACHMENT_OPTION = 11;

/**
 * Where an interaction happens: a channel of a server the bot is in, or (with `context`) a place a
 * member's user install was used in, the bot being absent: a server (`guild`) or a DM (no `guild`).
 */
type Place = (ChannelRef & { context?: undefined }) | { guild?: StandinGuild; channel: StandinChannel; context: UserInstallPlace['context'] };

export async function startStandin(options: StandinOptions = {}): Promise<DiscordStandin> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  return new DiscordStandin(server, options);
}

export class DiscordStandin extends EventEmitter<{ request: [RequestEvent] }> {
  readonly apiUrl: string;
  readonly token: string;
  readonly applicationId: string;
  readonly guilds: StandinGuild[];
  /** Every REST request, in order. */
  readonly requests: RequestLogEntry[] = [];

  private readonly feed = new ChangeFeed();
  private readonly directory: GuildDirectory;
  private readonly messages: MessageStore;
  private readonly commands: CommandRegistry;
  private readonly interactions: InteractionRegistry;
  private readonly events: ScheduledEventStore;
  private readonly gateway: Gateway;
  private readonly attachments: AttachmentStore;
  /** Servers without the bot where user installs were used, and members' DM channels, by `context:userId`. */
  private readonly outsideGuilds = new Map<string, StandinGuild>();
  private readonly dmChannels = new Map<string, string>();

  /** Use startStandin(), which listens first so the port is known. */
  constructor(
    private readonly server: Server,
    options: StandinOptions = {},
  ) {
    super();
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('startStandin() must start the server listening on TCP first');
    const { port } = address;
    this.apiUrl = `http://127.0.0.1:${port}/api`;
    this.token = options.token ?? 'test-token';
    this.applicationId = options.applicationId ?? '100000000000000001';
    this.guilds = structuredClone(options.guilds ?? [DEFAULT_GUILD]);
    const botUser = apiBotUser(this.applicationId);
    const gatewayUrl = `ws://127.0.0.1:${port}`;
    this.attachments = new AttachmentStore(`http://127.0.0.1:${port}`);

    this.directory = new GuildDirectory(this.guilds, botUser, { withoutManageEvents: options.withoutManageEvents ?? [] });
    this.messages = new MessageStore(botUser, this.feed);
    this.commands = new CommandRegistry(this.applicationId);
    if (options.commands) {
      this.commands.overwrite(options.commands);
      this.commands.registrations = 0;
    }
    this.interactions = new InteractionRegistry(this.applicationId, options.interactionDeadlineMs ?? 3000, this.messages, this.feed);
    this.events = new ScheduledEventStore({
      directory: this.directory,
      botUser,
      feed: this.feed,
      publish: (guildId, event, data) => this.gateway.dispatchToGuild(guildId, event, data, Intent.GuildScheduledEvents),
    });
    this.gateway = new Gateway({
      server,
      url: gatewayUrl,
      token: this.token,
      botUser,
      directory: this.directory,
      guildCreate: (guildId) => this.guildCreate(guildId),
      feed: this.feed,
      heartbeatIntervalMs: options.heartbeatIntervalMs,
    });
    const routes = buildRoutes({
      token: this.token,
      applicationId: this.applicationId,
      directory: this.directory,
      botUser,
      gatewayUrl,
      recommendedShards: options.recommendedShards ?? 1,
      missingCommandsScope: new Set(options.missingCommandsScope ?? []),
      messages: this.messages,
      commands: this.commands,
      interactions: this.interactions,
      scheduledEvents: this.events,
    });
    const rest = new RestServer(routes, this.token, (event) => {
      this.requests.push({ method: event.method, path: event.path, status: event.status, at: event.at });
      this.emit('request', event);
    });
    server.on('request', (req, res) => {
      if (!this.attachments.serve(req, res)) rest.listener(req, res);
    });
  }

  async close(): Promise<void> {
    this.feed.failAll('The Discord stand-in was closed');
    this.gateway.close();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  // -------------------------------------------------------------------------------------------
  // Gateway

  /** Resolves once a client has identified and received READY and its GUILD_CREATEs (at once if one is connected). */
  async waitForReady(timeoutMs = 10_000): Promise<void> {
    await this.feed.waitFor(() => (this.gateway.isConnected() ? true : undefined), timeoutMs, () => 'a gateway client to IDENTIFY and receive READY + GUILD_CREATE');
  }

  isConnected(): boolean {
    return this.gateway.isConnected();
  }

  /**
   * Drops the gateway connection(s). The default 4000 (unknown error) makes the client try to
   * RESUME, which is refused, so it identifies again; 1000 makes it identify directly. Either way
   * @discordjs/ws waits ~5 s before re-identifying a shard that identified less than 5 s earlier.
   */
  disconnectGateway(code = 4000): void {
    this.gateway.disconnect(code);
  }

  /** Every gateway session that identified, in order, with its shard and when it identified and closed. */
  gatewaySessions(): GatewaySessionRecord[] {
    return structuredClone(this.gateway.history);
  }

  /** The most gateway sessions that served this guild's shard at the same moment (0 if none ever did). */
  mostSessionsAtOnce(guildId: string): number {
    return this.gateway.peakSessions.get(guildId) ?? 0;
  }

  // -------------------------------------------------------------------------------------------
  // Commands and messages

  /** The attachment id of every request for an attachment's bytes, in order (unknown ids too). */
  attachmentDownloads(): string[] {
    return [...this.attachments.downloads];
  }

  /** The last accepted bulk overwrite (global when guildId is undefined), with ids. */
  registeredCommands(guildId?: string): any[] {
    return this.commands.list(guildId);
  }

  /** How many PUT bulk overwrites were received (valid or not). */
  commandRegistrations(): number {
    return this.commands.registrations;
  }

  /** Messages visible in a channel (no ephemeral ones), current state, in posting order. */
  channelMessages(channelId: string): StoredMessage[] {
    return this.messages.inChannel(channelId).map((m) => this.messages.snapshot(m));
  }

  /** One message, ephemeral ones included (only the invoking user could see those). */
  message(channelId: string, messageId: string): StoredMessage | undefined {
    const record = this.messages.get(messageId);
    return record && record.channelId === channelId ? this.messages.snapshot(record) : undefined;
  }

  /** The first visible channel message, existing or future (edits count), that matches. */
  waitForChannelMessage(channelId: string, predicate: (m: StoredMessage) => boolean, timeoutMs = 5_000): Promise<StoredMessage> {
    return this.feed.waitFor(
      () => this.channelMessages(channelId).find(predicate),
      timeoutMs,
      () => `a matching message in channel ${channelId} (messages now: ${JSON.stringify(this.channelMessages(channelId).map((m) => m.content))})`,
    );
  }

  // -------------------------------------------------------------------------------------------
  // Scheduled events

  /**
   * The guild's scheduled events now, as full API JSON (`user_count` 0). Times are in Discord's
   * form (`2025-05-01T19:30:00.000000+00:00`), not necessarily as the bot sent them: compare them
   * with Date.parse.
   */
  scheduledEvents(guildId: string): any[] {
    return this.events.list(guildId, true);
  }

  scheduledEvent(guildId: string, eventId: string): any | undefined {
    return this.events.get(guildId, eventId, true);
  }

  /** Every scheduled-event create (100), update (101) and delete (102), in order, as the audit log has them. */
  scheduledEventAudit(guildId?: string): ScheduledEventAuditEntry[] {
    return structuredClone(this.events.audit.filter((entry) => guildId === undefined || entry.guildId === guildId));
  }

  /** The first of the guild's events, existing or future (changes count), that matches. */
  waitForScheduledEvent(guildId: string, predicate: (event: any) => boolean, timeoutMs = 5_000): Promise<any> {
    return this.feed.waitFor(
      () => this.scheduledEvents(guildId).find(predicate),
      timeoutMs,
      () => `a matching scheduled event in guild ${guildId} (events now: ${JSON.stringify(this.scheduledEvents(guildId).map((e) => [e.name, e.status]))})`,
    );
  }

  /**
   * A moderator edits an event in the client (starting it is `status: 2`, ending it 3, cancelling
   * it 4): Discord's rules for a PATCH apply, and the bot gets GUILD_SCHEDULED_EVENT_UPDATE.
   * Throws what Discord would refuse, with its answer in the message (and the ApiError as `cause`).
   */
  moderatorEditScheduledEvent(guildId: string, eventId: string, changes: ScheduledEventChanges): any {
    // Only the fields given: an explicit `undefined` is no change, as a JSON body would have it.
    const body = JSON.parse(JSON.stringify(changes)) as unknown;
    return asModerator(() => this.events.modify(guildId, eventId, body, this.moderator(guildId)));
  }

  /** A moderator deletes an event (the client's "Cancel Event" does this too): the bot gets GUILD_SCHEDULED_EVENT_DELETE. */
  moderatorDeleteScheduledEvent(guildId: string, eventId: string): void {
    asModerator(() => this.events.delete(guildId, eventId, this.moderator(guildId)));
  }

  // -------------------------------------------------------------------------------------------
  // Guild changes a moderator makes

  /**
   * Gives the bot's role a permission or takes it away (GUILD_ROLE_UPDATE reaches the bot, so
   * `guild.members.me.permissions` follows). Without Manage Events, scheduled-event writes in the
   * guild answer 403 50013.
   */
  setBotPermission(guildId: string, permission: BotPermissionName, allowed: boolean): void {
    const guild = this.requireGuild(guildId);
    if (permission !== 'ManageEvents') throw new Error(`setBotPermission: ${String(permission)} is not modelled`);
    this.directory.setManageEvents(guild.id, allowed);
    this.gateway.dispatchToGuild(guild.id, 'GUILD_ROLE_UPDATE', { guild_id: guild.id, role: this.directory.apiBotRole(guild.id) }, Intent.Guilds);
    this.feed.notify();
  }

  /** Deletes a channel (CHANNEL_DELETE reaches the bot); REST calls on it then answer 404 10003 Unknown Channel. */
  deleteChannel(channelId: string): void {
    const ref = this.directory.channel(channelId) ?? unknownChannel(channelId);
    const last = this.directory.removeChannel(channelId);
    if (last) this.gateway.dispatchToGuild(ref.guild.id, 'CHANNEL_DELETE', last, Intent.Guilds);
    this.feed.notify();
  }

  /**
   * Adds a channel overwrite denying the bot Send Messages (CHANNEL_UPDATE reaches the bot): posting
   * there, and editing its messages there, answer 403 50013 Missing Permissions. Interaction
   * replies still work, as on Discord (they go through the interaction's webhook).
   */
  denyBotSendMessages(channelId: string): void {
    const ref = this.directory.channel(channelId) ?? unknownChannel(channelId);
    this.directory.denyBotSend(channelId);
    this.gateway.dispatchToGuild(ref.guild.id, 'CHANNEL_UPDATE', this.directory.apiChannel(ref), Intent.Guilds);
    this.feed.notify();
  }

  private guildCreate(guildId: string): JsonObject {
    const guild = this.requireGuild(guildId);
    return apiGuildCreate({
      guild,
      roles: this.directory.apiRoles(guild.id),
      members: this.directory.apiMembers(guild.id),
      channels: this.directory.apiChannels(guild),
      scheduledEvents: this.events.list(guild.id, false),
      joinedAt: this.directory.joinedAt,
    });
  }

  /** Moderators' changes are made as the guild owner. */
  private moderator(guildId: string): Actor {
    return { userId: this.requireGuild(guildId).ownerId };
  }

  private requireGuild(guildId: string): StandinGuild {
    return this.directory.guild(guildId) ?? unknownGuild(guildId);
  }

  // -------------------------------------------------------------------------------------------
  // Acting as a member

  slash(input: SlashInput): InteractionHandle {
    return this.dispatch(InteractionType.ApplicationCommand, input, this.commandData(input, true), input.name);
  }

  autocomplete(input: AutocompleteInput): InteractionHandle {
    const focused = countFocused(input.options);
    if (focused !== 1) throw new Error(`autocomplete needs exactly one option with focused: true (got ${focused})`);
    return this.dispatch(InteractionType.Autocomplete, input, this.commandData(input, false), input.name);
  }

  component(input: ComponentInput): InteractionHandle {
    const data: JsonObject = {
      custom_id: input.customId,
      component_type: input.componentType,
      ...(SELECT_MENU_TYPES.has(input.componentType) ? { values: input.values ?? [] } : {}),
    };
    return this.dispatchOnMessage(InteractionType.MessageComponent, input, input.message, data);
  }

  /**
   * A member submits a modal the bot showed (callback type 9): the submit mirrors that modal (see
   * modals.ts), with `fields` by the inputs' custom_ids and untouched inputs as the client sends
   * them. Throws, dispatching nothing, what a real client would not send. Pass `message` when the
   * modal was opened from a component on that message.
   */
  modalSubmit(input: ModalSubmitInput): InteractionHandle {
    const place = this.place(input, input.channelId ?? input.message?.channelId);
    const submission = modalSubmission(input.customId, this.interactions.shownModal(input.customId), input.fields, resolvingGuild(place));
    return this.dispatchModalSubmit(input, { custom_id: input.customId, ...submission });
  }

  /** A modal submit with `components` (and `resolved`) exactly as given, unchecked: for hostile-input tests. */
  forgedModalSubmit(input: ForgedModalSubmitInput): InteractionHandle {
    const data: JsonObject = { custom_id: input.customId, components: input.components, ...(input.resolved === undefined ? {} : { resolved: input.resolved }) };
    return this.dispatchModalSubmit(input, data);
  }

  private dispatchModalSubmit(input: PlaceInput & { message?: { id: string; channelId: string } }, data: JsonObject): InteractionHandle {
    if (input.message) return this.dispatchOnMessage(InteractionType.ModalSubmit, input, input.message, data);
    return this.dispatch(InteractionType.ModalSubmit, input, data, undefined);
  }

  private dispatchOnMessage(type: number, input: PlaceInput, target: { id: string; channelId: string }, data: JsonObject): InteractionHandle {
    const { guild, channel, context } = this.place(input, input.userInstall?.channelId ?? input.channelId ?? target.channelId);
    // A message from before this stand-in started (e.g. an earlier bot run) is taken as the bot's.
    const message = this.messages.get(target.id) ?? this.messages.create({ id: target.id, channelId: channel.id, ...(guild ? { guildId: guild.id } : {}), body: {}, allowEmpty: true });
    const at: PlaceInput = context === undefined ? { guildId: guild?.id, channelId: channel.id } : { userInstall: { ...input.userInstall!, channelId: channel.id } };
    return this.dispatch(type, { ...input, ...at }, data, undefined, message.id);
  }

  private commandData(input: SlashInput, withResolved: boolean): JsonObject {
    const place = this.place(input);
    const command = this.commands.find(input.name, place.guild?.id);
    const attachments: JsonObject = {};
    const options = withResolved ? this.uploadAttachments(input.options ?? [], place.channel.id, attachments) : (input.options ?? []);
    const others = withResolved ? apiResolved(options, resolvingGuild(place)) : undefined;
    const resolved = Object.keys(attachments).length > 0 ? { ...others, attachments } : others;
    return {
      id: command?.id ?? snowflake(),
      name: input.name,
      type: 1,
      ...(command?.guild_id ? { guild_id: command.guild_id } : {}),
      ...(options.length > 0 ? { options: apiCommandOptions(options) } : {}),
      ...(resolved ? { resolved } : {}),
    };
  }

  /** Uploads the file of each attachment option: its value becomes the attachment's id, and its entry goes into `attachments`. */
  private uploadAttachments(options: CommandOptionInput[], channelId: string, attachments: JsonObject): CommandOptionInput[] {
    return options.map((option) => {
      if (option.options) return { ...option, options: this.uploadAttachments(option.options, channelId, attachments) };
      if (option.type !== ATTACHMENT_OPTION || !option.attachment) return option;
      const entry = this.attachments.add(option.attachment, channelId);
      attachments[String(entry.id)] = entry;
      return { name: option.name, type: option.type, value: String(entry.id) };
    });
  }

  private dispatch(type: number, input: PlaceInput, data: JsonObject, commandName: string | undefined, sourceMessageId?: string): InteractionHandle {
    const place = this.place(input);
    const { guild, channel } = place;
    // DMs reach shard 0, as Discord sends them (shardOf('0') is 0 for any shard count).
    const session = this.gateway.sessionFor(guild?.id ?? '0');
    if (!session) throw new Error(`No ready gateway connection for ${guild ? `guild ${guild.id}'s shard` : 'shard 0 (DMs)'}: call waitForReady() first`);
    const id = snowflake();
    const token = interactionToken(id);
    const source = sourceMessageId ? this.messages.get(sourceMessageId) : undefined;
    const member = input.user ?? DEFAULT_MEMBER;
    const message = source ? { message: this.messages.toApi(source) } : {};
    let payload: JsonObject;
    if (place.context === undefined) {
      this.directory.addMember(place.guild.id, member);
      const appPermissions = this.directory.appPermissions(place.guild.id, channel.id);
      payload = apiInteraction({ id, token, applicationId: this.applicationId, type, guild: place.guild, channel, member, joinedAt: this.directory.joinedAt, appPermissions, data, ...message });
    } else {
      payload = apiUserInstallInteraction({ id, token, applicationId: this.applicationId, type, context: place.context, ...(guild ? { guild } : {}), channel, member, joinedAt: this.directory.joinedAt, data, ...message });
    }
    const record = this.interactions.register({
      id,
      token,
      type,
      ...(guild ? { guildId: guild.id } : {}),
      channelId: channel.id,
      owners: payload.authorizing_integration_owners as JsonObject,
      user: apiUser(member.id, member.username ?? defaultUsername(member.id)),
      ...(commandName ? { commandName } : {}),
      ...(sourceMessageId ? { sourceMessageId } : {}),
      dispatchedAt: Date.now(),
    });
    session.dispatch('INTERACTION_CREATE', payload);
    return this.interactions.handle(record);
  }

  /**
   * Where an interaction happens: `locate` in a server the bot is in, or a user install's place,
   * which is made up on first use (a server's first channel, a member's DM) and remembered as a
   * place the bot has no access to.
   */
  private place(input: PlaceInput, channelId = input.channelId): Place {
    const where = input.userInstall;
    if (!where) return this.locate(input.guildId, channelId);
    const userId = (input.user ?? DEFAULT_MEMBER).id;
    const wanted = where.channelId ?? (input.channelId === channelId ? undefined : channelId);
    if (where.context !== 0) {
      const key = `${where.context}:${userId}`;
      const id = wanted ?? this.dmChannels.get(key) ?? snowflake();
      if (!wanted) this.dmChannels.set(key, id);
      this.directory.noteOutside(id);
      return { channel: { id, name: '' }, context: where.context };
    }
    let guild = this.outsideGuilds.get(where.guildId);
    if (!guild) {
      guild = { id: where.guildId, name: `Server ${where.guildId.slice(-4)}`, ownerId: snowflake(), channels: [{ id: snowflake(), name: 'general' }] };
      this.outsideGuilds.set(guild.id, guild);
    }
    let channel = wanted ? guild.channels.find((c) => c.id === wanted) : guild.channels[0];
    if (!channel) guild.channels.push((channel = { id: wanted!, name: `channel-${wanted!.slice(-4)}` }));
    this.directory.noteOutside(channel.id, guild.id);
    return { guild, channel, context: 0 };
  }

  /** The guild and channel an interaction happens in (defaults: first guild, its first channel). */
  private locate(guildId?: string, channelId?: string): ChannelRef {
    const guild = guildId ? this.directory.guild(guildId) : channelId ? this.directory.channel(channelId)?.guild : this.guilds[0];
    if (!guild) throw new Error(`Unknown guild ${guildId ?? `for channel ${channelId}`}`);
    const channel = channelId ? guild.channels.find((c) => c.id === channelId) : guild.channels[0];
    if (!channel) throw new Error(`Unknown channel ${channelId ?? '(guild has none)'} in guild ${guild.id}`);
    return { guild, channel };
  }
}

/** The server that option values (users, roles, channels) resolve in; a DM stands in as a server of its own channel. */
function resolvingGuild(place: Place): StandinGuild {
  return place.guild ?? { id: '0', name: '', ownerId: '0', channels: [place.channel] };
}

function unknownGuild(guildId: string): never {
  throw new Error(`Unknown guild ${guildId}`);
}

function unknownChannel(channelId: string): never {
  throw new Error(`Unknown channel ${channelId}`);
}

/** Runs a moderator's change; what Discord would refuse becomes an Error that says why. */
function asModerator<T>(change: () => T): T {
  try {
    return change();
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    throw new Error(`Discord would refuse this change: ${error.status} ${JSON.stringify(error.toBody())}`, { cause: error });
  }
}

function countFocused(options: CommandOptionInput[]): number {
  return options.reduce((n, option) => n + (option.focused ? 1 : 0) + countFocused(option.options ?? []), 0);
}

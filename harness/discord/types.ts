/**
 * Public types of the loopback Discord stand-in (see standin.ts).
 *
 * Message embeds/components and a few response fields are typed `any` on purpose: they are raw,
 * untyped Discord JSON that tests read freely (`m.embeds[0].title`), exactly as the bot sent it.
 */

/** An untyped JSON object as it travels over REST or the gateway. */
export type JsonObject = Record<string, unknown>;

export interface StandinChannel {
  id: string;
  name: string;
  /** 0 text (default), 2 voice, 13 stage. Voice and stage events need a channel of their type. */
  type?: number;
}

export interface StandinGuild {
  id: string;
  name: string;
  ownerId: string;
  channels: StandinChannel[];
  /** The server's language (`preferred_locale`, and `guild_locale` on its interactions). Default en-US. */
  preferredLocale?: string;
}

export interface StandinOptions {
  /** Bot token; REST calls with another bot token get 401 `{code: 0, message: '401: Unauthorized'}`. Default 'test-token'. */
  token?: string;
  /** Application id, which is also the bot user's id. Default '100000000000000001'. */
  applicationId?: string;
  /** Default: one guild 'Film Club' with one text channel. */
  guilds?: StandinGuild[];
  /** How long the bot has for the initial interaction callback. Default 3000 (Discord's). */
  interactionDeadlineMs?: number;
  /** Guild ids where PUT guild commands answers 403 `{code: 50001, message: 'Missing Access'}`. */
  missingCommandsScope?: string[];
  /** `shards` in GET /gateway/bot. Default 1. */
  recommendedShards?: number;
  /** Port to listen on (127.0.0.1). Default 0 = random. */
  port?: number;
  /**
   * Global commands registered before this stand-in started, as Discord keeps them from a bot's
   * earlier run (a bot that finds them unchanged does not register them again). Default: none.
   */
  commands?: JsonObject[];
  /** `heartbeat_interval` in HELLO. Default 41250 (Discord's); shorter gives the bot a gateway ping sooner. */
  heartbeatIntervalMs?: number;
  /**
   * Guild ids where the bot's role lacks Manage Events (it has it elsewhere): scheduled-event
   * writes there answer 403 `{code: 50013, message: 'Missing Permissions'}`. See also setBotPermission().
   */
  withoutManageEvents?: string[];
}

/** Bot permissions a test can take away or give back with setBotPermission(). */
export type BotPermissionName = 'ManageEvents';

/** What a moderator can change on a scheduled event in the client (moderatorEditScheduledEvent). */
export interface ScheduledEventChanges {
  scheduled_start_time?: string;
  scheduled_end_time?: string;
  /** 2 start, 3 end (from active), 4 cancel (from scheduled). */
  status?: number;
  name?: string;
  description?: string;
}

/**
 * One scheduled-event change, as Discord's audit log records it (action types 100 create,
 * 101 update, 102 delete; `changes` hold the fields that changed, with old and new values).
 */
export interface ScheduledEventAuditEntry {
  actionType: 100 | 101 | 102;
  guildId: string;
  eventId: string;
  /** Who made the change: the bot (REST) or the guild owner (a moderator in the client). */
  userId: string;
  changes: { key: string; old_value?: unknown; new_value?: unknown }[];
  /** The X-Audit-Log-Reason the bot sent, if any. */
  reason?: string;
  at: number;
}

export interface CommandOptionInput {
  name: string;
  /** ApplicationCommandOptionType: 1 subcommand, 2 group, 3 string, 4 integer, 5 boolean, 6 user, 7 channel, 8 role, 10 number, 11 attachment. */
  type: number;
  value?: string | number | boolean;
  focused?: boolean;
  /** Subcommands (type 1) and groups (type 2) nest their options here. */
  options?: CommandOptionInput[];
  /**
   * For an attachment option (type 11): the file the member uploads. The option's value becomes
   * the attachment's id, `data.resolved.attachments` describes it, and the stand-in serves its
   * bytes at the URL given there (see attachmentDownloads()).
   */
  attachment?: AttachmentInput;
}

export interface AttachmentInput {
  filename: string;
  bytes: Uint8Array;
  /** Default: from the extension (text/csv, application/zip, else application/octet-stream). */
  contentType?: string;
  /** The `size` the payload declares; default the real size. A forged or stale payload may lie. */
  declaredSize?: number;
}

export interface MemberInput {
  id: string;
  username?: string;
  /** Computed permission bitfield string. Default: an ordinary member's (view, send, history, embed, …); the guild owner gets all. */
  permissions?: string;
  roles?: string[];
  /** The member's client language, sent as each interaction's `locale`. Default en-US. */
  locale?: string;
}

export interface StoredAttachment {
  id: string;
  filename: string;
  size: number;
  contentType?: string;
}

export interface StoredMessage {
  id: string;
  channelId: string;
  guildId?: string;
  /** '' when the message has no text (Discord sends '' too). */
  content?: string;
  embeds: any[];
  components: any[];
  flags: number;
  ephemeral: boolean;
  authorId: string;
  /** Number of edits (PATCHes, update callbacks, a deferred reply being filled in). */
  editCount: number;
  /** Set on interaction replies and follow-ups. */
  interactionId?: string;
  /** `allowed_mentions` of the last payload that created or edited this message (undefined if never sent). */
  allowedMentions?: any;
  attachments: StoredAttachment[];
  timestamp: string;
  editedTimestamp: string | null;
}

/** A gateway session that identified: the shard it served, and from when until when (ms since the epoch). */
export interface GatewaySessionRecord {
  sessionId: string;
  /** [shard id, shard count], as sent in IDENTIFY. */
  shard: [number, number];
  identifiedAt: number;
  /** When its connection closed; undefined while it is open. */
  closedAt: number | undefined;
}

export interface RequestLogEntry {
  method: string;
  /** URL pathname without the query, e.g. '/api/v10/channels/210000000000000001/messages'. */
  path: string;
  status: number;
  at: number;
}

/** What the 'request' event carries: the log entry plus the parsed bodies. */
export interface RequestEvent extends RequestLogEntry {
  requestBody: unknown;
  responseBody: unknown;
}

export interface InteractionResponse {
  /** Interaction callback type: 4 reply, 5 deferred reply, 6 deferred update, 7 update, 8 autocomplete result, 9 modal. */
  type: number;
  data?: any;
  at: number;
  latencyMs: number;
}

export interface InteractionHandle {
  id: string;
  token: string;
  dispatchedAt: number;
  /** The initial callback. Rejects as soon as the deadline has passed without one ("This interaction failed"). */
  response(timeoutMs?: number): Promise<InteractionResponse>;
  /**
   * The message the user sees: for type 4 the reply; for type 5 waits until the deferred message is
   * filled in (PATCH @original or the first follow-up); for 6 waits for the PATCH of the component's
   * message; for 7 the updated message. Rejects for 8 and 9.
   */
  reply(timeoutMs?: number): Promise<StoredMessage>;
  followUps(): StoredMessage[];
  /** Resolves with the next follow-up not yet returned by an earlier waitForFollowUp call. */
  waitForFollowUp(timeoutMs?: number): Promise<StoredMessage>;
  /** The autocomplete result (callback type 8). */
  choices(timeoutMs?: number): Promise<{ name: string; value: string | number }[]>;
}

/**
 * Where a member uses the app installed to their own account (a user install), instead of in a
 * server that added it: `context` 1 their DM with the bot, 2 a DM or group DM between users, 0 a
 * server the bot is not in (any ids but the stand-in's guilds'). The interaction is authorised by
 * the user (`authorizing_integration_owners: {"1": userId}`); a DM has `user` and no `member` nor
 * `guild_id`. The bot is not in any of these places: channel (and guild) REST calls there answer
 * 403 `{code: 50001, message: 'Missing Access'}`, while the interaction's callback and webhook work.
 */
export type UserInstallPlace =
  | { context: 1 | 2; channelId?: string }
  | { context: 0; guildId: string; channelId?: string };

/** What every way of acting as a member takes, besides its own fields. */
export interface PlaceInput {
  guildId?: string;
  channelId?: string;
  user?: MemberInput;
  /** Act through a user install in a DM or a server without the bot (guildId and channelId are then ignored). */
  userInstall?: UserInstallPlace;
}

export interface SlashInput extends PlaceInput {
  name: string;
  options?: CommandOptionInput[];
}

export interface AutocompleteInput extends SlashInput {
  /** Exactly one (possibly nested) option has `focused: true`. */
  options: CommandOptionInput[];
}

export interface ComponentInput extends PlaceInput {
  customId: string;
  /** 2 button, 3 string select, 5 user, 6 role, 7 mentionable, 8 channel select. */
  componentType: number;
  values?: string[];
  message: StoredMessage | { id: string; channelId: string };
}

/**
 * What a member leaves in one modal input: a text input's text (string), a radio group's choice
 * (string, or null for none), a checkbox's state (boolean), the values picked in a string select,
 * checkbox group or user/role/mentionable/channel select (string[]; ids for the last four).
 */
export type ModalFieldValue = string | boolean | string[] | null;

export interface ModalSubmitInput extends PlaceInput {
  /** The modal's custom_id. */
  customId: string;
  /**
   * What the member entered, by the inputs' custom_ids. An input left out is submitted untouched
   * (its prefilled value or defaults). Without a shown modal of this custom_id, every field is
   * sent as a text input in an action row, and only strings are taken.
   */
  fields: Record<string, ModalFieldValue>;
  /** The message whose component opened the modal, if any (allows update/deferUpdate answers). */
  message?: StoredMessage | { id: string; channelId: string };
}

/** A modal submit no Discord client would send: `components` (and `resolved`) are dispatched exactly as given. */
export interface ForgedModalSubmitInput extends PlaceInput {
  /** The modal's custom_id, shown or not. */
  customId: string;
  /** `data.components`, any shape. */
  components: unknown[];
  /** `data.resolved`, if any. */
  resolved?: unknown;
  message?: StoredMessage | { id: string; channelId: string };
}

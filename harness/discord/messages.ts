/**
 * The messages the bot has posted: channel messages, interaction replies (ephemeral ones included,
 * but kept out of channel listings) and follow-ups, with Discord's create/edit semantics.
 */
import { MessageFlags, hasVisibleContent } from './limits';
import { type ChangeFeed, Errors, asArray, isRecord, snowflake } from './util';
import type { JsonObject, StoredAttachment, StoredMessage } from './types';

/** The ChangeFeed topic notified whenever this message is created, edited or deleted. */
export const messageTopic = (id: string) => `message:${id}`;

export interface UploadedFile {
  filename: string;
  size: number;
  contentType?: string;
}

/** A stored message plus what only the API representation needs. */
export interface MessageRecord extends StoredMessage {
  content: string;
  /** Discord message type: 0 default, 20 chat input command reply. */
  type: number;
  /** Interaction messages are sent through the application's webhook. */
  webhookId?: string;
  interactionMetadata?: JsonObject;
  deleted: boolean;
  /** What the sender sent as `nonce`, and when: see `withNonce`. */
  nonce?: string;
  createdAt?: number;
}

export interface CreateMessageInput {
  /** Only for a message a test says already exists (e.g. posted by an earlier run of the bot). */
  id?: string;
  channelId: string;
  guildId?: string;
  body: JsonObject;
  files?: UploadedFile[];
  type?: number;
  ephemeral?: boolean;
  /** Extra flags the stand-in sets itself (LOADING on a deferred reply). */
  extraFlags?: number;
  /** A deferred reply's placeholder is legitimately empty. */
  allowEmpty?: boolean;
  interaction?: { id: string; metadata: JsonObject };
}

/**
 * Flags a sender may set on a new message; the rest are Discord's to set. EPHEMERAL only counts
 * where the caller says so (interaction responses), via `CreateMessageInput.ephemeral`.
 */
const SETTABLE_FLAGS = MessageFlags.SuppressEmbeds | MessageFlags.SuppressNotifications | MessageFlags.IsComponentsV2;

/** Discord stores embeds with `type: 'rich'` and sends them back that way. */
function normalizeEmbeds(value: unknown): JsonObject[] {
  return asArray(value)
    .filter(isRecord)
    .map((embed) => ({ type: 'rich', ...structuredClone(embed) }));
}

function newAttachments(files: UploadedFile[] | undefined): StoredAttachment[] {
  return (files ?? []).map((file) => ({ id: snowflake(), filename: file.filename, size: file.size, ...(file.contentType ? { contentType: file.contentType } : {}) }));
}

export class MessageStore {
  private readonly byId = new Map<string, MessageRecord>();
  private readonly channelOrder = new Map<string, string[]>();

  constructor(
    private readonly botUser: JsonObject,
    private readonly feed: ChangeFeed,
  ) {}

  get(id: string): MessageRecord | undefined {
    const record = this.byId.get(id);
    return record && !record.deleted ? record : undefined;
  }

  /** Visible channel messages in posting order (no ephemeral, no deleted; `channelOrder` holds no ephemeral ones). */
  inChannel(channelId: string): MessageRecord[] {
    return (this.channelOrder.get(channelId) ?? [])
      .map((id) => this.byId.get(id))
      .filter((m): m is MessageRecord => m !== undefined && !m.deleted && !m.ephemeral);
  }

  /** The bot's message in `channelId` sent with `nonce` within the last `windowMs`, if any. */
  withNonce(channelId: string, nonce: string, windowMs: number): MessageRecord | undefined {
    const since = Date.now() - windowMs;
    return this.inChannel(channelId).find((message) => message.nonce === nonce && (message.createdAt ?? 0) >= since);
  }

  create(input: CreateMessageInput): MessageRecord {
    const { body } = input;
    const attachments = newAttachments(input.files);
    if (!input.allowEmpty && !hasVisibleContent({ ...body, attachments })) throw Errors.emptyMessage();
    const requestedFlags = typeof body.flags === 'number' ? body.flags : 0;
    const flags = (requestedFlags & SETTABLE_FLAGS) | (input.ephemeral ? MessageFlags.Ephemeral : 0) | (input.extraFlags ?? 0);
    const record: MessageRecord = {
      id: input.id ?? snowflake(),
      channelId: input.channelId,
      ...(input.guildId ? { guildId: input.guildId } : {}),
      content: typeof body.content === 'string' ? body.content : '',
      embeds: normalizeEmbeds(body.embeds),
      components: structuredClone(asArray(body.components)),
      flags,
      ephemeral: (flags & MessageFlags.Ephemeral) !== 0,
      authorId: String(this.botUser.id),
      editCount: 0,
      ...(input.interaction ? { interactionId: input.interaction.id, interactionMetadata: input.interaction.metadata, webhookId: String(this.botUser.id) } : {}),
      ...('allowed_mentions' in body ? { allowedMentions: structuredClone(body.allowed_mentions) } : {}),
      attachments,
      timestamp: new Date().toISOString(),
      editedTimestamp: null,
      type: input.type ?? 0,
      deleted: false,
      ...(typeof body.nonce === 'string' ? { nonce: body.nonce } : {}),
      createdAt: Date.now(),
    };
    const order = this.channelOrder.get(record.channelId) ?? [];
    // Only what channel listings show: thousands of ephemeral replies would make every listing slow.
    const previous = this.byId.get(record.id);
    if (!record.ephemeral && (!previous || previous.ephemeral)) order.push(record.id);
    this.channelOrder.set(record.channelId, order);
    this.byId.set(record.id, record);
    this.notify(record);
    return record;
  }

  /**
   * PATCH semantics: fields present in the body replace the stored ones (null clears), absent
   * fields are kept. The result must still show something (50006 otherwise).
   */
  edit(record: MessageRecord, body: JsonObject, files?: UploadedFile[]): MessageRecord {
    const has = (key: string): boolean => key in body;
    const keptAttachments = has('attachments')
      ? record.attachments.filter((a) => asArray(body.attachments).some((kept) => isRecord(kept) && String(kept.id) === a.id))
      : record.attachments;
    const next = {
      content: has('content') ? (typeof body.content === 'string' ? body.content : '') : record.content,
      embeds: has('embeds') ? normalizeEmbeds(body.embeds) : record.embeds,
      components: has('components') ? structuredClone(asArray(body.components)) : record.components,
      attachments: [...keptAttachments, ...newAttachments(files)],
    };
    if (!hasVisibleContent(next)) throw Errors.emptyMessage();
    Object.assign(record, next);
    if (typeof body.flags === 'number') {
      // Only SUPPRESS_EMBEDS can be toggled on an existing message.
      record.flags = (record.flags & ~MessageFlags.SuppressEmbeds) | (body.flags & MessageFlags.SuppressEmbeds);
    }
    // Filling in a deferred reply ends its "is thinking…" state.
    record.flags &= ~MessageFlags.Loading;
    if (has('allowed_mentions')) record.allowedMentions = structuredClone(body.allowed_mentions);
    record.editCount++;
    record.editedTimestamp = new Date().toISOString();
    this.notify(record);
    return record;
  }

  delete(record: MessageRecord): void {
    record.deleted = true;
    this.notify(record);
  }

  private notify(record: MessageRecord): void {
    this.feed.notify();
    this.feed.notify(messageTopic(record.id));
  }

  /** A detached copy for tests, so later edits do not change what a test already holds. */
  snapshot(record: MessageRecord): StoredMessage {
    return {
      id: record.id,
      channelId: record.channelId,
      ...(record.guildId ? { guildId: record.guildId } : {}),
      content: record.content,
      embeds: structuredClone(record.embeds),
      components: structuredClone(record.components),
      flags: record.flags,
      ephemeral: record.ephemeral,
      authorId: record.authorId,
      editCount: record.editCount,
      ...(record.interactionId ? { interactionId: record.interactionId } : {}),
      ...('allowedMentions' in record ? { allowedMentions: structuredClone(record.allowedMentions) } : {}),
      attachments: structuredClone(record.attachments),
      timestamp: record.timestamp,
      editedTimestamp: record.editedTimestamp,
    };
  }

  /** The message object as Discord's REST API and gateway send it (structures/Message.js reads these). */
  toApi(record: MessageRecord): JsonObject {
    return {
      id: record.id,
      type: record.type,
      channel_id: record.channelId,
      author: this.botUser,
      content: record.content,
      timestamp: record.timestamp,
      edited_timestamp: record.editedTimestamp,
      tts: false,
      mention_everyone: false,
      mentions: [],
      mention_roles: [],
      attachments: record.attachments.map((a) => ({
        id: a.id,
        filename: a.filename,
        size: a.size,
        url: `https://cdn.discordapp.com/attachments/${record.channelId}/${a.id}/${a.filename}`,
        proxy_url: `https://media.discordapp.net/attachments/${record.channelId}/${a.id}/${a.filename}`,
        ...(a.contentType ? { content_type: a.contentType } : {}),
      })),
      embeds: structuredClone(record.embeds),
      components: structuredClone(record.components),
      pinned: false,
      flags: record.flags,
      ...(record.webhookId ? { webhook_id: record.webhookId, application_id: record.webhookId } : {}),
      ...(record.interactionMetadata ? { interaction_metadata: record.interactionMetadata } : {}),
    };
  }
}

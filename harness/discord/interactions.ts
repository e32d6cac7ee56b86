/**
 * Interactions after they are dispatched: the initial callback (POST /interactions/:id/:token/callback),
 * the interaction webhook (follow-ups, @original), and the handles tests use to see the outcome.
 */
import { MessageFlags, checkAutocompleteData, checkMessageBody, checkModalData } from './limits';
import { type MessageRecord, type MessageStore, messageTopic, type UploadedFile } from './messages';
import type { RouteResult } from './rest';
import { type ChangeFeed, Errors, FormErrors, asArray, asRecord, isRecord } from './util';
import type { InteractionHandle, InteractionResponse, JsonObject, StoredMessage } from './types';

/** The ChangeFeed topic of an interaction's initial response. */
const interactionTopic = (id: string) => `interaction:${id}`;

export const InteractionType = { ApplicationCommand: 2, MessageComponent: 3, Autocomplete: 4, ModalSubmit: 5 } as const;
const Callback = { Reply: 4, DeferredReply: 5, DeferredUpdate: 6, Update: 7, AutocompleteResult: 8, Modal: 9 } as const;

/** Which callback types Discord accepts for which interaction type. */
const ALLOWED_CALLBACKS: Record<number, readonly number[]> = {
  [InteractionType.ApplicationCommand]: [Callback.Reply, Callback.DeferredReply, Callback.Modal],
  [InteractionType.MessageComponent]: [Callback.Reply, Callback.DeferredReply, Callback.DeferredUpdate, Callback.Update, Callback.Modal],
  [InteractionType.Autocomplete]: [Callback.AutocompleteResult],
  [InteractionType.ModalSubmit]: [Callback.Reply, Callback.DeferredReply, Callback.DeferredUpdate, Callback.Update],
};

/** Interaction tokens (for follow-ups and edits) stay valid for 15 minutes. */
const TOKEN_LIFETIME_MS = 15 * 60_000;
const MESSAGE_TYPE_CHAT_INPUT_COMMAND = 20;

export interface InteractionRecord {
  id: string;
  token: string;
  type: number;
  /** None in a DM. */
  guildId?: string;
  channelId: string;
  user: JsonObject;
  /** `authorizing_integration_owners` as the interaction carried it: `{"0": guildId}` for a guild install, `{"1": userId}` for a user install. */
  owners: JsonObject;
  commandName?: string;
  /** The message a component was used on. */
  sourceMessageId?: string;
  dispatchedAt: number;
  initial?: { type: number; data?: JsonObject; at: number };
  /** What `@original` refers to once the interaction is acknowledged. */
  originalMessageId?: string;
  /** editCount of @original right after the initial callback; a higher count means the bot followed up with an edit. */
  originalBaseline: number;
  followUpIds: string[];
  followUpCursor: number;
}

export interface WebhookRequest {
  appId: string;
  token: string;
  body: unknown;
  files: UploadedFile[];
}

export class InteractionRegistry {
  private readonly byId = new Map<string, InteractionRecord>();
  private readonly byToken = new Map<string, InteractionRecord>();

  constructor(
    private readonly applicationId: string,
    private readonly deadlineMs: number,
    private readonly messages: MessageStore,
    private readonly feed: ChangeFeed,
  ) {}

  register(fields: Omit<InteractionRecord, 'originalBaseline' | 'followUpIds' | 'followUpCursor'>): InteractionRecord {
    const record: InteractionRecord = { ...fields, originalBaseline: 0, followUpIds: [], followUpCursor: 0 };
    this.byId.set(record.id, record);
    this.byToken.set(record.token, record);
    return record;
  }

  /** The newest modal the bot showed with this custom_id (callback type 9), as sent. */
  shownModal(customId: string): JsonObject | undefined {
    let newest: InteractionRecord | undefined;
    for (const record of this.byId.values()) {
      if (record.initial?.type !== Callback.Modal || record.initial.data?.custom_id !== customId) continue;
      if (!newest || record.initial.at >= newest.initial!.at) newest = record;
    }
    return newest?.initial?.data;
  }

  // -------------------------------------------------------------------------------------------
  // POST /interactions/:id/:token/callback

  callback(id: string, token: string, rawBody: unknown, files: UploadedFile[], withResponse: boolean): RouteResult {
    const record = this.byId.get(id);
    if (!record || record.token !== token) throw Errors.unknownInteraction();
    if (record.initial) throw Errors.alreadyAcknowledged();
    // After the deadline Discord has already shown "This interaction failed" and forgotten it.
    if (Date.now() > record.dispatchedAt + this.deadlineMs) throw Errors.unknownInteraction();

    const body = asRecord(rawBody);
    const type = body.type;
    const data = asRecord(body.data);
    const errors = new FormErrors();
    // A modal submitted from a slash command has no message to update.
    const allowed = (ALLOWED_CALLBACKS[record.type] ?? []).filter(
      (t) => record.sourceMessageId !== undefined || (t !== Callback.DeferredUpdate && t !== Callback.Update),
    );
    if (typeof type !== 'number' || !allowed.includes(type)) {
      errors.add(['type'], 'BASE_TYPE_CHOICES', `Value must be one of {${allowed.join(', ')}}.`);
      throw errors.toError();
    }
    if (type === Callback.Reply || type === Callback.Update) checkMessageBody(data, errors, ['data']);
    if (type === Callback.AutocompleteResult) checkAutocompleteData(data, errors, ['data']);
    if (type === Callback.Modal) checkModalData(data, errors, ['data']);
    errors.throwIfAny();

    const original = this.applyCallback(record, type, data, files);
    record.originalMessageId = original?.id;
    record.originalBaseline = original?.editCount ?? 0;
    record.initial = { type, ...('data' in body ? { data: structuredClone(data) } : {}), at: Date.now() };
    this.feed.notify();
    // Only this wakes the handle's response() waits (see ChangeFeed topics).
    this.feed.notify(interactionTopic(record.id));
    return withResponse ? { status: 200, body: this.callbackResponse(record, type, original) } : { status: 204 };
  }

  /** Performs the callback's effect and returns the message that becomes @original, if any. */
  private applyCallback(record: InteractionRecord, type: number, data: JsonObject, files: UploadedFile[]): MessageRecord | undefined {
    const ephemeral = typeof data.flags === 'number' && (data.flags & MessageFlags.Ephemeral) !== 0;
    const source = record.sourceMessageId ? this.messages.get(record.sourceMessageId) : undefined;
    switch (type) {
      case Callback.Reply:
        return this.messages.create({ ...this.messageBase(record), body: data, files, ephemeral });
      case Callback.DeferredReply:
        // The "<bot> is thinking…" placeholder: an empty message with the LOADING flag.
        return this.messages.create({ ...this.messageBase(record), body: {}, ephemeral, extraFlags: MessageFlags.Loading, allowEmpty: true });
      case Callback.DeferredUpdate:
        return source;
      case Callback.Update:
        if (!source) throw Errors.unknownMessage();
        return this.messages.edit(source, data, files);
      default:
        return undefined;
    }
  }

  /**
   * `?with_response=true` body, as InteractionCallbackResponse (structures/InteractionCallbackResponse.js)
   * reads it; `resource.message` only for replies and updates, like Discord.
   */
  private callbackResponse(record: InteractionRecord, type: number, original: MessageRecord | undefined): JsonObject {
    const interaction: JsonObject = { id: record.id, type: record.type, activity_instance_id: null };
    if (original) {
      Object.assign(interaction, {
        response_message_id: original.id,
        response_message_loading: (original.flags & MessageFlags.Loading) !== 0,
        response_message_ephemeral: original.ephemeral,
      });
    }
    const withMessage = type === Callback.Reply || type === Callback.Update;
    const resource = original ? { type, ...(withMessage ? { message: this.messages.toApi(original) } : {}) } : undefined;
    return resource ? { interaction, resource } : { interaction };
  }

  private messageBase(record: InteractionRecord): { channelId: string; guildId?: string; type: number; interaction: { id: string; metadata: JsonObject } } {
    const metadata: JsonObject = {
      id: record.id,
      type: record.type,
      user: record.user,
      authorizing_integration_owners: record.owners,
      ...(record.commandName ? { name: record.commandName, command_type: 1 } : {}),
      ...(record.sourceMessageId ? { interacted_message_id: record.sourceMessageId } : {}),
      ...(record.originalMessageId ? { original_response_message_id: record.originalMessageId } : {}),
    };
    return {
      channelId: record.channelId,
      ...(record.guildId ? { guildId: record.guildId } : {}),
      type: record.type === InteractionType.ApplicationCommand ? MESSAGE_TYPE_CHAT_INPUT_COMMAND : 0,
      interaction: { id: record.id, metadata },
    };
  }

  // -------------------------------------------------------------------------------------------
  // The interaction webhook: /webhooks/:appId/:token…

  private webhookRecord(appId: string, token: string): InteractionRecord {
    const record = this.byToken.get(token);
    if (appId !== this.applicationId || !record) throw Errors.unknownWebhook();
    if (Date.now() > record.dispatchedAt + TOKEN_LIFETIME_MS) throw Errors.invalidWebhookToken();
    return record;
  }

  /** POST /webhooks/:appId/:token (follow-up). */
  followUp(request: WebhookRequest, wait: boolean): RouteResult {
    const record = this.webhookRecord(request.appId, request.token);
    if (!record.initial) throw Errors.unknownWebhook();
    const body = asRecord(request.body);
    const errors = new FormErrors();
    checkMessageBody(body, errors);
    errors.throwIfAny();

    const original = record.originalMessageId ? this.messages.get(record.originalMessageId) : undefined;
    let message: MessageRecord;
    if (record.initial.type === Callback.DeferredReply && original && (original.flags & MessageFlags.Loading) !== 0) {
      // Discord turns the first follow-up after a deferred reply into that reply (it fills in the
      // "is thinking…" message, which keeps the ephemerality chosen when deferring).
      message = this.messages.edit(original, body, request.files);
    } else {
      const ephemeral = typeof body.flags === 'number' && (body.flags & MessageFlags.Ephemeral) !== 0;
      message = this.messages.create({ ...this.messageBase(record), body, files: request.files, ephemeral });
    }
    record.followUpIds.push(message.id);
    this.feed.notify();
    return wait ? { status: 200, body: this.messages.toApi(message) } : { status: 204 };
  }

  /** GET/PATCH/DELETE /webhooks/:appId/:token/messages/:messageId ('@original' included). */
  webhookMessage(method: string, request: WebhookRequest, messageId: string): RouteResult {
    const record = this.webhookRecord(request.appId, request.token);
    const id = messageId === '@original' ? record.originalMessageId : messageId;
    const owned = id !== undefined && (id === record.originalMessageId || record.followUpIds.includes(id));
    const message = owned ? this.messages.get(id) : undefined;
    if (!message) throw Errors.unknownMessage();
    if (method === 'GET') return { status: 200, body: this.messages.toApi(message) };
    if (method === 'DELETE') {
      this.messages.delete(message);
      return { status: 204 };
    }
    const body = asRecord(request.body);
    const errors = new FormErrors();
    checkMessageBody(body, errors);
    errors.throwIfAny();
    this.messages.edit(message, body, request.files);
    return { status: 200, body: this.messages.toApi(message) };
  }

  // -------------------------------------------------------------------------------------------
  // Handles for tests

  handle(record: InteractionRecord): InteractionHandle {
    const what = `interaction ${record.id} (${record.commandName ? `/${record.commandName}` : `type ${record.type}`})`;
    const deadline = record.dispatchedAt + this.deadlineMs;
    const snapshot = (id: string | undefined): StoredMessage | undefined => {
      const message = id ? this.messages.get(id) : undefined;
      return message ? this.messages.snapshot(message) : undefined;
    };

    const response = async (timeoutMs = 5_000): Promise<InteractionResponse> => {
      const toResponse = (): InteractionResponse | undefined =>
        record.initial && { ...record.initial, latencyMs: record.initial.at - record.dispatchedAt };
      // No callback can be accepted after the deadline, so stop waiting there.
      const limit = Math.min(timeoutMs, Math.max(0, deadline - Date.now()) + 25);
      try {
        return await this.feed.waitFor(toResponse, limit, () => `the initial response to ${what}`, interactionTopic(record.id));
      } catch (error) {
        if (!record.initial && Date.now() > deadline) {
          throw new Error(`${what} was not acknowledged within ${this.deadlineMs} ms: Discord would show "This interaction failed"`);
        }
        throw error;
      }
    };

    const reply = async (timeoutMs = 10_000): Promise<StoredMessage> => {
      const started = Date.now();
      const { type } = await response(timeoutMs);
      if (type === Callback.Reply || type === Callback.Update) {
        const message = snapshot(record.originalMessageId);
        if (!message) throw new Error(`the reply to ${what} was deleted`);
        return message;
      }
      if (type === Callback.DeferredReply || type === Callback.DeferredUpdate) {
        const id = record.originalMessageId;
        // Copied only once edited: thousands of deferred interactions may be waiting at once.
        return this.feed.waitFor(
          () => {
            const message = id ? this.messages.get(id) : undefined;
            return message && message.editCount > record.originalBaseline ? this.messages.snapshot(message) : undefined;
          },
          timeoutMs - (Date.now() - started),
          () => `the deferred reply to ${what} to be edited (callback type ${type})`,
          id ? messageTopic(id) : undefined,
        );
      }
      throw new Error(`${what} was answered with callback type ${type}, which shows no message`);
    };

    return {
      id: record.id,
      token: record.token,
      dispatchedAt: record.dispatchedAt,
      response,
      reply,
      followUps: () => record.followUpIds.map(snapshot).filter((m): m is StoredMessage => m !== undefined),
      waitForFollowUp: (timeoutMs = 10_000) => {
        const index = record.followUpCursor++;
        return this.feed.waitFor(() => snapshot(record.followUpIds[index]), timeoutMs, () => `follow-up #${index + 1} to ${what}`);
      },
      choices: async (timeoutMs = 5_000) => {
        const { type, data } = await response(timeoutMs);
        if (type !== Callback.AutocompleteResult) throw new Error(`${what} was answered with callback type ${type}, not 8 (autocomplete result)`);
        return asArray(asRecord(data).choices)
          .filter(isRecord)
          .map((choice) => ({ name: String(choice.name), value: typeof choice.value === 'number' ? choice.value : String(choice.value) }));
      },
    };
  }
}

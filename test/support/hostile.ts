// Tools for hostile-input tests: a seeded PRNG, a recorder of everything the bot sends to the
// Discord stand-in, and checks that no outgoing payload can mention (ping) anyone.
import type { DiscordStandin, RequestEvent } from '../../harness/discord/standin';
import { seededRandom } from '../../harness/random';

/** mulberry32, seeded, so a failing run can be replayed exactly. */
export { seededRandom };

export interface Picker {
  random: () => number;
  int(min: number, maxInclusive: number): number;
  pick<T>(list: readonly T[]): T;
  /** A string of `length` characters drawn from `alphabet`. */
  junk(length: number, alphabet?: string): string;
}

export function picker(seed: number): Picker {
  const random = seededRandom(seed);
  const int = (min: number, maxInclusive: number) => min + Math.floor(random() * (maxInclusive - min + 1));
  return {
    random,
    int,
    pick: <T>(list: readonly T[]) => list[int(0, list.length - 1)]!,
    junk: (length, alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789:/._-|#@!%$&*()[]{}<>~`') =>
      Array.from({ length }, () => alphabet[int(0, alphabet.length - 1)]).join(''),
  };
}

/** One message-shaped payload the bot sent: an interaction callback, a webhook call or a channel message. */
export interface OutgoingMessage {
  method: string;
  path: string;
  status: number;
  /** 'callback' (POST …/callback), 'webhook' (follow-ups, @original edits) or 'channel' (POST/PATCH channel messages). */
  via: 'callback' | 'webhook' | 'channel';
  /** The interaction callback type for 'callback' (4 reply, 5 deferred, 6 deferred update, 7 update, 8 choices, 9 modal). */
  callbackType?: number;
  /** The message body (the callback's `data`), or undefined when the callback carries none. */
  body: Record<string, unknown> | undefined;
}

const CALLBACK = /^\/api(?:\/v\d+)?\/interactions\/[^/]+\/[^/]+\/callback$/;
const WEBHOOK = /^\/api(?:\/v\d+)?\/webhooks\/[^/]+\/[^/]+(?:\/messages\/[^/]+)?$/;
const CHANNEL_MESSAGE = /^\/api(?:\/v\d+)?\/channels\/[^/]+\/messages(?:\/[^/]+)?$/;

const asObject = (value: unknown): Record<string, unknown> | undefined =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;

/** Records every message-carrying request the bot makes from now until `stop()`. */
export function recordOutgoing(discord: DiscordStandin): { messages: OutgoingMessage[]; stop(): void } {
  const messages: OutgoingMessage[] = [];
  const listener = (event: RequestEvent) => {
    if (event.method === 'GET' || event.method === 'DELETE') return;
    const base = { method: event.method, path: event.path, status: event.status };
    if (CALLBACK.test(event.path)) {
      const request = asObject(event.requestBody);
      messages.push({ ...base, via: 'callback', callbackType: typeof request?.type === 'number' ? request.type : undefined, body: asObject(request?.data) });
    } else if (WEBHOOK.test(event.path)) {
      messages.push({ ...base, via: 'webhook', body: asObject(event.requestBody) });
    } else if (CHANNEL_MESSAGE.test(event.path)) {
      messages.push({ ...base, via: 'channel', body: asObject(event.requestBody) });
    }
  };
  discord.on('request', listener);
  return { messages, stop: () => discord.off('request', listener) };
}

/** Whether this payload shows a message (and so could mention someone if allowed to). */
export function carriesMessage(message: OutgoingMessage): boolean {
  if (message.via !== 'callback') return true;
  // 4 reply and 7 update carry a message; 5/6 (deferrals) carry only flags, 8 carries autocomplete
  // choices (never rendered as mentions), 9 a modal.
  return message.callbackType === 4 || message.callbackType === 7;
}

/**
 * Why this message body could ping someone, or undefined when it cannot. Discord parses every
 * mention in `content` when `allowed_mentions` is absent, so it must be present, with no `parse`
 * entry and no explicit `users`/`roles` lists.
 */
export function mentionHazard(body: Record<string, unknown> | undefined): string | undefined {
  const allowed = asObject(body?.allowed_mentions);
  if (!allowed) return `no allowed_mentions (Discord would parse every mention): ${JSON.stringify(body)?.slice(0, 200)}`;
  const parse = allowed.parse;
  if (!Array.isArray(parse)) return `allowed_mentions.parse is not a list: ${JSON.stringify(allowed)}`;
  if (parse.length > 0) return `allowed_mentions.parse allows ${JSON.stringify(parse)}`;
  for (const key of ['users', 'roles'] as const) {
    const list = allowed[key];
    if (Array.isArray(list) && list.length > 0) return `allowed_mentions.${key} names ${JSON.stringify(list)}`;
  }
  if (allowed.replied_user === true) return 'allowed_mentions.replied_user is true';
  return undefined;
}

/** Every piece of text a member would read in a message body: content and every embed text field. */
export function visibleTexts(body: Record<string, unknown> | undefined): string[] {
  if (!body) return [];
  const texts: string[] = [];
  if (typeof body.content === 'string') texts.push(body.content);
  for (const embed of Array.isArray(body.embeds) ? body.embeds : []) {
    const e = asObject(embed) ?? {};
    for (const key of ['title', 'description']) if (typeof e[key] === 'string') texts.push(e[key]);
    for (const nested of ['footer', 'author']) {
      const text = asObject(e[nested])?.[nested === 'footer' ? 'text' : 'name'];
      if (typeof text === 'string') texts.push(text);
    }
    for (const field of Array.isArray(e.fields) ? e.fields : []) {
      const f = asObject(field) ?? {};
      if (typeof f.name === 'string') texts.push(f.name);
      if (typeof f.value === 'string') texts.push(f.value);
    }
  }
  return texts;
}

/** `@everyone` / `@here` exactly as Discord recognises them (no zero-width character after the @). */
export const RAW_MASS_MENTION = /@(everyone|here)/;

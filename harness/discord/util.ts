/** Small shared pieces of the stand-in: ids, API errors, form-body errors and a wait-for-change helper. */
import type { JsonObject } from './types';

export function isRecord(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The value as a JSON object, or an empty one (for optional nested payload parts). */
export function asRecord(value: unknown): JsonObject {
  return isRecord(value) ? value : {};
}

export function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

// ---------------------------------------------------------------------------------------------
// Snowflakes

const DISCORD_EPOCH = 1420070400000n;
let lastSnowflake = 0n;

/**
 * A new Discord-style snowflake: milliseconds since the Discord epoch shifted left by 22 bits, so
 * discord.js's `createdTimestamp` is right. Module-wide and strictly increasing, so ids stay unique
 * even across several stand-ins in one process.
 */
export function snowflake(): string {
  let id = (BigInt(Date.now()) - DISCORD_EPOCH) << 22n;
  if (id <= lastSnowflake) id = lastSnowflake + 1n;
  lastSnowflake = id;
  return id.toString();
}

// ---------------------------------------------------------------------------------------------
// API errors

/** An error answer in Discord's shape `{code, message, errors?}`. Route handlers throw these. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
    readonly errors?: JsonObject,
  ) {
    super(message);
  }

  /** For use in expressions: `value ?? Errors.unknownUser().throw()`. */
  throw(): never {
    throw this;
  }

  toBody(): JsonObject {
    return this.errors ? { code: this.code, message: this.message, errors: this.errors } : { code: this.code, message: this.message };
  }
}

/** The errors Discord answers with, by name; codes from Discord's JSON error code table. */
export const Errors = {
  unauthorized: () => new ApiError(401, 0, '401: Unauthorized'),
  notFound: () => new ApiError(404, 0, '404: Not Found'),
  methodNotAllowed: () => new ApiError(405, 0, '405: Method Not Allowed'),
  unknownChannel: () => new ApiError(404, 10003, 'Unknown Channel'),
  unknownGuild: () => new ApiError(404, 10004, 'Unknown Guild'),
  unknownMember: () => new ApiError(404, 10007, 'Unknown Member'),
  unknownMessage: () => new ApiError(404, 10008, 'Unknown Message'),
  unknownUser: () => new ApiError(404, 10013, 'Unknown User'),
  unknownWebhook: () => new ApiError(404, 10015, 'Unknown Webhook'),
  unknownInteraction: () => new ApiError(404, 10062, 'Unknown interaction'),
  unknownScheduledEvent: () => new ApiError(404, 10070, 'Unknown Guild Scheduled Event'),
  notAuthorizedForApplication: () =>
    new ApiError(403, 20012, 'You are not authorized to perform this action on this application'),
  alreadyAcknowledged: () => new ApiError(400, 40060, 'Interaction has already been acknowledged.'),
  missingAccess: () => new ApiError(403, 50001, 'Missing Access'),
  cannotEditOthersMessage: () => new ApiError(403, 50005, 'Cannot edit a message authored by another user'),
  emptyMessage: () => new ApiError(400, 50006, 'Cannot send an empty message'),
  missingPermissions: () => new ApiError(403, 50013, 'Missing Permissions'),
  invalidWebhookToken: () => new ApiError(401, 50027, 'Invalid Webhook Token'),
  finishedScheduledEvent: () => new ApiError(400, 180000, 'Cannot update a finished event'),
};

export type FieldPath = readonly (string | number)[];

/**
 * Collects 50035 "Invalid Form Body" errors in Discord's nested shape, e.g.
 * `{embeds: {0: {title: {_errors: [{code: 'BASE_TYPE_MAX_LENGTH', message: '…'}]}}}}`.
 * discord.js's DiscordAPIError flattens that into `embeds[0].title[BASE_TYPE_MAX_LENGTH]: …`.
 */
export class FormErrors {
  private readonly root: JsonObject = {};
  private count = 0;

  add(path: FieldPath, code: string, message: string): void {
    let node = this.root;
    for (const key of path) {
      const next = node[String(key)];
      if (isRecord(next)) node = next;
      else {
        const created: JsonObject = {};
        node[String(key)] = created;
        node = created;
      }
    }
    const list = Array.isArray(node._errors) ? node._errors : (node._errors = []);
    list.push({ code, message });
    this.count++;
  }

  get hasErrors(): boolean {
    return this.count > 0;
  }

  toError(): ApiError {
    return new ApiError(400, 50035, 'Invalid Form Body', this.root);
  }

  throwIfAny(): void {
    if (this.count > 0) throw this.toError();
  }
}

// ---------------------------------------------------------------------------------------------
// Waiting for state changes

interface Waiter {
  check(): void;
  fail(error: Error): void;
}

/**
 * Lets callers wait until some state matches. Every mutation calls `notify()`, which re-runs the
 * pending checks; a check returns a value to resolve, `undefined` to keep waiting, or throws to reject.
 *
 * A wait may name a topic (e.g. an interaction id) when only `notify(topic)` can change what it
 * checks: it is then re-run only by that call, not by every mutation. Thousands of interactions
 * awaiting their responses at once would otherwise re-run thousands of checks per callback.
 */
export class ChangeFeed {
  private readonly waiters = new Set<Waiter>();
  private readonly topics = new Map<string, Set<Waiter>>();

  /** Re-runs the checks without a topic, or with `topic` only those waiting on that topic. */
  notify(topic?: string): void {
    const waiters = topic === undefined ? this.waiters : this.topics.get(topic);
    if (waiters) for (const waiter of [...waiters]) waiter.check();
  }

  waitFor<T>(check: () => T | undefined, timeoutMs: number, describe: () => string, topic?: string): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      let waiters = this.waiters;
      if (topic !== undefined) {
        waiters = this.topics.get(topic) ?? new Set<Waiter>();
        this.topics.set(topic, waiters);
      }
      const finish = (): void => {
        clearTimeout(timer);
        waiters.delete(waiter);
        if (topic !== undefined && waiters.size === 0 && this.topics.get(topic) === waiters) this.topics.delete(topic);
      };
      const waiter: Waiter = {
        check: () => {
          let result: T | undefined;
          try {
            result = check();
          } catch (error) {
            finish();
            reject(error instanceof Error ? error : new Error(String(error)));
            return;
          }
          if (result !== undefined) {
            finish();
            resolve(result);
          }
        },
        fail: (error) => {
          finish();
          reject(error);
        },
      };
      const timer = setTimeout(
        () => waiter.fail(new Error(`Timed out after ${timeoutMs} ms waiting for ${describe()}`)),
        Math.max(0, timeoutMs),
      );
      waiters.add(waiter);
      waiter.check();
    });
  }

  /** Rejects every pending wait (used when the stand-in closes, so no test hangs). */
  failAll(reason: string): void {
    const all = [...this.waiters, ...[...this.topics.values()].flatMap((waiters) => [...waiters])];
    for (const waiter of all) waiter.fail(new Error(reason));
  }
}

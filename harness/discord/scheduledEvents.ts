/**
 * Guild scheduled events: the store behind /guilds/:id/scheduled-events and a moderator's edits in
 * the client, with Discord's rules (entity types and their channel or location, start and end
 * times, the status transitions), an audit log, and the gateway event each change produces.
 *
 * Form error codes: GUILD_SCHEDULED_EVENT_SCHEDULE_PAST and …_SCHEDULE_INVALID_START_BY_STATUS are
 * Discord's (seen in bots that handle them); the others marked "stand-in's name" are not
 * documented anywhere and only follow Discord's naming.
 */
import type { GuildDirectory } from './directory';
import { checkString } from './limits';
import { ChannelType } from './payloads';
import { type ChangeFeed, Errors, type FieldPath, FormErrors, asRecord, isRecord, snowflake } from './util';
import type { JsonObject, ScheduledEventAuditEntry } from './types';

export const EntityType = { StageInstance: 1, Voice: 2, External: 3 } as const;
export const EventStatus = { Scheduled: 1, Active: 2, Completed: 3, Canceled: 4 } as const;
const GUILD_ONLY = 2;
const AuditAction = { Create: 100, Update: 101, Delete: 102 } as const;

/** The only status moves Discord allows; COMPLETED and CANCELED are final. */
const TRANSITIONS: Record<number, readonly number[]> = {
  [EventStatus.Scheduled]: [EventStatus.Active, EventStatus.Canceled],
  [EventStatus.Active]: [EventStatus.Completed],
};
const FINISHED = new Set<number>([EventStatus.Completed, EventStatus.Canceled]);
const STATUSES: readonly unknown[] = Object.values(EventStatus);

/** Body fields a create or modify sets. `image` and `recurrence_rule` are not modelled (they stay null). */
const WRITABLE = ['channel_id', 'entity_metadata', 'name', 'privacy_level', 'scheduled_start_time', 'scheduled_end_time', 'description', 'entity_type', 'status'] as const;
/** What the audit log compares; `entity_metadata.location` is logged as `location`, as Discord does. */
const AUDITED = ['name', 'description', 'channel_id', 'privacy_level', 'status', 'entity_type', 'location', 'scheduled_start_time', 'scheduled_end_time'] as const;

export type ScheduledEventDispatch = 'GUILD_SCHEDULED_EVENT_CREATE' | 'GUILD_SCHEDULED_EVENT_UPDATE' | 'GUILD_SCHEDULED_EVENT_DELETE';

/** Who makes a change: the bot over REST (with its X-Audit-Log-Reason) or a moderator in the client. */
export interface Actor {
  userId: string;
  reason?: string;
}

export interface ScheduledEventStoreOptions {
  directory: GuildDirectory;
  botUser: JsonObject;
  feed: ChangeFeed;
  /** Sends the gateway event to the guild's sessions. */
  publish: (guildId: string, event: ScheduledEventDispatch, data: JsonObject) => void;
}

export class ScheduledEventStore {
  /** Per guild, events by id in creation order. Records are API JSON without `user_count`. */
  private readonly byGuild = new Map<string, Map<string, JsonObject>>();
  readonly audit: ScheduledEventAuditEntry[] = [];

  constructor(private readonly options: ScheduledEventStoreOptions) {}

  /** The guild's events as the API sends them; `user_count` (always 0: nobody subscribes here) only when asked for. */
  list(guildId: string, withUserCount: boolean): JsonObject[] {
    return [...(this.byGuild.get(guildId)?.values() ?? [])].map((event) => toApi(event, withUserCount));
  }

  get(guildId: string, eventId: string, withUserCount: boolean): JsonObject | undefined {
    const event = this.byGuild.get(guildId)?.get(eventId);
    return event ? toApi(event, withUserCount) : undefined;
  }

  create(guildId: string, body: unknown, actor: Actor): JsonObject {
    const input = asRecord(body);
    const errors = new FormErrors();
    for (const key of ['name', 'privacy_level', 'scheduled_start_time', 'entity_type'] as const) {
      if (input[key] === undefined || input[key] === null) errors.add([key], 'BASE_TYPE_REQUIRED', 'This field is required');
    }
    const event: JsonObject = {
      id: snowflake(),
      guild_id: guildId,
      channel_id: null,
      creator_id: String(this.options.botUser.id),
      name: '',
      description: null,
      scheduled_start_time: null,
      scheduled_end_time: null,
      privacy_level: GUILD_ONLY,
      entity_type: EntityType.External,
      entity_id: null,
      entity_metadata: null,
      creator: this.options.botUser,
      image: null,
      recurrence_rule: null,
      ...writableFields(input),
      // A new event is always SCHEDULED, whatever the body says.
      status: EventStatus.Scheduled,
    };
    if (!errors.hasErrors) {
      const start = parseTime(event.scheduled_start_time, errors, ['scheduled_start_time']);
      if (start !== undefined && start < Date.now()) errors.add(['scheduled_start_time'], 'GUILD_SCHEDULED_EVENT_SCHEDULE_PAST', 'Cannot schedule event in the past.');
      this.checkEvent(event, errors);
    }
    errors.throwIfAny();
    normalize(event);
    const events = this.byGuild.get(guildId) ?? new Map<string, JsonObject>();
    this.byGuild.set(guildId, events);
    events.set(String(event.id), event);
    this.record(AuditAction.Create, event, {}, event, actor);
    this.options.publish(guildId, 'GUILD_SCHEDULED_EVENT_CREATE', toApi(event, false));
    return toApi(event, true);
  }

  /** PATCH semantics: fields in the body replace the stored ones, the result must still be a valid event. */
  modify(guildId: string, eventId: string, body: unknown, actor: Actor): JsonObject {
    const event = this.find(guildId, eventId);
    if (FINISHED.has(Number(event.status))) throw Errors.finishedScheduledEvent();
    const input = asRecord(body);
    const next: JsonObject = { ...event, ...writableFields(input) };
    const errors = new FormErrors();
    if ('status' in input) checkTransition(Number(event.status), input.status, errors);
    if ('scheduled_start_time' in input) this.checkNewStart(event, input.scheduled_start_time, errors);
    this.checkEvent(next, errors);
    errors.throwIfAny();
    normalize(next);
    const before = { ...event };
    Object.assign(event, next);
    this.record(AuditAction.Update, event, before, event, actor);
    this.options.publish(guildId, 'GUILD_SCHEDULED_EVENT_UPDATE', toApi(event, false));
    return toApi(event, true);
  }

  delete(guildId: string, eventId: string, actor: Actor): void {
    const event = this.find(guildId, eventId);
    this.byGuild.get(guildId)?.delete(eventId);
    this.record(AuditAction.Delete, event, event, {}, actor);
    this.options.publish(guildId, 'GUILD_SCHEDULED_EVENT_DELETE', toApi(event, false));
  }

  private find(guildId: string, eventId: string): JsonObject {
    return this.byGuild.get(guildId)?.get(eventId) ?? Errors.unknownScheduledEvent().throw();
  }

  /**
   * A start time in a modify: refused once the event runs, even unchanged (Discord does so too,
   * which trips bots that PATCH whole events), and refused in the past while it is scheduled.
   */
  private checkNewStart(event: JsonObject, value: unknown, errors: FormErrors): void {
    if (event.status === EventStatus.Active) {
      errors.add(['scheduled_start_time'], 'GUILD_SCHEDULED_EVENT_SCHEDULE_INVALID_START_BY_STATUS', 'Cannot change the start time of an event that has started.');
      return;
    }
    const start = parseTime(value, errors, ['scheduled_start_time']);
    if (start !== undefined && start < Date.now()) errors.add(['scheduled_start_time'], 'GUILD_SCHEDULED_EVENT_SCHEDULE_PAST', 'Cannot schedule event in the past.');
  }

  /** The rules every event must meet after a create or a modify. */
  private checkEvent(event: JsonObject, errors: FormErrors): void {
    checkString(event.name, errors, ['name'], { min: 1, max: 100, required: true });
    checkString(event.description, errors, ['description'], { max: 1000 });
    if (event.privacy_level !== GUILD_ONLY) errors.add(['privacy_level'], 'BASE_TYPE_CHOICES', `Value must be one of {${GUILD_ONLY}}.`);
    const start = parseTime(event.scheduled_start_time, errors, ['scheduled_start_time']);
    const end = event.scheduled_end_time === null ? undefined : parseTime(event.scheduled_end_time, errors, ['scheduled_end_time']);
    if (start !== undefined && end !== undefined && end <= start) {
      errors.add(['scheduled_end_time'], 'GUILD_SCHEDULED_EVENT_END_BEFORE_START', 'The end time must be after the start time.'); // stand-in's name
    }
    switch (event.entity_type) {
      case EntityType.StageInstance:
        return this.checkChannel(event, ChannelType.Stage, errors);
      case EntityType.Voice:
        return this.checkChannel(event, ChannelType.Voice, errors);
      case EntityType.External:
        return checkExternal(event, errors);
      default:
        errors.add(['entity_type'], 'BASE_TYPE_CHOICES', 'Value must be one of {1, 2, 3}.');
    }
  }

  /** Stage and voice events take place in a channel of that type in the same guild. */
  private checkChannel(event: JsonObject, type: number, errors: FormErrors): void {
    if (event.channel_id === undefined || event.channel_id === null) {
      errors.add(['channel_id'], 'BASE_TYPE_REQUIRED', 'This field is required');
      return;
    }
    const found = this.options.directory.channel(String(event.channel_id));
    if (!found || found.guild.id !== event.guild_id) throw Errors.unknownChannel();
    if ((found.channel.type ?? ChannelType.Text) !== type) {
      const kind = type === ChannelType.Stage ? 'a stage' : 'a voice';
      errors.add(['channel_id'], 'GUILD_SCHEDULED_EVENT_INVALID_CHANNEL_TYPE', `This event type needs ${kind} channel.`); // stand-in's name
    }
  }

  private record(actionType: ScheduledEventAuditEntry['actionType'], event: JsonObject, before: JsonObject, after: JsonObject, actor: Actor): void {
    const changes = AUDITED.flatMap((key) => {
      const [old, now] = [auditValue(before, key), auditValue(after, key)];
      if (old === now) return [];
      return [{ key, ...(old === undefined ? {} : { old_value: old }), ...(now === undefined ? {} : { new_value: now }) }];
    });
    this.audit.push({
      actionType,
      guildId: String(event.guild_id),
      eventId: String(event.id),
      userId: actor.userId,
      changes,
      ...(actor.reason ? { reason: actor.reason } : {}),
      at: Date.now(),
    });
    this.options.feed.notify();
  }
}

function writableFields(input: JsonObject): JsonObject {
  return Object.fromEntries(WRITABLE.filter((key) => key in input).map((key) => [key, structuredClone(input[key])]));
}

function toApi(event: JsonObject, withUserCount: boolean): JsonObject {
  return structuredClone(withUserCount ? { ...event, user_count: 0 } : event);
}

/** Status moves: only SCHEDULED → ACTIVE or CANCELED and ACTIVE → COMPLETED; staying put is no move. */
function checkTransition(from: number, to: unknown, errors: FormErrors): void {
  if (to === from) return;
  if (typeof to !== 'number' || !STATUSES.includes(to)) {
    errors.add(['status'], 'BASE_TYPE_CHOICES', 'Value must be one of {1, 2, 3, 4}.');
  } else if (!TRANSITIONS[from]?.includes(to)) {
    errors.add(['status'], 'GUILD_SCHEDULED_EVENT_INVALID_STATUS_TRANSITION', `Cannot move an event from status ${from} to ${to}.`); // stand-in's name
  }
}

/** External events happen somewhere else: a location and an end time, and no channel. */
function checkExternal(event: JsonObject, errors: FormErrors): void {
  if (event.channel_id !== undefined && event.channel_id !== null) {
    errors.add(['channel_id'], 'GUILD_SCHEDULED_EVENT_EXTERNAL_CHANNEL', 'External events cannot have a channel.'); // stand-in's name
  }
  const metadata = event.entity_metadata;
  checkString(isRecord(metadata) ? metadata.location : undefined, errors, ['entity_metadata', 'location'], { min: 1, max: 100, required: true });
  if (event.scheduled_end_time === undefined || event.scheduled_end_time === null) errors.add(['scheduled_end_time'], 'BASE_TYPE_REQUIRED', 'This field is required');
}

/** Keeps only what the entity type uses, and times in Discord's own form. */
function normalize(event: JsonObject): void {
  if (event.entity_type === EntityType.External) {
    event.channel_id = null;
    event.entity_metadata = { location: asRecord(event.entity_metadata).location };
  } else {
    event.entity_metadata = null;
  }
  event.scheduled_start_time = discordTimestamp(String(event.scheduled_start_time));
  if (event.scheduled_end_time !== undefined && event.scheduled_end_time !== null) event.scheduled_end_time = discordTimestamp(String(event.scheduled_end_time));
  else event.scheduled_end_time = null;
  event.description ??= null;
}

const ISO8601 = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?(?:Z|[+-]\d{2}:?\d{2})?$/i;

/** Milliseconds since the epoch, or undefined (with a form error) if not an ISO8601 timestamp. No zone means UTC. */
function parseTime(value: unknown, errors: FormErrors, path: FieldPath): number | undefined {
  if (value === undefined || value === null) return undefined;
  const text = typeof value === 'string' ? value : '';
  const zoned = /(?:Z|[+-]\d{2}:?\d{2})$/i.test(text) ? text : `${text}Z`;
  const ms = ISO8601.test(text) ? Date.parse(zoned.replace(' ', 'T')) : Number.NaN;
  if (Number.isNaN(ms)) {
    errors.add(path, 'DATE_TIME_TYPE_PARSE', `Could not parse ${String(value)}. Should be ISO8601.`);
    return undefined;
  }
  return ms;
}

/** Discord answers timestamps as `2025-05-01T19:30:00.000000+00:00`, whatever form they were sent in. */
function discordTimestamp(value: string): string {
  const zoned = /(?:Z|[+-]\d{2}:?\d{2})$/i.test(value) ? value : `${value}Z`;
  return new Date(Date.parse(zoned.replace(' ', 'T'))).toISOString().replace(/\.(\d{3})Z$/, '.$1000+00:00');
}

function auditValue(event: JsonObject, key: (typeof AUDITED)[number]): unknown {
  if (key === 'location') return isRecord(event.entity_metadata) ? event.entity_metadata.location : undefined;
  return event[key] ?? undefined;
}

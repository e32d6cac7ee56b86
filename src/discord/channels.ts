// What the bot does in Discord outside an interaction: posts and edits in channels, and the
// server's scheduled events. Through REST, so it works for anything made before a restart.
import { type APIEmbed, type APIMessage, DiscordAPIError, type REST, RESTJSONErrorCodes, Routes } from 'discord.js';

/** A message the bot posts or edits by itself; mentions are always off (see payload.ts). */
export interface ChannelMessage {
  content?: string;
  embeds?: APIEmbed[];
  components?: unknown[];
  allowedMentions: { parse: never[] };
}

/**
 * A post that may be retried after a crash (the bot posted, then stopped before saving the message
 * id): Discord returns the message it already made with this nonce in the last few minutes
 * (`enforce_nonce`) instead of posting it twice. At most 25 characters.
 */
export interface PostOnce {
  nonce: string;
}

/** The channel is gone, or the bot may no longer see or post in it. */
export class ChannelUnavailableError extends Error {
  override readonly name = 'ChannelUnavailableError';
  constructor(readonly reason: 'deleted' | 'no-access' | 'no-permission', cause: unknown) {
    super(`channel unavailable: ${reason}`, { cause });
  }
}

/** Discord refused because the bot lacks a permission in the server (error 50013). */
export class BotMissingPermissionError extends Error {
  override readonly name = 'BotMissingPermissionError';
  constructor(readonly permission: string, cause: unknown) {
    super(`the bot lacks ${permission}`, { cause });
  }
}

export interface Channels {
  post(channelId: string, message: ChannelMessage, once?: PostOnce): Promise<string>;
  edit(channelId: string, messageId: string, message: ChannelMessage): Promise<void>;
}

export function restChannels(rest: REST): Channels {
  const body = (message: ChannelMessage) => ({ content: message.content, embeds: message.embeds, components: message.components, allowed_mentions: message.allowedMentions });
  return {
    async post(channelId, message, once) {
      const posted = (await rest.post(Routes.channelMessages(channelId), { body: { ...body(message), ...(once ? { nonce: once.nonce, enforce_nonce: true } : {}) } }).catch(channelFailure)) as APIMessage;
      return posted.id;
    },
    async edit(channelId, messageId, message) {
      await rest.patch(Routes.channelMessage(channelId, messageId), { body: body(message) }).catch(channelFailure);
    },
  };
}

function channelFailure(error: unknown): never {
  if (error instanceof DiscordAPIError) {
    if (error.code === RESTJSONErrorCodes.UnknownChannel) throw new ChannelUnavailableError('deleted', error);
    if (error.code === RESTJSONErrorCodes.MissingAccess) throw new ChannelUnavailableError('no-access', error);
    if (error.code === RESTJSONErrorCodes.MissingPermissions) throw new ChannelUnavailableError('no-permission', error);
  }
  throw error;
}

export const EventStatus = { Scheduled: 1, Active: 2, Completed: 3, Canceled: 4 } as const;
export const EventEntity = { Stage: 1, Voice: 2, External: 3 } as const;

export interface NewScheduledEvent {
  name: string;
  description: string;
  startAt: number;
  endAt: number;
  /** A voice or stage channel, or a place named in words (for a text channel). */
  venue: { kind: 'voice' | 'stage'; channelId: string } | { kind: 'external'; location: string };
}

export interface ScheduledEvents {
  create(guildId: string, event: NewScheduledEvent): Promise<string>;
  /** The event's status and start as Discord has them now; undefined when it is gone. */
  get(guildId: string, eventId: string): Promise<{ status: number; startAt: number } | undefined>;
  /** Moves the event on (ACTIVE, COMPLETED, CANCELED); false when Discord no longer has it. */
  setStatus(guildId: string, eventId: string, status: (typeof EventStatus)[keyof typeof EventStatus]): Promise<boolean>;
  delete(guildId: string, eventId: string): Promise<void>;
}

export function restScheduledEvents(rest: REST): ScheduledEvents {
  return {
    async create(guildId, event) {
      const venue =
        event.venue.kind === 'external'
          ? { entity_type: EventEntity.External, entity_metadata: { location: event.venue.location } }
          : { entity_type: event.venue.kind === 'voice' ? EventEntity.Voice : EventEntity.Stage, channel_id: event.venue.channelId };
      const created = (await rest
        .post(Routes.guildScheduledEvents(guildId), {
          body: {
            name: event.name,
            description: event.description,
            scheduled_start_time: new Date(event.startAt).toISOString(),
            scheduled_end_time: new Date(event.endAt).toISOString(),
            // GUILD_ONLY, the only privacy level Discord accepts.
            privacy_level: 2,
            ...venue,
          },
        })
        .catch(eventFailure)) as { id: string };
      return created.id;
    },
    async get(guildId, eventId) {
      try {
        const event = (await rest.get(Routes.guildScheduledEvent(guildId, eventId))) as { status: number; scheduled_start_time: string };
        return { status: event.status, startAt: Date.parse(event.scheduled_start_time) };
      } catch (error) {
        if (error instanceof DiscordAPIError && error.code === RESTJSONErrorCodes.UnknownGuildScheduledEvent) return undefined;
        return eventFailure(error);
      }
    },
    async setStatus(guildId, eventId, status) {
      try {
        await rest.patch(Routes.guildScheduledEvent(guildId, eventId), { body: { status } });
        return true;
      } catch (error) {
        if (error instanceof DiscordAPIError && error.code === RESTJSONErrorCodes.UnknownGuildScheduledEvent) return false;
        return eventFailure(error);
      }
    },
    async delete(guildId, eventId) {
      await rest.delete(Routes.guildScheduledEvent(guildId, eventId)).catch(eventFailure);
    },
  };
}

function eventFailure(error: unknown): never {
  if (error instanceof DiscordAPIError && error.code === RESTJSONErrorCodes.MissingPermissions) throw new BotMissingPermissionError('Manage Events', error);
  throw error;
}

// Scheduled watch parties: a Discord scheduled event on the server's calendar, a "starting"
// message at its time, then the rating poll when the film has run. Every step is stored with the
// party (its status says which comes next), so restarts lose none; timers only say when to look.
//
// A step is claimed in storage before it acts, so it never runs twice: the start is marked
// before its message goes out, and the poll's id is fixed before the poll is opened, so opening
// it again after a crash finds the same poll.
import { ChannelUnavailableError, type Channels, EventStatus, type NewScheduledEvent, type ScheduledEvents } from '../discord/channels';
import { supportedLocale, type Translator, translator } from '../i18n';
import type { Logger } from '../log';
import { FAILED_TO_POST, type PollService } from '../polls/pollService';
import { buildAnnouncement, buildCancelledAnnouncement, buildStarting, type CancelReason, eventDescription, eventName, type PartyView } from '../replies/schedule';
import { type Party, PartyStore } from '../storage/parties';
import { retryDelay, Timers } from './timers';

export interface PartyRequest {
  guildId: string;
  /** Where the command was typed: the announcement, the starting message and the poll go there. */
  channelId: string;
  hostId: string;
  film: { id: string; title: string; year?: number | undefined; synopsis?: string | undefined; runtimeMinutes?: number | undefined };
  venue: NewScheduledEvent['venue'];
  where: string;
  startAt: number;
  lengthMs: number;
  pollDurationMs: number;
  /** The server's language when it was scheduled: its event, messages and poll are in it. */
  locale?: string | undefined;
}

/** Everything a party posts later is in the language it was scheduled in (English for older parties). */
const partyTranslator = (party: { locale?: string | undefined }): Translator => translator(supportedLocale(party.locale));

export class PartyService {
  private readonly timers: Timers;
  /** Parties whose step is running now, by timer key. */
  private readonly stepping = new Set<string>();

  constructor(
    private readonly parties: PartyStore,
    private readonly pollService: PollService,
    private readonly events: ScheduledEvents,
    private readonly channels: Channels,
    private readonly log: Logger,
    private readonly now: () => number = Date.now,
  ) {
    this.timers = new Timers(now);
  }

  get scheduledCount(): number {
    return this.timers.size;
  }

  /**
   * Puts the party on the server's calendar, then stores it. Discord first: a bot without Manage
   * Events stores nothing (BotMissingPermissionError), and an event whose party could not be
   * stored is deleted again.
   */
  async schedule(request: PartyRequest): Promise<Party> {
    const id = PartyStore.newId();
    const pollAt = request.startAt + request.lengthMs;
    const t = partyTranslator(request);
    const eventId = await this.events.create(request.guildId, {
      name: eventName(t, request.film),
      description: eventDescription(t, request.film),
      startAt: request.startAt,
      endAt: pollAt,
      venue: request.venue,
    });
    let party: Party;
    try {
      party = await this.parties.add(
        request.guildId,
        id,
        {
          filmId: request.film.id,
          film: { title: request.film.title, ...(request.film.year === undefined ? {} : { year: request.film.year }) },
          hostId: request.hostId,
          channelId: request.channelId,
          eventId,
          where: request.where,
          startAt: request.startAt,
          pollAt,
          pollDurationMs: request.pollDurationMs,
          ...(request.locale ? { locale: request.locale } : {}),
        },
        this.now(),
      );
    } catch (error) {
      await this.events.delete(request.guildId, eventId).catch((deleteError: unknown) => this.log.warn({ err: deleteError, guildId: request.guildId, eventId }, 'scheduled event of an unsaved party not deleted'));
      throw error;
    }
    this.plan(request.guildId, party);
    this.log.info({ guildId: request.guildId, partyId: id, eventId, startAt: request.startAt }, 'watch party scheduled');
    return party;
  }

  view(guildId: string, party: Party): PartyView {
    return { guildId, eventId: party.eventId, film: party.film, startAt: party.startAt, pollAt: party.pollAt, where: party.where };
  }

  /** Keeps the announcement's id, so a cancellation or a move can be shown on it. */
  async attachAnnouncement(guildId: string, partyId: string, messageId: string): Promise<void> {
    await this.parties.change(guildId, partyId, (party) => ({ ...party, announcementId: messageId })).catch((error: unknown) => this.log.warn({ err: error, guildId, partyId }, 'announcement id not saved'));
  }

  upcoming(guildId: string): Promise<Party[]> {
    return this.parties.list(guildId);
  }

  /**
   * Cancels a party: no poll opens, its event is cancelled (unless Discord did that already) and
   * its announcement says so. Resolves with the party, or undefined if it had already gone.
   */
  async cancel(guildId: string, partyId: string, why: CancelReason, options: { eventGone?: boolean } = {}): Promise<Party | undefined> {
    const party = await this.parties.remove(guildId, partyId);
    this.timers.clear(timerKey(guildId, partyId));
    if (!party) return undefined;
    if (!options.eventGone) await this.endEvent(guildId, party, 'cancel').catch((error: unknown) => this.log.warn({ err: error, guildId, partyId }, 'scheduled event of a cancelled party not updated'));
    await this.showOnAnnouncement(guildId, party, buildCancelledAnnouncement(partyTranslator(party), this.view(guildId, party), why));
    this.log.info({ guildId, partyId, why: why.kind }, 'watch party cancelled');
    return party;
  }

  /** A moderator changed the event in Discord: a cancellation cancels the party, a new start time moves it. */
  async eventChanged(guildId: string, eventId: string, change: { status: number; startAt: number }): Promise<void> {
    const party = (await this.parties.list(guildId)).find((candidate) => candidate.eventId === eventId);
    if (!party) return;
    if (change.status === EventStatus.Canceled) {
      await this.cancel(guildId, party.id, { kind: 'event-cancelled' }, { eventGone: true });
      return;
    }
    if (party.status !== 'scheduled' || change.startAt === party.startAt) return;
    const result = await this.parties.change(guildId, party.id, (current) =>
      current.status === 'scheduled' ? { ...current, startAt: change.startAt, pollAt: change.startAt + (current.pollAt - current.startAt) } : undefined,
    );
    if (!result?.changed) return;
    const moved = result.party;
    this.plan(guildId, moved);
    await this.showOnAnnouncement(guildId, moved, buildAnnouncement(partyTranslator(moved), this.view(guildId, moved)));
    this.log.info({ guildId, partyId: party.id, startAt: moved.startAt }, 'watch party moved with its event');
  }

  async eventDeleted(guildId: string, eventId: string): Promise<void> {
    const party = (await this.parties.list(guildId)).find((candidate) => candidate.eventId === eventId);
    if (party) await this.cancel(guildId, party.id, { kind: 'event-deleted' }, { eventGone: true });
  }

  /** At start-up: every party of these servers gets its timer; steps that came due while the bot was down run now, once. */
  async resume(guildIds: string[]): Promise<void> {
    for (const { guildId, party } of await this.parties.listMany(guildIds)) this.plan(guildId, party);
  }

  async stop(): Promise<void> {
    await this.timers.stop();
  }

  private plan(guildId: string, party: Party): void {
    this.at(guildId, party.id, party.status === 'scheduled' ? party.startAt : party.pollAt, 0);
  }

  /** Looks at the party at `at`; a step already running for it is not started twice (a re-plan at resume, say). */
  private at(guildId: string, partyId: string, at: number, attempt: number): void {
    const key = timerKey(guildId, partyId);
    this.timers.set(key, at, () => {
      if (this.stepping.has(key)) return;
      this.stepping.add(key);
      return this.step(guildId, partyId, attempt).finally(() => this.stepping.delete(key));
    });
  }

  private async step(guildId: string, partyId: string, attempt: number): Promise<void> {
    try {
      const party = (await this.parties.list(guildId)).find((candidate) => candidate.id === partyId);
      if (!party) return;
      const dueAt = party.status === 'scheduled' ? party.startAt : party.pollAt;
      if (dueAt > this.now()) return this.plan(guildId, party);
      if (party.status === 'scheduled') await this.start(guildId, party);
      else await this.openPoll(guildId, party);
    } catch (error) {
      // Retried by id: the party is read again then, whatever failed now (storage, Discord).
      this.log.warn({ err: error, guildId, partyId }, 'watch party step failed; trying again');
      this.at(guildId, partyId, this.now() + retryDelay(attempt + 1), attempt + 1);
    }
  }

  private async start(guildId: string, party: Party): Promise<void> {
    // What a moderator did to the event while the bot was down (or between two gateway events).
    const event = await this.events.get(guildId, party.eventId);
    if (!event || event.status === EventStatus.Canceled) {
      await this.cancel(guildId, party.id, { kind: 'event-gone' }, { eventGone: true });
      return;
    }
    if (event.status === EventStatus.Scheduled && event.startAt !== party.startAt) return this.eventChanged(guildId, party.eventId, event);
    const result = await this.parties.change(guildId, party.id, (current) => (current.status === 'scheduled' && current.startAt <= this.now() ? { ...current, status: 'started' } : undefined));
    if (!result) return;
    const { party: started, changed: claimed } = result;
    if (claimed) {
      try {
        await this.channels.post(started.channelId, buildStarting(partyTranslator(started), started.film, started.pollAt));
      } catch (error) {
        if (error instanceof ChannelUnavailableError) return this.channelGone(guildId, started, error);
        this.log.warn({ err: error, guildId, partyId: party.id }, 'starting message not posted');
      }
      await this.events.setStatus(guildId, started.eventId, EventStatus.Active).catch((error: unknown) => this.log.warn({ err: error, guildId, partyId: party.id }, 'scheduled event not marked as started'));
    }
    this.plan(guildId, started);
  }

  private async openPoll(guildId: string, party: Party): Promise<void> {
    const pollId = party.pollId ?? `${party.id}p`;
    // Claimed once; a step that finds it claimed already (after a crash) carries on with the same poll id.
    const claimed = await this.parties.change(guildId, party.id, (current) => (current.status === 'polling' ? undefined : { ...current, status: 'polling', pollId }));
    if (!claimed) return;
    // The poll runs its full length from when it opens, also when it opens late after downtime.
    const poll = await this.pollService.start({ id: pollId, guildId, channelId: party.channelId, filmId: party.filmId, film: party.film, hostId: party.hostId, blind: false, durationMs: party.pollDurationMs, locale: party.locale });
    if (!poll.messageId) {
      let messageId: string;
      try {
        // The poll's id as the nonce: opening it again after a crash gets the same message back.
        messageId = await this.channels.post(party.channelId, this.pollService.messageFor(poll), { nonce: poll.id });
      } catch (error) {
        if (!(error instanceof ChannelUnavailableError)) throw error;
        await this.pollService.close(guildId, poll.id, FAILED_TO_POST).catch(() => undefined);
        return this.channelGone(guildId, party, error);
      }
      await this.pollService.attachMessage(guildId, poll.id, messageId);
    }
    await this.endEvent(guildId, party, 'complete').catch((error: unknown) => this.log.warn({ err: error, guildId, partyId: party.id }, 'scheduled event not marked as completed'));
    await this.parties.remove(guildId, party.id);
    this.log.info({ guildId, partyId: party.id, pollId }, 'watch party poll opened');
  }

  /**
   * Ends a party's event as Discord allows: a SCHEDULED event can be cancelled, and only an ACTIVE
   * one completed (an event whose start could not be marked goes through ACTIVE first).
   */
  private async endEvent(guildId: string, party: Party, how: 'cancel' | 'complete'): Promise<void> {
    const event = await this.events.get(guildId, party.eventId);
    if (!event || event.status === EventStatus.Canceled || event.status === EventStatus.Completed) return;
    if (event.status === EventStatus.Scheduled && how === 'cancel') {
      await this.events.setStatus(guildId, party.eventId, EventStatus.Canceled);
      return;
    }
    if (event.status === EventStatus.Scheduled) await this.events.setStatus(guildId, party.eventId, EventStatus.Active);
    await this.events.setStatus(guildId, party.eventId, EventStatus.Completed);
  }

  private async channelGone(guildId: string, party: Party, error: ChannelUnavailableError): Promise<void> {
    this.log.warn({ guildId, partyId: party.id, channelId: party.channelId, reason: error.reason }, 'watch party cancelled: its channel cannot be posted in');
    await this.cancel(guildId, party.id, { kind: 'channel-gone' });
  }

  private async showOnAnnouncement(guildId: string, party: Party, message: Parameters<Channels['edit']>[2]): Promise<void> {
    if (!party.announcementId) return;
    await this.channels.edit(party.channelId, party.announcementId, message).catch((error: unknown) => this.log.debug({ err: error, guildId, partyId: party.id }, 'announcement not updated'));
  }
}

const timerKey = (guildId: string, partyId: string) => `${guildId}:${partyId}`;

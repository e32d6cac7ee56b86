// Scheduled watch parties: a Discord scheduled event on the server's calendar, a "starting"
// message at its time, then the rating poll when the film has run. Every step is stored with the
// party (its status says which comes next), so restarts lose none; timers only say when to look.
//
// A step is claimed in storage before it acts, so it never runs twice: the start is marked
// before its message goes out, and the poll's id is fixed before the poll is opened, so opening
// it again after a crash finds the same poll.
import { BotMissingPermissionError, ChannelUnavailableError, type Channels, EventStatus, type NewScheduledEvent, type ScheduledEvents } from '../discord/channels';
import type { Logger } from '../log';
import type { PollService } from '../polls/pollService';
import { buildAnnouncement, buildCancelledAnnouncement, buildStarting, eventDescription, eventName, type PartyView } from '../replies/schedule';
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
}

export { BotMissingPermissionError };

export class PartyService {
  private readonly timers: Timers;
  private readonly running = new Set<Promise<unknown>>();

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
    const eventId = await this.events.create(request.guildId, {
      name: eventName(request.film),
      description: eventDescription(request.film),
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
  async cancel(guildId: string, partyId: string, why: string, options: { eventGone?: boolean } = {}): Promise<Party | undefined> {
    const party = await this.parties.remove(guildId, partyId);
    this.timers.clear(timerKey(guildId, partyId));
    if (!party) return undefined;
    if (!options.eventGone) {
      // A started event cannot be cancelled, only ended.
      const status = party.status === 'scheduled' ? EventStatus.Canceled : EventStatus.Completed;
      await this.events.setStatus(guildId, party.eventId, status).catch((error: unknown) => this.log.warn({ err: error, guildId, partyId }, 'scheduled event of a cancelled party not updated'));
    }
    await this.showOnAnnouncement(guildId, party, buildCancelledAnnouncement(this.view(guildId, party), why));
    this.log.info({ guildId, partyId, why }, 'watch party cancelled');
    return party;
  }

  /** A moderator changed the event in Discord: a cancellation cancels the party, a new start time moves it. */
  async eventChanged(guildId: string, eventId: string, change: { status: number; startAt: number }): Promise<void> {
    const party = (await this.parties.list(guildId)).find((candidate) => candidate.eventId === eventId);
    if (!party) return;
    if (change.status === EventStatus.Canceled) {
      await this.cancel(guildId, party.id, 'The event was cancelled in Discord, so no poll will open.', { eventGone: true });
      return;
    }
    if (party.status !== 'scheduled' || change.startAt === party.startAt) return;
    const moved = await this.parties.change(guildId, party.id, (current) =>
      current.status === 'scheduled' ? { ...current, startAt: change.startAt, pollAt: change.startAt + (current.pollAt - current.startAt) } : undefined,
    );
    if (!moved) return;
    this.plan(guildId, moved);
    await this.showOnAnnouncement(guildId, moved, buildAnnouncement(this.view(guildId, moved)));
    this.log.info({ guildId, partyId: party.id, startAt: moved.startAt }, 'watch party moved with its event');
  }

  async eventDeleted(guildId: string, eventId: string): Promise<void> {
    const party = (await this.parties.list(guildId)).find((candidate) => candidate.eventId === eventId);
    if (party) await this.cancel(guildId, party.id, 'The event was deleted in Discord, so no poll will open.', { eventGone: true });
  }

  /** At start-up: every party of these servers gets its timer; steps that came due while the bot was down run now, once. */
  async resume(guildIds: string[]): Promise<void> {
    const all = await this.parties.listMany(guildIds);
    for (const { guildId, party } of all) this.plan(guildId, party);
    this.log.info({ parties: all.length }, 'watch parties planned');
  }

  async stop(): Promise<void> {
    this.timers.stop();
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }

  private plan(guildId: string, party: Party, attempt = 0): void {
    const at = attempt > 0 ? this.now() + retryDelay(attempt) : party.status === 'scheduled' ? party.startAt : party.pollAt;
    this.timers.set(timerKey(guildId, party.id), at, () => {
      const run = this.step(guildId, party.id, attempt);
      this.running.add(run);
      void run.finally(() => this.running.delete(run));
    });
  }

  private async step(guildId: string, partyId: string, attempt: number): Promise<void> {
    let party: Party | undefined;
    try {
      party = (await this.parties.list(guildId)).find((candidate) => candidate.id === partyId);
      if (!party) return;
      const dueAt = party.status === 'scheduled' ? party.startAt : party.pollAt;
      if (dueAt > this.now()) return this.plan(guildId, party);
      if (party.status === 'scheduled') await this.start(guildId, party);
      else await this.openPoll(guildId, party);
    } catch (error) {
      this.log.warn({ err: error, guildId, partyId }, 'watch party step failed; trying again');
      if (party) this.plan(guildId, party, attempt + 1);
    }
  }

  private async start(guildId: string, party: Party): Promise<void> {
    let claimed = false;
    const started = await this.parties.change(guildId, party.id, (current) => {
      if (current.status !== 'scheduled') return undefined;
      claimed = true;
      return { ...current, status: 'started' };
    });
    if (!started) return;
    if (claimed) {
      try {
        await this.channels.post(started.channelId, buildStarting(started.film, started.pollAt));
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
    const claimed = await this.parties.change(guildId, party.id, (current) => (current.status === 'polling' ? undefined : { ...current, status: 'polling', pollId }));
    if (!claimed) return;
    // The poll runs its full length from when it opens, also when it opens late after downtime.
    const poll = await this.pollService.start({ id: pollId, guildId, channelId: party.channelId, filmId: party.filmId, film: party.film, hostId: party.hostId, blind: false, durationMs: party.pollDurationMs });
    if (!poll.messageId) {
      let messageId: string;
      try {
        messageId = await this.channels.post(party.channelId, this.pollService.messageFor(poll));
      } catch (error) {
        if (!(error instanceof ChannelUnavailableError)) throw error;
        await this.pollService.close(guildId, poll.id, 'failed-to-post').catch(() => undefined);
        return this.channelGone(guildId, party, error);
      }
      await this.pollService.attachMessage(guildId, poll.id, messageId);
    }
    // An event still SCHEDULED (its start could not be marked) goes through ACTIVE, as Discord requires.
    await this.events.setStatus(guildId, party.eventId, EventStatus.Active).catch(() => undefined);
    await this.events.setStatus(guildId, party.eventId, EventStatus.Completed).catch((error: unknown) => this.log.warn({ err: error, guildId, partyId: party.id }, 'scheduled event not marked as completed'));
    await this.parties.remove(guildId, party.id);
    this.log.info({ guildId, partyId: party.id, pollId }, 'watch party poll opened');
  }

  private async channelGone(guildId: string, party: Party, error: ChannelUnavailableError): Promise<void> {
    this.log.warn({ guildId, partyId: party.id, channelId: party.channelId, reason: error.reason }, 'watch party cancelled: its channel cannot be posted in');
    await this.cancel(guildId, party.id, 'Its channel can no longer be posted in.');
  }

  private async showOnAnnouncement(guildId: string, party: Party, message: Parameters<Channels['edit']>[2]): Promise<void> {
    if (!party.announcementId) return;
    await this.channels.edit(party.channelId, party.announcementId, message).catch((error: unknown) => this.log.debug({ err: error, guildId, partyId: party.id }, 'announcement not updated'));
  }
}

const timerKey = (guildId: string, partyId: string) => `${guildId}:${partyId}`;

// Runs watch-party polls: votes, closing (by a member or by the clock) and live tally edits.
import type { FilmCatalog } from '../data/catalog';
import type { Logger } from '../log';
import { buildPollMessage, type PollMessage } from '../replies/poll';
import type { NewPoll, Poll, PollStore } from '../storage/polls';
import type { RatingStore } from '../storage/ratings';
import { UserFacingError } from '../errors';

/** Edits a message the bot posted earlier (the poll), whatever interaction is current. */
export interface MessageEditor {
  edit(channelId: string, messageId: string, message: PollMessage): Promise<void>;
}

// Discord rate-limits message edits (about five per five seconds per channel), so a burst of
// votes is folded into one edit after a short pause, and at most one edit a second follows.
const FIRST_EDIT_DELAY_MS = 300;
const EDIT_INTERVAL_MS = 1_000;
// setTimeout cannot wait longer than 2^31-1 ms; longer waits re-check when they fire.
const MAX_TIMER_MS = 2_147_483_647;

interface RefreshState {
  timer?: NodeJS.Timeout;
  /** A vote or close came in since the last edit started: edit once more. */
  dirty: boolean;
  /** Failed edits in a row; a new vote or close starts the count again. */
  failures: number;
}

const MAX_EDIT_FAILURES = 5;

export class PollService {
  private readonly closeTimers = new Map<string, NodeJS.Timeout>();
  private readonly refreshes = new Map<string, RefreshState>();
  /** Closes and edits under way, which `stop` waits for. */
  private readonly running = new Set<Promise<unknown>>();
  private stopped = false;

  constructor(
    private readonly polls: PollStore,
    private readonly ratings: RatingStore,
    private readonly films: FilmCatalog,
    private readonly editor: MessageEditor,
    private readonly log: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  async start(input: NewPoll): Promise<Poll> {
    const poll = await this.polls.create(input, this.now());
    this.scheduleClose(poll.guildId, poll.id, poll.closesAt);
    return poll;
  }

  messageFor(poll: Poll): PollMessage {
    const film = this.films.get(poll.filmId);
    if (!film) throw new Error(`poll ${poll.id} names unknown film ${poll.filmId}`);
    return buildPollMessage(poll, film);
  }

  /**
   * Saves a vote, then the member's rating of the film. Resolves once the vote is stored: that
   * is what the member is told. The rating is also handed over when the poll closes, so a
   * rating write that fails here is logged, not reported as a lost vote.
   */
  async vote(guildId: string, pollId: string, userId: string, stars: number): Promise<Poll> {
    const now = this.now();
    const poll = await this.polls.vote(guildId, pollId, userId, stars, now);
    this.requestRefresh(guildId, pollId);
    await this.ratings.rate(guildId, poll.filmId, userId, stars, now).catch((error) => this.log.warn({ err: error, guildId, pollId }, 'rating from a vote not saved yet'));
    return poll;
  }

  /**
   * Closes a poll, takes it off the open list, hands its votes over as ratings and shows the
   * results on its message. Every step after the first is repeatable, so a close that failed
   * half-way (and is retried by its timer or a member) completes the rest.
   */
  async close(guildId: string, pollId: string, closedBy: string): Promise<{ poll: Poll; closedNow: boolean }> {
    return this.track(async () => {
      const result = await this.polls.markClosed(guildId, pollId, closedBy, this.now());
      this.cancelClose(pollId);
      const { poll } = result;
      await this.polls.removeFromOpen(guildId, pollId).catch((error) => this.log.warn({ err: error, guildId, pollId }, 'closed poll still listed as open'));
      // Votes were saved as ratings one by one; handing them over again in one write covers a
      // crash or failure between a vote and its rating. Newer ratings (a later /rate) are kept.
      if (Object.keys(poll.votes).length > 0) {
        await this.ratings.rateMany(guildId, poll.filmId, poll.votes).catch((error) => this.log.warn({ err: error, guildId, pollId }, 'poll votes not handed over as ratings'));
      }
      // Through the refresher, so an edit of the open poll already in flight cannot land last.
      this.requestRefresh(guildId, pollId);
      if (result.closedNow) this.log.info({ guildId, pollId, closedBy, votes: Object.keys(poll.votes).length }, 'poll closed');
      return result;
    });
  }

  /** Stores the id of the posted poll message, retrying in the background if storage is down. */
  async attachMessage(guildId: string, pollId: string, messageId: string, attempt = 1): Promise<void> {
    try {
      await this.polls.attachMessage(guildId, pollId, messageId);
      if (attempt > 1) this.requestRefresh(guildId, pollId);
    } catch (error) {
      if (attempt >= 5 || this.stopped) {
        this.log.error({ err: error, guildId, pollId }, 'poll message id not saved: its tally will not be shown');
        return;
      }
      setTimeout(() => void this.attachMessage(guildId, pollId, messageId, attempt + 1), 2_000 * attempt).unref();
    }
  }

  /** Sets the close timers again after a start, closing polls whose time passed while we were down. */
  async resume(guildIds: string[]): Promise<void> {
    const open = await this.polls.openPollsOf(guildIds);
    for (const { guildId, entry } of open) {
      if (entry.closesAt <= this.now()) {
        await this.closeByTimer(guildId, entry.id);
      } else {
        this.scheduleClose(guildId, entry.id, entry.closesAt);
        // Votes answered just before a stop may not have reached the message yet.
        this.requestRefresh(guildId, entry.id);
      }
    }
    this.log.info({ guilds: guildIds.length, openPolls: open.length }, 'poll timers resumed');
  }

  /** Stops timers and waits for closes and edits under way, so storage can be closed after. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const timer of this.closeTimers.values()) clearTimeout(timer);
    for (const state of this.refreshes.values()) clearTimeout(state.timer);
    this.closeTimers.clear();
    this.refreshes.clear();
    await Promise.allSettled(this.running);
  }

  private track<T>(work: () => Promise<T>): Promise<T> {
    const promise = work();
    this.running.add(promise);
    void promise.finally(() => this.running.delete(promise)).catch(() => undefined);
    return promise;
  }

  private scheduleClose(guildId: string, pollId: string, closesAt: number): void {
    if (this.stopped) return;
    this.cancelClose(pollId);
    const wait = Math.min(Math.max(0, closesAt - this.now()), MAX_TIMER_MS);
    const timer = setTimeout(() => {
      this.closeTimers.delete(pollId);
      if (closesAt > this.now()) this.scheduleClose(guildId, pollId, closesAt);
      else void this.closeByTimer(guildId, pollId);
    }, wait);
    this.closeTimers.set(pollId, timer);
  }

  private cancelClose(pollId: string): void {
    clearTimeout(this.closeTimers.get(pollId));
    this.closeTimers.delete(pollId);
  }

  private async closeByTimer(guildId: string, pollId: string): Promise<void> {
    try {
      await this.close(guildId, pollId, 'timer');
    } catch (error) {
      if (error instanceof UserFacingError) {
        // The poll's record is missing or damaged: retrying cannot help, so stop listing it.
        this.log.error({ err: error, guildId, pollId }, 'open poll has no usable record; dropped from the open list');
        await this.polls.removeFromOpen(guildId, pollId).catch(() => undefined);
        return;
      }
      this.log.error({ err: error, guildId, pollId }, 'could not close a poll on time; retrying in a minute');
      this.scheduleClose(guildId, pollId, this.now() + 60_000);
    }
  }

  /** Asks for the poll message to show the stored tally soon; bursts collapse into one edit. */
  requestRefresh(guildId: string, pollId: string): void {
    if (this.stopped) return;
    const key = `${guildId}:${pollId}`;
    const state = this.refreshes.get(key);
    if (state) {
      state.dirty = true;
      state.failures = 0;
      return;
    }
    const fresh: RefreshState = { dirty: false, failures: 0 };
    this.refreshes.set(key, fresh);
    fresh.timer = setTimeout(() => void this.runRefresh(key, guildId, pollId, fresh), FIRST_EDIT_DELAY_MS);
  }

  private async runRefresh(key: string, guildId: string, pollId: string, state: RefreshState): Promise<void> {
    state.dirty = false;
    try {
      const poll = await this.track(() => this.polls.get(guildId, pollId));
      if (poll) await this.track(() => this.publish(poll));
      state.failures = 0;
    } catch (error) {
      this.log.warn({ err: error, guildId, pollId }, 'poll tally edit failed');
      // A deleted poll message stays deleted; anything else is worth a few more tries.
      state.failures += 1;
      if (!isGone(error) && state.failures < MAX_EDIT_FAILURES) state.dirty = true;
    }
    if (state.dirty && !this.stopped) {
      state.timer = setTimeout(() => void this.runRefresh(key, guildId, pollId, state), EDIT_INTERVAL_MS * 2 ** state.failures);
    } else {
      this.refreshes.delete(key);
    }
  }

  private async publish(poll: Poll): Promise<void> {
    if (!poll.messageId) return;
    await this.editor.edit(poll.channelId, poll.messageId, this.messageFor(poll));
  }
}

const UNKNOWN_CHANNEL = 10003;
const UNKNOWN_MESSAGE = 10008;

function isGone(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return code === UNKNOWN_MESSAGE || code === UNKNOWN_CHANNEL;
}

// Runs watch-party polls: votes, closing (by a member or by the clock) and live tally edits.
import type { FilmCatalog } from '../data/catalog';
import type { Logger } from '../log';
import { buildPollMessage, type PollMessage } from '../replies/poll';
import type { NewPoll, Poll, PollStore } from '../storage/polls';
import type { RatingStore } from '../storage/ratings';

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
  running: boolean;
  dirty: boolean;
}

export class PollService {
  private readonly closeTimers = new Map<string, NodeJS.Timeout>();
  private readonly refreshes = new Map<string, RefreshState>();
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

  /** Saves a vote and the member's rating of the film; resolves only once both are stored. */
  async vote(guildId: string, pollId: string, userId: string, stars: number): Promise<Poll> {
    const now = this.now();
    const poll = await this.polls.vote(guildId, pollId, userId, stars, now);
    await this.ratings.rate(guildId, poll.filmId, userId, stars, now);
    this.requestRefresh(guildId, pollId);
    return poll;
  }

  /**
   * Closes a poll and hands its votes over as ratings. Unless `publish` is false (the End
   * button updates its own message), the poll message is edited to show the results.
   */
  async close(guildId: string, pollId: string, closedBy: string, publish = true): Promise<{ poll: Poll; closedNow: boolean }> {
    const result = await this.polls.close(guildId, pollId, closedBy, this.now());
    this.cancelClose(pollId);
    if (result.closedNow) {
      const { poll } = result;
      // Votes were already saved as ratings one by one; this repeats them in one write so a
      // crash between a vote and its rating cannot leave the two disagreeing.
      const byUser = Object.fromEntries(Object.entries(poll.votes).map(([userId, vote]) => [userId, vote.stars]));
      if (Object.keys(byUser).length > 0) await this.ratings.rateMany(guildId, poll.filmId, byUser, this.now());
      if (publish) await this.publish(poll).catch((error) => this.log.warn({ err: error, guildId, pollId }, 'could not show poll results'));
      this.log.info({ guildId, pollId, closedBy, votes: Object.keys(poll.votes).length }, 'poll closed');
    }
    return result;
  }

  /** Sets the close timers again after a start, closing polls whose time passed while we were down. */
  async resume(guildIds: string[]): Promise<void> {
    const open = await this.polls.openPollsOf(guildIds);
    for (const { guildId, entry } of open) {
      if (entry.closesAt <= this.now()) await this.closeByTimer(guildId, entry.id);
      else this.scheduleClose(guildId, entry.id, entry.closesAt);
    }
    this.log.info({ guilds: guildIds.length, openPolls: open.length }, 'poll timers resumed');
  }

  stop(): void {
    this.stopped = true;
    for (const timer of this.closeTimers.values()) clearTimeout(timer);
    for (const state of this.refreshes.values()) clearTimeout(state.timer);
    this.closeTimers.clear();
    this.refreshes.clear();
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
      return;
    }
    const fresh: RefreshState = { running: false, dirty: false };
    this.refreshes.set(key, fresh);
    fresh.timer = setTimeout(() => void this.runRefresh(key, guildId, pollId, fresh), FIRST_EDIT_DELAY_MS);
  }

  private async runRefresh(key: string, guildId: string, pollId: string, state: RefreshState): Promise<void> {
    state.running = true;
    state.dirty = false;
    try {
      const poll = await this.polls.get(guildId, pollId);
      if (poll) await this.publish(poll);
    } catch (error) {
      this.log.warn({ err: error, guildId, pollId }, 'poll tally edit failed');
      // A deleted poll message stays deleted; anything else is worth another try.
      if (!isGone(error)) state.dirty = true;
    } finally {
      state.running = false;
    }
    if (state.dirty && !this.stopped) {
      state.timer = setTimeout(() => void this.runRefresh(key, guildId, pollId, state), EDIT_INTERVAL_MS);
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

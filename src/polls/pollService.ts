// Runs watch-party polls: votes, closing (by a member or by the clock) and live tally edits.
import type { FilmCatalog } from '../data/catalog';
import { ChannelUnavailableError, type PostOnce } from '../discord/channels';
import { PollClosedError, PollNotFoundError, RecordDamagedError } from '../errors';
import { supportedLocale, translator } from '../i18n';
import type { Logger } from '../log';
import { buildPickMessage } from '../replies/pickPoll';
import { buildPollMessage, type FilmTitle, type PollMessage } from '../replies/poll';
import type { PickPoll } from '../storage/pickPolls';
import { pickOutcome, runoffIdOf } from './pickOutcome';
import { type AnyPoll, isPickPoll, type NewPickPoll, type NewPoll, type Poll, type PollStore, voteCount } from '../storage/polls';
import type { RatingStore } from '../storage/ratings';
import type { RatingEntry } from '../storage/tally';

/** Edits a message the bot posted earlier (the poll), whatever interaction is current, and posts a runoff (see discord/channels). */
export interface MessageEditor {
  edit(channelId: string, messageId: string, message: PollMessage): Promise<void>;
  /** Posts a message in a channel and returns its id (a tied pick vote's runoff); without it a runoff opens unposted. */
  post?(channelId: string, message: PollMessage, once?: PostOnce): Promise<string>;
}

/** How work that must eventually happen (closing, showing results) is retried: doubling waits, capped. */
export interface RetryPolicy {
  firstMs: number;
  maxMs: number;
}

/** What follows a failed poll message update: another try, or none. */
export type EditFailure = 'retried' | 'dropped';

const DEFAULT_RETRY: RetryPolicy = { firstMs: 1_000, maxMs: 60_000 };

/** Who closed a poll whose message could not be posted: nobody saw it. */
export const FAILED_TO_POST = 'failed-to-post';

/** A tied pick vote's runoff: short, since the club is waiting to start. */
export const RUNOFF_MS = 10 * 60_000;

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
  /**
   * The poll is (or may be) closed: its votes must become ratings, its results must reach its
   * message and it must leave the list, so failures are retried for as long as the bot runs.
   */
  finishing: boolean;
}

// A live tally is a courtesy: after this many failed edits in a row it waits for the next vote.
const MAX_TALLY_EDIT_FAILURES = 5;

export class PollService {
  private readonly closeTimers = new Map<string, NodeJS.Timeout>();
  private readonly refreshes = new Map<string, RefreshState>();
  /** Closes and edits under way, which `stop` waits for. */
  private readonly running = new Set<Promise<unknown>>();
  private stopped = false;
  /** Told of each failed poll message update, and whether it will be retried (set by the bot, for the metrics). */
  onEditFailure?: (outcome: EditFailure) => void;
  /**
   * Run for a closed poll once its votes are ratings, before it leaves the list (the server's
   * history records it). Retried with the rest of the close until it succeeds, and again by the
   * next start if the bot stops first, so it must be repeatable.
   */
  onFinished?: (poll: Poll) => Promise<void>;
  /** For the metrics: the poll closes this process has pending, one per open poll it serves. */
  get scheduledCount(): number { return this.closeTimers.size; }

  constructor(
    private readonly polls: PollStore,
    private readonly ratings: RatingStore,
    private readonly bundled: FilmCatalog,
    private readonly editor: MessageEditor,
    private readonly log: Logger,
    private readonly now: () => number = Date.now,
    private readonly retry: RetryPolicy = DEFAULT_RETRY,
  ) {}

  async start(input: NewPoll): Promise<Poll> {
    const poll = await this.polls.create(input, this.now());
    this.scheduleClose(poll.guildId, poll.id, poll.closesAt);
    return poll;
  }

  /** Opens a vote on the next film among the candidates. */
  async startPick(input: NewPickPoll): Promise<PickPoll> {
    const poll = await this.polls.createPick(input, this.now());
    this.scheduleClose(poll.guildId, poll.id, poll.closesAt);
    return poll;
  }

  /** The poll's message, in the language it was posted in (English for polls from before languages). */
  messageFor(poll: AnyPoll): PollMessage {
    const t = translator(supportedLocale(poll.locale));
    return isPickPoll(poll) ? buildPickMessage(t, poll) : buildPollMessage(t, poll, this.filmOf(poll));
  }

  /** The film as the poll names it; polls from before they kept the name are all of bundled films. */
  filmOf(poll: Pick<Poll, 'film' | 'filmId'>): FilmTitle {
    return poll.film ?? this.bundled.get(poll.filmId) ?? { title: poll.filmId };
  }

  /**
   * Saves a vote. Resolves once the vote is stored: that is what the member is told. The member's
   * rating of the film follows after the answer (it is not what they asked for, and a burst of
   * votes must be answered inside Discord's deadline). Until that rating is saved the poll lists
   * the vote as unrated, and its close hands such votes over again, so a crash or a failed rating
   * write loses nothing.
   */
  async vote(guildId: string, pollId: string, userId: string, stars: number): Promise<Poll> {
    const now = this.now();
    let poll: Poll;
    try {
      poll = await this.polls.vote(guildId, pollId, userId, stars, now);
    } catch (error) {
      // The member voted on a message that still looks open: bring it up to date.
      if (error instanceof PollClosedError) this.requestRefresh(guildId, pollId, { finishing: true });
      throw error;
    }
    this.requestRefresh(guildId, pollId);
    void this.track(() => this.rateVote(poll, userId, { stars, at: now }));
    return poll;
  }

  /** Saves a member's pick in a pick poll; resolves once it is stored, as `vote` does. */
  async choose(guildId: string, pollId: string, userId: string, choice: number): Promise<PickPoll> {
    let poll: PickPoll;
    try {
      poll = await this.polls.choose(guildId, pollId, userId, choice, this.now());
    } catch (error) {
      if (error instanceof PollClosedError) this.requestRefresh(guildId, pollId, { finishing: true });
      throw error;
    }
    this.requestRefresh(guildId, pollId);
    return poll;
  }

  private async rateVote(poll: Poll, userId: string, vote: RatingEntry): Promise<void> {
    try {
      await this.ratings.rate(poll.guildId, poll.filmId, userId, vote.stars, vote.at);
      this.polls.voteRated(poll.guildId, poll.id, userId, vote.at);
    } catch (error) {
      this.log.warn({ err: error, guildId: poll.guildId, pollId: poll.id }, 'rating from a vote not saved yet; the poll hands it over when it closes');
    }
  }

  /**
   * Closes a poll. What follows (its results shown on its message, its votes handed over as
   * ratings, and only then its removal from the list of polls) is done by the refresher (`finish`),
   * retried until it succeeds, and finished by the next start should the bot stop first. So a poll
   * never leaves the list before its results are posted, and closing again is harmless.
   */
  async close(guildId: string, pollId: string, closedBy: string): Promise<{ poll: AnyPoll; closedNow: boolean }> {
    return this.track(async () => {
      const result = await this.polls.markClosed(guildId, pollId, closedBy, this.now());
      this.cancelClose(pollId);
      if (result.closedNow) {
        // Only a label for /watchparty status and end, which also check the poll itself: written
        // once, by the close that closed it.
        await this.polls.markClosedInIndex(guildId, pollId).catch((error) => this.log.warn({ err: error, guildId, pollId }, 'closed poll still looks open in the list'));
        this.log.info({ guildId, pollId, closedBy, votes: voteCount(result.poll) }, 'poll closed');
      }
      this.requestRefresh(guildId, pollId, { finishing: true });
      return result;
    });
  }

  /** Stores the id of the posted poll message, retrying in the background if storage is down. */
  async attachMessage(guildId: string, pollId: string, messageId: string, attempt = 1): Promise<void> {
    if (attempt > 1 && this.stopped) return;
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

  /**
   * Sets the close timers again after a start, closes polls whose time passed while we were down,
   * and finishes closed polls whose results never reached their message.
   */
  async resume(guildIds: string[]): Promise<void> {
    const listed = await this.polls.unfinishedPollsOf(guildIds);
    const due: Promise<void>[] = [];
    for (const { guildId, entry } of listed) {
      if (entry.closed) {
        this.requestRefresh(guildId, entry.id, { finishing: true });
      } else if (entry.closesAt <= this.now()) {
        due.push(this.closeByTimer(guildId, entry.id));
      } else {
        this.scheduleClose(guildId, entry.id, entry.closesAt);
        // Votes answered just before a stop may not have reached the message yet.
        this.requestRefresh(guildId, entry.id);
      }
    }
    await Promise.all(due);
    this.log.info({ guilds: guildIds.length, listedPolls: listed.length }, 'poll timers resumed');
  }

  /** Stops timers and waits for closes and edits under way, so storage can be closed after. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const timer of this.closeTimers.values()) clearTimeout(timer);
    for (const state of this.refreshes.values()) clearTimeout(state.timer);
    this.closeTimers.clear();
    this.refreshes.clear();
    // Work under way may start one more tracked step before it sees `stopped`: wait for that too.
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
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

  private async closeByTimer(guildId: string, pollId: string, attempt = 0): Promise<void> {
    try {
      await this.close(guildId, pollId, 'timer');
    } catch (error) {
      if (error instanceof PollNotFoundError) {
        // Listed, but its record is gone: there is nothing to close or show, only the listing to drop.
        this.log.error({ guildId, pollId }, 'listed poll has no record; taking it off the list');
        await this.polls.unlist(guildId, pollId).catch(() => this.retryClose(guildId, pollId, attempt));
        return;
      }
      if (error instanceof RecordDamagedError) {
        // Retrying cannot mend it; it stays listed so that it is tried again after a repair and restart.
        this.log.error({ err: error, guildId, pollId }, 'poll record is damaged and cannot be closed; left listed for repair');
        return;
      }
      // Storage down or slow: closing must happen, so keep trying.
      this.log.warn({ err: error, guildId, pollId, attempt }, 'could not close a poll on time; retrying');
      this.retryClose(guildId, pollId, attempt);
    }
  }

  private retryClose(guildId: string, pollId: string, attempt: number): void {
    if (this.stopped) return;
    this.cancelClose(pollId);
    const timer = setTimeout(() => {
      this.closeTimers.delete(pollId);
      void this.closeByTimer(guildId, pollId, attempt + 1);
    }, this.backoff(attempt));
    this.closeTimers.set(pollId, timer);
  }

  private backoff(attempt: number): number {
    return Math.min(this.retry.firstMs * 2 ** attempt, this.retry.maxMs);
  }

  /**
   * Asks for the poll message to show the stored state soon; bursts collapse into one edit.
   * `finishing` (a closed poll) also hands its votes over and takes it off the list, see `close`.
   */
  requestRefresh(guildId: string, pollId: string, { finishing = false } = {}): void {
    if (this.stopped) return;
    const key = `${guildId}:${pollId}`;
    const state = this.refreshes.get(key);
    if (state) {
      state.dirty = true;
      state.failures = 0;
      state.finishing ||= finishing;
      return;
    }
    const fresh: RefreshState = { dirty: false, failures: 0, finishing };
    this.refreshes.set(key, fresh);
    fresh.timer = setTimeout(() => void this.runRefresh(key, guildId, pollId, fresh), finishing ? 0 : FIRST_EDIT_DELAY_MS);
  }

  private async runRefresh(key: string, guildId: string, pollId: string, state: RefreshState): Promise<void> {
    state.dirty = false;
    try {
      const poll = await this.track(() => this.polls.getAny(guildId, pollId));
      // Storage and Discord are being closed: the next start finishes what is left.
      if (this.stopped) return;
      if (poll?.status === 'closed') {
        state.finishing = true;
        // The results are final: their count is settled against the votes in storage, not only read so.
        await this.track(async () => this.finish(await this.polls.settle(guildId, pollId)));
      } else if (poll) {
        await this.track(() => this.publish(poll));
      }
      state.failures = 0;
    } catch (error) {
      state.failures += 1;
      this.log.warn({ err: error, guildId, pollId, failures: state.failures }, state.finishing ? 'closed poll not finished yet; retrying' : 'poll tally edit failed');
      // A deleted tally message stays deleted; anything else is worth a few more tries.
      if (state.finishing || (!isGone(error) && state.failures < MAX_TALLY_EDIT_FAILURES)) state.dirty = true;
      this.onEditFailure?.(state.dirty ? 'retried' : 'dropped');
    }
    if (state.dirty && !this.stopped) {
      const wait = state.failures === 0 ? EDIT_INTERVAL_MS : Math.min(EDIT_INTERVAL_MS * 2 ** state.failures, this.retry.maxMs);
      state.timer = setTimeout(() => void this.runRefresh(key, guildId, pollId, state), wait);
    } else {
      this.refreshes.delete(key);
    }
  }

  /** The rest of a close, each step repeatable: results on the message, ratings, off the list. */
  private async finish(poll: AnyPoll): Promise<void> {
    // The results first: they come from the poll record alone, so nothing else may hold them up.
    try {
      await this.publish(poll);
    } catch (error) {
      if (isGone(error)) this.log.warn({ err: error, guildId: poll.guildId, pollId: poll.id }, 'poll message was deleted: its results cannot be shown');
      else if (isForbidden(error)) this.log.warn({ err: error, guildId: poll.guildId, pollId: poll.id }, 'the bot may no longer edit the poll message: its results cannot be shown');
      else throw error;
    }
    if (isPickPoll(poll)) await this.openRunoffIfTied(poll);
    else await this.handOverRatings(poll);
    await this.polls.unlist(poll.guildId, poll.id);
  }

  /**
   * A tied pick vote goes to a runoff among the tied films, posted under it. Its id is fixed, so a
   * close retried after a failure finds the same runoff, and posts it only if its message is unknown.
   */
  private async openRunoffIfTied(poll: PickPoll): Promise<void> {
    const outcome = pickOutcome(poll);
    if (outcome.kind !== 'tie') return;
    const runoff = await this.startPick({
      id: runoffIdOf(poll.id),
      runoffOf: poll.id,
      guildId: poll.guildId,
      channelId: poll.channelId,
      hostId: poll.hostId,
      candidates: outcome.tied,
      durationMs: Math.min(RUNOFF_MS, poll.closesAt - poll.createdAt),
      locale: poll.locale,
    });
    if (runoff.messageId || runoff.status !== 'open' || !this.editor.post) return;
    try {
      // The runoff's id as the nonce: a close retried after the post but before the id was saved
      // (a crash, a failed write) gets the same message back from Discord, not a second one.
      const messageId = await this.editor.post(runoff.channelId, this.messageFor(runoff), { nonce: runoff.id });
      // Saved before the tied poll leaves the list: should it fail, the close is retried.
      await this.polls.attachMessage(runoff.guildId, runoff.id, messageId);
      this.log.info({ guildId: poll.guildId, pollId: poll.id, runoffId: runoff.id, tied: outcome.tied.length }, 'pick vote tied: runoff opened');
    } catch (error) {
      // The runoff still closes on time and its result decides; only its message is missing.
      if (isGone(error) || isForbidden(error)) this.log.warn({ err: error, guildId: poll.guildId, pollId: runoff.id }, 'runoff message could not be posted');
      else throw error;
    }
  }

  /** Hands over the votes not known to be saved as ratings, then tells `onFinished`. */
  private async handOverRatings(poll: Poll): Promise<void> {    // Votes are saved as ratings one by one after each answer; the votes not known to be saved
    // are handed over again here, which covers a crash or a failure in between. Newer ratings
    // (a later /rate) are kept.
    const unrated = await this.polls.unratedVotes(poll);
    if (Object.keys(unrated).length > 0) {
      try {
        await this.ratings.rateMany(poll.guildId, poll.filmId, unrated);
      } catch (error) {
        // A damaged film ratings record refuses every change (a damaged member's rating is only
        // skipped); retrying would keep the poll listed forever.
        if (!(error instanceof RecordDamagedError)) throw error;
        this.log.error({ err: error, guildId: poll.guildId, pollId: poll.id }, 'film ratings record is damaged: this poll’s votes were not added to it');
      }
    }
    // A poll whose message never got posted was seen by nobody: the film was not watched.
    if (poll.closedBy !== FAILED_TO_POST) await this.onFinished?.(poll);
  }

  private async publish(poll: AnyPoll): Promise<void> {
    if (!poll.messageId) return;
    await this.editor.edit(poll.channelId, poll.messageId, this.messageFor(poll));
  }
}

const UNKNOWN_CHANNEL = 10003;
const UNKNOWN_MESSAGE = 10008;

// Access lost (the bot was kicked, or its permissions in the channel were taken away): no retry helps.
const FORBIDDEN = new Set([10004, 50001, 50013]);

function isForbidden(error: unknown): boolean {
  if (error instanceof ChannelUnavailableError) return error.reason !== 'deleted';
  return FORBIDDEN.has((error as { code?: unknown }).code as number);
}

function isGone(error: unknown): boolean {
  if (error instanceof ChannelUnavailableError) return error.reason === 'deleted';
  const code = (error as { code?: unknown }).code;
  return code === UNKNOWN_MESSAGE || code === UNKNOWN_CHANNEL;
}

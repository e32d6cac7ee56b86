// Watch-party rating polls, one record per poll plus an index of each server's open polls.
import { randomBytes } from 'node:crypto';
import * as z from 'zod';
import { PollClosedError, PollNotFoundError } from '../errors';
import { keys } from './keys';
import type { RecordStore, RecordType } from './records';
import { ratingCount } from '../ratingSummary';
import { emptyTally, journalSchema, type RatingEntry, ratingEntriesSchema, talliedEntries, tallyOf, tallySchema, countedEntries } from './tally';
import { type Candidate, type ChoiceEntry, choiceCounting, isPickPollId, newPickPollId, type PickPoll, pickPollSchema } from './pickPolls';

const filmNameSchema = z.object({ title: z.string(), year: z.number().optional() });

const pollFields = {
  id: z.string(),
  guildId: z.string(),
  channelId: z.string(),
  messageId: z.string().optional(),
  filmId: z.string(),
  /**
   * The film's name when the poll opened, so its message is drawn without looking the film up
   * (a TMDB film would cost a request per edit). Absent from polls opened before films came
   * from several sources: those are all bundled films.
   */
  film: filmNameSchema.optional(),
  hostId: z.string(),
  blind: z.boolean(),
  createdAt: z.number(),
  closesAt: z.number(),
  status: z.enum(['open', 'closed']),
  closedAt: z.number().optional(),
  closedBy: z.string().optional(),
  /** The language the poll was posted in (a Discord locale code), which every edit keeps; absent: English. */
  locale: z.string().optional(),
};

/**
 * A poll's record counts its votes (`tally`); each member's vote is an entry of its own
 * (`keys.pollVote`), so a vote costs the same in a poll of fifty thousand as in a poll of five.
 */
const pollSchema = z.object({
  ...pollFields,
  tally: tallySchema,
  journal: journalSchema.optional(),
  /**
   * Votes not yet known to be saved as their members' ratings, by member, with the vote's time.
   * A vote's rating is saved after the member is answered; the close hands these over again.
   */
  unrated: z.record(z.string(), z.number()),
  legacy: ratingEntriesSchema.optional(),
});
export type Poll = z.infer<typeof pollSchema>;

// Until 0.1 a poll's record held every vote; it is moved to the per-vote layout the first time it changes.
const legacyPollSchema = z.object({ ...pollFields, votes: ratingEntriesSchema }).transform(
  ({ votes, ...poll }): Poll => ({ ...poll, tally: tallyOf(Object.values(votes)), unrated: Object.fromEntries(Object.entries(votes).map(([userId, vote]) => [userId, vote.at])), legacy: votes }),
);

/** A rating poll or a pick poll: what closing, listing and the poll message's upkeep have in common. */
export type AnyPoll = Poll | PickPoll;
export const isPickPoll = (poll: AnyPoll): poll is PickPoll => 'kind' in poll && poll.kind === 'pick';

/** How many members voted, in a poll of either kind. */
export const voteCount = (poll: AnyPoll): number => ratingCount(poll.tally);

// A poll stays listed until its results are on its message: a closed poll still listed (marked
// `closed`) is one whose results have yet to be shown, which the next start finishes.
const ratingIndexEntrySchema = z.object({ id: z.string(), channelId: z.string(), filmId: z.string(), film: filmNameSchema.optional(), createdAt: z.number(), closesAt: z.number(), closed: z.boolean().optional() });
const pickIndexEntrySchema = z.object({ kind: z.literal('pick'), id: z.string(), channelId: z.string(), createdAt: z.number(), closesAt: z.number(), closed: z.boolean().optional() });
const openIndexSchema = z.object({ polls: z.array(z.union([pickIndexEntrySchema, ratingIndexEntrySchema])) });
/** A rating poll as its server's list names it. */
export type OpenPollEntry = z.infer<typeof ratingIndexEntrySchema>;
/** Any listed poll: rating polls and pick polls share the list, which start-up reads in one go. */
export type ListedPoll = z.infer<typeof openIndexSchema>['polls'][number];
const isRatingEntry = (entry: ListedPoll): entry is OpenPollEntry => !('kind' in entry);

export interface NewPoll {
  guildId: string;
  channelId: string;
  filmId: string;
  film: { title: string; year?: number | undefined };
  hostId: string;
  blind: boolean;
  durationMs: number;
  /** Fixed by a caller that may ask again after a crash (a scheduled party): the same poll comes back. */
  id?: string;
  /** The language it is posted in, kept for its edits. */
  locale?: string | undefined;
}

export interface NewPickPoll {
  guildId: string;
  channelId: string;
  hostId: string;
  candidates: Candidate[];
  durationMs: number;
  /** Fixed for a runoff, so a close retried after a crash opens the same one. */
  id?: string;
  runoffOf?: string;
  /** The language it is posted in, kept for its edits (a runoff keeps its vote's). */
  locale?: string | undefined;
}

export class PollStore {
  private readonly polls: RecordType<Poll, RatingEntry>;
  private readonly picks: RecordType<PickPoll, ChoiceEntry>;
  private readonly indexes: RecordType<z.infer<typeof openIndexSchema>>;
  /** Votes saved as ratings since their poll's record was last written, by poll key: see `unrated`. */
  private readonly rated = new Map<string, Map<string, number>>();

  constructor(records: RecordStore) {
    this.polls = records.type(z.union([pollSchema, legacyPollSchema]), talliedEntries<Poll>(keys.pollVote));
    this.picks = records.type(pickPollSchema, countedEntries<PickPoll, ChoiceEntry>(keys.pollVote, choiceCounting));
    this.indexes = records.type(openIndexSchema);
  }

  async create(input: NewPoll, now: number): Promise<Poll> {
    const poll: Poll = {
      id: input.id ?? randomBytes(6).toString('hex'),
      guildId: input.guildId,
      channelId: input.channelId,
      filmId: input.filmId,
      film: { title: input.film.title, ...(input.film.year === undefined ? {} : { year: input.film.year }) },
      hostId: input.hostId,
      blind: input.blind,
      createdAt: now,
      closesAt: now + input.durationMs,
      status: 'open',
      tally: emptyTally(),
      unrated: {},
      ...(input.locale ? { locale: input.locale } : {}),
    };
    const stored = await this.polls.update(keys.poll(poll.guildId, poll.id), (current) => current ?? poll);
    await this.list(stored, { id: stored.id, channelId: stored.channelId, filmId: stored.filmId, film: stored.film, createdAt: stored.createdAt, closesAt: stored.closesAt });
    return stored;
  }

  async createPick(input: NewPickPoll, now: number): Promise<PickPoll> {
    const poll: PickPoll = {
      kind: 'pick',
      id: input.id ?? newPickPollId(randomBytes(6).toString('hex')),
      guildId: input.guildId,
      channelId: input.channelId,
      hostId: input.hostId,
      candidates: input.candidates.map(({ filmId, film }) => ({ filmId, film: { title: film.title, ...(film.year === undefined ? {} : { year: film.year }) } })),
      createdAt: now,
      closesAt: now + input.durationMs,
      status: 'open',
      tally: input.candidates.map(() => 0),
      ...(input.runoffOf ? { runoffOf: input.runoffOf } : {}),
      ...(input.locale ? { locale: input.locale } : {}),
    };
    const stored = await this.picks.update(keys.pickPoll(poll.guildId, poll.id), (current) => current ?? poll);
    await this.list(stored, { kind: 'pick', id: stored.id, channelId: stored.channelId, createdAt: stored.createdAt, closesAt: stored.closesAt });
    return stored;
  }

  /** Listed once; a poll asked for again after it closed is not listed again. */
  private async list(stored: AnyPoll, entry: ListedPoll): Promise<void> {
    await this.indexes.update(keys.openPolls(stored.guildId), (index) =>
      stored.status !== 'open' || index?.polls.some((listed) => listed.id === stored.id) ? (index ?? { polls: [] }) : { polls: [...(index?.polls ?? []), entry] },
    );
  }

  /** A rating poll. */
  get(guildId: string, pollId: string): Promise<Poll | undefined> {
    return this.polls.read(keys.poll(guildId, pollId));
  }

  /** A poll of either kind, routed by its id. */
  getAny(guildId: string, pollId: string): Promise<AnyPoll | undefined> {
    return isPickPollId(pollId) ? this.picks.read(keys.pickPoll(guildId, pollId)) : this.get(guildId, pollId);
  }

  /** Rating polls only (their ids come from `openPolls`). */
  getMany(guildId: string, pollIds: string[]): Promise<(Poll | undefined)[]> {
    return this.polls.readMany(pollIds.map((pollId) => keys.poll(guildId, pollId)));
  }

  async attachMessage(guildId: string, pollId: string, messageId: string): Promise<AnyPoll> {
    return this.change(guildId, pollId, (poll) => ({ ...poll, messageId }));
  }

  /** Changes a poll of either kind, routed by its id; `mutate` must keep its kind. */
  private change(guildId: string, pollId: string, mutate: <P extends AnyPoll>(poll: P, key: string) => P): Promise<AnyPoll> {
    if (isPickPollId(pollId)) {
      const key = keys.pickPoll(guildId, pollId);
      return this.picks.update(key, (current) => mutate(existing(current, pollId), key));
    }
    const key = keys.poll(guildId, pollId);
    return this.polls.update(key, (current) => mutate(existing(current, pollId), key));
  }

  /** Records (or changes) a member's pick; refused once the poll is closed or its time is up. */
  choose(guildId: string, pollId: string, userId: string, choice: number, now: number): Promise<PickPoll> {
    return this.picks.update(
      keys.pickPoll(guildId, pollId),
      (current, votes) => {
        const poll = existing(current, pollId);
        if (poll.status === 'closed' || now >= poll.closesAt) throw new PollClosedError(pollId);
        if (!Number.isInteger(choice) || choice < 0 || choice >= poll.candidates.length) throw new RangeError(`poll ${pollId} has no choice ${choice}`);
        votes.set(userId, { choice, at: now });
        return poll;
      },
      [userId],
    );
  }

  /** Records (or changes) a member's vote; refused once the poll is closed or its time is up. */
  vote(guildId: string, pollId: string, userId: string, stars: number, now: number): Promise<Poll> {
    const key = keys.poll(guildId, pollId);
    return this.polls.update(
      key,
      (current, votes) => {
        const poll = existing(current, pollId);
        if (poll.status === 'closed' || now >= poll.closesAt) throw new PollClosedError(pollId);
        votes.set(userId, { stars, at: now });
        this.forgetRated(key, poll);
        poll.unrated[userId] = now;
        return poll;
      },
      [userId],
    );
  }

  /** The vote `userId` gave at `at` is saved as their rating: the poll need not hand it over again. */
  voteRated(guildId: string, pollId: string, userId: string, at: number): void {
    const key = keys.poll(guildId, pollId);
    const known = this.rated.get(key) ?? new Map<string, number>();
    known.set(userId, at);
    this.rated.set(key, known);
  }

  /** Drops from `unrated` the votes since saved as ratings, unless the member voted again since. */
  private forgetRated(key: string, poll: AnyPoll): void {
    if (isPickPoll(poll)) return;
    const known = this.rated.get(key);
    if (!known) return;
    this.rated.delete(key);
    for (const [userId, at] of known) if (poll.unrated[userId] === at) delete poll.unrated[userId];
  }

  /** The votes of a poll not yet known to be saved as ratings (handed over by its close). */
  unratedVotes(poll: Poll): Promise<Record<string, RatingEntry>> {
    return this.votesOf(poll, Object.keys(poll.unrated));
  }

  /** The stored votes of these members (a poll's voters are not listed anywhere: votes are looked up by member). */
  async votesOf(poll: Poll, userIds: string[]): Promise<Record<string, RatingEntry>> {
    const { entries } = await this.polls.readWithEntries(keys.poll(poll.guildId, poll.id), userIds);
    const votes: Record<string, RatingEntry> = {};
    userIds.forEach((userId, index) => {
      // Not moved out of an older record yet: the record has them.
      const vote = poll.legacy?.[userId] ?? entries[index];
      if (vote) votes[userId] = vote;
    });
    return votes;
  }

  /**
   * Marks a poll closed. Returns the closed poll and whether this call closed it, so that two
   * closers (the timer and a host, say) report the closing only once.
   */
  async markClosed(guildId: string, pollId: string, closedBy: string, now: number): Promise<{ poll: AnyPoll; closedNow: boolean }> {
    let closedNow = false;
    const poll = await this.change(guildId, pollId, (poll, key) => {
      // Set on every run: a batch replayed after a failed check runs its mutations again.
      closedNow = poll.status !== 'closed';
      this.forgetRated(key, poll);
      if (!closedNow) return poll;
      return { ...poll, status: 'closed' as const, closedAt: now, closedBy };
    });
    return { poll, closedNow };
  }

  /**
   * Brings a poll's stored count in line with its stored votes, which a failure between writing
   * the two can leave apart (see EntryKind). Every update does this, and reads show the count
   * as it would be; this writes it, for a close's results.
   */
  async settle(guildId: string, pollId: string): Promise<AnyPoll> {
    return this.change(guildId, pollId, (poll, key) => {
      this.forgetRated(key, poll);
      return poll;
    });
  }

  /** Keeps a closed poll listed, marked closed, until its results are shown (see `unlist`). */
  async markClosedInIndex(guildId: string, pollId: string): Promise<void> {
    await this.indexes.update(keys.openPolls(guildId), (index) => ({
      polls: (index?.polls ?? []).map((entry) => (entry.id === pollId ? { ...entry, closed: true } : entry)),
    }));
  }

  /** Takes a poll off its server's list (also when its record is gone): nothing is left to do for it. */
  async unlist(guildId: string, pollId: string): Promise<void> {
    this.rated.delete(keys.poll(guildId, pollId));
    await this.indexes.update(keys.openPolls(guildId), (index) => ({
      polls: (index?.polls ?? []).filter((entry) => entry.id !== pollId),
    }));
  }

  /** The rating polls members can still vote in. */
  async openPolls(guildId: string): Promise<OpenPollEntry[]> {
    return (await this.openPollsOfBothKinds(guildId)).rating;
  }

  /** The rating polls and the pick polls members can still vote in, from one read of the list. */
  async openPollsOfBothKinds(guildId: string): Promise<{ rating: OpenPollEntry[]; pick: ListedPoll[] }> {
    const open = ((await this.indexes.read(keys.openPolls(guildId)))?.polls ?? []).filter((entry) => !entry.closed);
    return { rating: open.filter(isRatingEntry), pick: open.filter((entry) => !isRatingEntry(entry)) };
  }

  /** Every listed poll of many servers in one read, closed ones awaiting their results too, for start-up. */
  async unfinishedPollsOf(guildIds: string[]): Promise<{ guildId: string; entry: ListedPoll }[]> {
    const indexes = await this.indexes.readMany(guildIds.map(keys.openPolls));
    // A loop rather than flatMap: most servers have no index, and start-up reads thousands.
    const listed: { guildId: string; entry: ListedPoll }[] = [];
    for (let i = 0; i < indexes.length; i++) {
      const polls = indexes[i]?.polls;
      if (polls) for (const entry of polls) listed.push({ guildId: guildIds[i]!, entry });
    }
    return listed;
  }
}

function existing<P extends AnyPoll>(poll: P | undefined, pollId: string): P {
  if (!poll) throw new PollNotFoundError(pollId);
  return poll;
}

// Watch-party rating polls, one record per poll plus an index of each server's open polls.
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { PollClosedError, PollNotFoundError } from '../errors';
import { starsSchema } from '../stars';
import { keys } from './keys';
import type { RecordStore, RecordType } from './records';

export const pollSchema = z.object({
  id: z.string(),
  guildId: z.string(),
  channelId: z.string(),
  messageId: z.string().optional(),
  filmId: z.string(),
  hostId: z.string(),
  blind: z.boolean(),
  createdAt: z.number(),
  closesAt: z.number(),
  status: z.enum(['open', 'closed']),
  closedAt: z.number().optional(),
  closedBy: z.string().optional(),
  votes: z.record(z.string(), z.object({ stars: starsSchema, at: z.number() })),
});
export type Poll = z.infer<typeof pollSchema>;

// A poll stays listed until its results are on its message: a closed poll still listed (marked
// `closed`) is one whose results have yet to be shown, which the next start finishes.
const openIndexSchema = z.object({
  polls: z.array(
    z.object({ id: z.string(), channelId: z.string(), filmId: z.string(), createdAt: z.number(), closesAt: z.number(), closed: z.boolean().optional() }),
  ),
});
export type OpenPollEntry = z.infer<typeof openIndexSchema>['polls'][number];

export interface NewPoll {
  guildId: string;
  channelId: string;
  filmId: string;
  hostId: string;
  blind: boolean;
  durationMs: number;
}

export class PollStore {
  private readonly polls: RecordType<Poll>;
  private readonly indexes: RecordType<z.infer<typeof openIndexSchema>>;

  constructor(records: RecordStore) {
    this.polls = records.type(pollSchema);
    this.indexes = records.type(openIndexSchema);
  }

  async create(input: NewPoll, now: number): Promise<Poll> {
    const poll: Poll = {
      id: randomBytes(6).toString('hex'),
      guildId: input.guildId,
      channelId: input.channelId,
      filmId: input.filmId,
      hostId: input.hostId,
      blind: input.blind,
      createdAt: now,
      closesAt: now + input.durationMs,
      status: 'open',
      votes: {},
    };
    await this.polls.update(keys.poll(poll.guildId, poll.id), (current) => current ?? poll);
    await this.indexes.update(keys.openPolls(poll.guildId), (index) => ({
      polls: [...(index?.polls ?? []), { id: poll.id, channelId: poll.channelId, filmId: poll.filmId, createdAt: poll.createdAt, closesAt: poll.closesAt }],
    }));
    return poll;
  }

  get(guildId: string, pollId: string): Promise<Poll | undefined> {
    return this.polls.read(keys.poll(guildId, pollId));
  }

  getMany(guildId: string, pollIds: string[]): Promise<(Poll | undefined)[]> {
    return this.polls.readMany(pollIds.map((pollId) => keys.poll(guildId, pollId)));
  }

  async attachMessage(guildId: string, pollId: string, messageId: string): Promise<Poll> {
    return this.polls.update(keys.poll(guildId, pollId), (poll) => ({ ...existing(poll, pollId), messageId }));
  }

  /** Records (or changes) a member's vote; refused once the poll is closed or its time is up. */
  vote(guildId: string, pollId: string, userId: string, stars: number, now: number): Promise<Poll> {
    return this.polls.update(keys.poll(guildId, pollId), (current) => {
      const poll = existing(current, pollId);
      if (poll.status === 'closed' || now >= poll.closesAt) throw new PollClosedError(pollId);
      poll.votes[userId] = { stars, at: now };
      return poll;
    });
  }

  /**
   * Marks a poll closed. Returns the closed poll and whether this call closed it, so that two
   * closers (the timer and a host, say) report the closing only once.
   */
  async markClosed(guildId: string, pollId: string, closedBy: string, now: number): Promise<{ poll: Poll; closedNow: boolean }> {
    let closedNow = false;
    const poll = await this.polls.update(keys.poll(guildId, pollId), (current) => {
      const poll = existing(current, pollId);
      // Set on every run: a batch replayed after a failed check runs its mutations again.
      closedNow = poll.status !== 'closed';
      if (!closedNow) return poll;
      return { ...poll, status: 'closed' as const, closedAt: now, closedBy };
    });
    return { poll, closedNow };
  }

  /** Keeps a closed poll listed, marked closed, until its results are shown (see `unlist`). */
  async markClosedInIndex(guildId: string, pollId: string): Promise<void> {
    await this.indexes.update(keys.openPolls(guildId), (index) => ({
      polls: (index?.polls ?? []).map((entry) => (entry.id === pollId ? { ...entry, closed: true } : entry)),
    }));
  }

  /** Takes a poll off its server's list (also when its record is gone): nothing is left to do for it. */
  async unlist(guildId: string, pollId: string): Promise<void> {
    await this.indexes.update(keys.openPolls(guildId), (index) => ({
      polls: (index?.polls ?? []).filter((entry) => entry.id !== pollId),
    }));
  }

  /** The polls members can still vote in. */
  async openPolls(guildId: string): Promise<OpenPollEntry[]> {
    return ((await this.indexes.read(keys.openPolls(guildId)))?.polls ?? []).filter((entry) => !entry.closed);
  }

  /** Every listed poll of many servers in one read, closed ones awaiting their results too, for start-up. */
  async unfinishedPollsOf(guildIds: string[]): Promise<{ guildId: string; entry: OpenPollEntry }[]> {
    const indexes = await this.indexes.readMany(guildIds.map(keys.openPolls));
    return indexes.flatMap((index, i) => (index?.polls ?? []).map((entry) => ({ guildId: guildIds[i]!, entry })));
  }
}

function existing(poll: Poll | undefined, pollId: string): Poll {
  if (!poll) throw new PollNotFoundError(pollId);
  return poll;
}

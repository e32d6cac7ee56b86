// Watch-party rating polls, one record per poll plus an index of each server's open polls.
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { UserFacingError } from '../errors';
import { starsSchema } from '../stars';
import { keys } from './keys';
import type { RecordStore } from './records';

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

const openIndexSchema = z.object({
  polls: z.array(z.object({ id: z.string(), channelId: z.string(), filmId: z.string(), createdAt: z.number(), closesAt: z.number() })),
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

const noSuchPoll = (): never => {
  throw new UserFacingError('That poll no longer exists.');
};

export class PollStore {
  constructor(private readonly records: RecordStore) {}

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
    await this.records.update(keys.poll(poll.guildId, poll.id), pollSchema, () => poll, (current) => current);
    await this.records.update(keys.openPolls(poll.guildId), openIndexSchema, () => ({ polls: [] }), (index) => ({
      polls: [...index.polls, { id: poll.id, channelId: poll.channelId, filmId: poll.filmId, createdAt: poll.createdAt, closesAt: poll.closesAt }],
    }));
    return poll;
  }

  get(guildId: string, pollId: string): Promise<Poll | undefined> {
    return this.records.read(keys.poll(guildId, pollId), pollSchema);
  }

  getMany(guildId: string, pollIds: string[]): Promise<(Poll | undefined)[]> {
    return this.records.readMany(pollIds.map((pollId) => keys.poll(guildId, pollId)), pollSchema);
  }

  async attachMessage(guildId: string, pollId: string, messageId: string): Promise<Poll> {
    return this.records.update(keys.poll(guildId, pollId), pollSchema, noSuchPoll, (poll) => ({ ...poll, messageId }));
  }

  /** Records (or changes) a member's vote; refused once the poll is closed or its time is up. */
  vote(guildId: string, pollId: string, userId: string, stars: number, now: number): Promise<Poll> {
    return this.records.update(keys.poll(guildId, pollId), pollSchema, noSuchPoll, (poll) => {
      if (poll.status === 'closed' || now >= poll.closesAt) throw new UserFacingError('This poll has closed, so your vote was not counted.');
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
    const poll = await this.records.update(keys.poll(guildId, pollId), pollSchema, noSuchPoll, (current) => {
      if (current.status === 'closed') return current;
      closedNow = true;
      return { ...current, status: 'closed' as const, closedAt: now, closedBy };
    });
    return { poll, closedNow };
  }

  /** Takes a poll off its server's list of open polls (also when its record is gone). */
  async removeFromOpen(guildId: string, pollId: string): Promise<void> {
    await this.records.update(keys.openPolls(guildId), openIndexSchema, () => ({ polls: [] }), (index) => ({
      polls: index.polls.filter((entry) => entry.id !== pollId),
    }));
  }

  async openPolls(guildId: string): Promise<OpenPollEntry[]> {
    return (await this.records.read(keys.openPolls(guildId), openIndexSchema))?.polls ?? [];
  }

  /** The open polls of many servers in one read, for setting timers again at start-up. */
  async openPollsOf(guildIds: string[]): Promise<{ guildId: string; entry: OpenPollEntry }[]> {
    const indexes = await this.records.readMany(guildIds.map(keys.openPolls), openIndexSchema);
    return indexes.flatMap((index, i) => (index?.polls ?? []).map((entry) => ({ guildId: guildIds[i]!, entry })));
  }
}

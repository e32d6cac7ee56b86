// What each server watched: one line per closed rating poll, kept by poll id so that recording a
// poll again (its close is retried until it succeeds) changes nothing. One record per server.
import * as z from 'zod';
import { summariseTally } from '../ratingSummary';
import { keys } from './keys';
import type { Poll } from './polls';
import type { RecordStore, RecordType } from './records';

/** About ten years of weekly parties; older lines give way to newer ones. */
export const MAX_HISTORY = 1_000;

const watchedSchema = z.object({
  pollId: z.string().min(1),
  filmId: z.string().min(1),
  film: z.object({ title: z.string().min(1), year: z.number().int().optional() }),
  /** When its poll closed. */
  watchedAt: z.number(),
  /** The poll's average, absent when nobody voted. */
  average: z.number().min(0.5).max(5).optional(),
  voters: z.number().int().nonnegative(),
});
export type WatchedFilm = z.infer<typeof watchedSchema>;

const historySchema = z.object({
  /** Newest first. */
  watched: z.array(watchedSchema).max(MAX_HISTORY),
});
type History = z.infer<typeof historySchema>;

export class HistoryStore {
  private readonly histories: RecordType<History>;

  constructor(records: RecordStore) {
    this.histories = records.type(historySchema);
  }

  /** Newest first (a copy: callers may keep it). */
  async watched(guildId: string): Promise<WatchedFilm[]> {
    return (await this.histories.read(keys.history(guildId)))?.watched ?? [];
  }

  /**
   * Notes a closed rating poll's film as watched when the poll closed, with its average and
   * voters. A poll nobody voted in still counts as watched, without an average.
   */
  async recordPoll(poll: Poll, film: { title: string; year?: number | undefined }): Promise<void> {
    const summary = summariseTally(poll.tally);
    await this.record(poll.guildId, {
      pollId: poll.id,
      filmId: poll.filmId,
      film: { title: film.title, ...(film.year === undefined ? {} : { year: film.year }) },
      watchedAt: poll.closedAt ?? poll.closesAt,
      ...(summary ? { average: summary.average } : {}),
      voters: summary?.count ?? 0,
    });
  }

  /** Adds a line in date order; a line for the same poll is kept as first recorded. */
  async record(guildId: string, line: WatchedFilm): Promise<void> {
    const key = keys.history(guildId);
    // Most calls are retries of a close that got this far before: no write for them.
    if ((await this.histories.peek(key))?.watched.some((item) => item.pollId === line.pollId)) return;
    await this.histories.update(key, (current) => {
      const history = current ?? { watched: [] };
      if (history.watched.some((item) => item.pollId === line.pollId)) return history;
      const at = history.watched.findIndex((item) => item.watchedAt < line.watchedAt);
      history.watched.splice(at < 0 ? history.watched.length : at, 0, line);
      history.watched = history.watched.slice(0, MAX_HISTORY);
      return history;
    });
  }
}

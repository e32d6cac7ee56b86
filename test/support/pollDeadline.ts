// Moves a stored poll's closing time, so restart tests need not wait out a real minute-long poll.
import { silentLog } from '../../harness/storage';
import { keys } from '../../src/storage/keys';
import { openStorage } from '../../src/storage/keyv';

interface StoredPoll {
  closesAt: number;
  [field: string]: unknown;
}

interface StoredIndex {
  polls: { id: string; closesAt: number; [field: string]: unknown }[];
}

/**
 * Rewrites `closesAt` in the poll's record and in its server's open-polls index, at the keyv
 * level so it does not lean on the store classes. Only while the bot is stopped: a running bot
 * keeps its own timer and could write the record back. Whether the bot honours the new time is
 * what the calling test checks, through what the bot shows.
 */
export async function rewritePollDeadline(storageUrl: string, guildId: string, pollId: string, closesAt: number): Promise<void> {
  const storage = await openStorage(storageUrl, silentLog);
  try {
    const pollKey = keys.poll(guildId, pollId);
    const poll = (await storage.kv.get(pollKey)) as StoredPoll | undefined;
    if (!poll) throw new Error(`no stored poll at ${pollKey}`);
    await storage.kv.set(pollKey, { ...poll, closesAt });

    const indexKey = keys.openPolls(guildId);
    const index = (await storage.kv.get(indexKey)) as StoredIndex | undefined;
    if (!index?.polls.some((entry) => entry.id === pollId)) throw new Error(`poll ${pollId} is not listed at ${indexKey}`);
    await storage.kv.set(indexKey, { ...index, polls: index.polls.map((entry) => (entry.id === pollId ? { ...entry, closesAt } : entry)) });
  } finally {
    await storage.close();
  }
}

// Deals a film's excerpts to a server (or to one member, outside servers that added Reelside) like
// a shuffled deck: none repeats until all were shown.
import * as z from 'zod';
import { keys } from './keys';
import type { RecordStore, RecordType } from './records';

const deckSchema = z.object({ remaining: z.array(z.string()) });

/** Whose deck: a server's, shared by its members, or one member's own, wherever they use /quote. */
export type QuoteDeck = { guildId: string } | { userId: string };

export class QuoteRotation {
  private readonly decks: RecordType<z.infer<typeof deckSchema>>;

  constructor(
    records: RecordStore,
    private readonly random: () => number = Math.random,
  ) {
    this.decks = records.type(deckSchema);
  }

  /** Draws the next excerpt key of `allKeys` from this deck; reshuffles when it is empty. */
  async next(owner: QuoteDeck, filmId: string, allKeys: readonly string[]): Promise<string> {
    if (allKeys.length === 0) throw new Error(`film ${filmId} has no excerpts`);
    let drawn: string | undefined;
    const key = 'userId' in owner ? keys.userQuoteRotation(owner.userId, filmId) : keys.quoteRotation(owner.guildId, filmId);
    await this.decks.update(key, (deck) => {
      // Keys of excerpts removed from the dataset since the deck was dealt are dropped.
      const valid = new Set(allKeys);
      let remaining = (deck?.remaining ?? []).filter((key) => valid.has(key));
      if (remaining.length === 0) remaining = this.shuffle([...allKeys]);
      drawn = remaining.pop();
      return { remaining };
    });
    return drawn!;
  }

  private shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = Math.floor(this.random() * (i + 1));
      [items[i], items[j]] = [items[j]!, items[i]!];
    }
    return items;
  }
}

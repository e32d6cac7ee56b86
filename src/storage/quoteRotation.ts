// Deals a film's excerpts to a server like a shuffled deck: none repeats until all were shown.
import * as z from 'zod';
import { keys } from './keys';
import type { RecordStore, RecordType } from './records';

const deckSchema = z.object({ remaining: z.array(z.string()) });

export class QuoteRotation {
  private readonly decks: RecordType<z.infer<typeof deckSchema>>;

  constructor(
    records: RecordStore,
    private readonly random: () => number = Math.random,
  ) {
    this.decks = records.type(deckSchema);
  }

  /** Draws the next excerpt key of `allKeys` for this server; reshuffles when the deck is empty. */
  async next(guildId: string, filmId: string, allKeys: readonly string[]): Promise<string> {
    if (allKeys.length === 0) throw new Error(`film ${filmId} has no excerpts`);
    let drawn: string | undefined;
    await this.decks.update(keys.quoteRotation(guildId, filmId), (deck) => {
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

import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { QuoteRotation } from '../../src/storage/quoteRotation';
import { BACKENDS, closeServersOfThisFile, openTestStorage } from '../../harness/storage';

afterAll(closeServersOfThisFile);

describe.each(BACKENDS)('QuoteRotation on %s', (backend) => {
  let store: Awaited<ReturnType<typeof openTestStorage>>;
  beforeEach(async () => {
    store = await openTestStorage(backend);
  });
  afterEach(async () => store.close());

  const deck = ['a#0', 'a#1', 'a#2', 'b#0', 'b#1'];
  const GUILD_1 = { guildId: 'guild-1' };

  it('shows every excerpt once before any repeats, even when asked concurrently', async () => {
    const rotation = new QuoteRotation(store.records);
    const first = await Promise.all(deck.map(() => rotation.next(GUILD_1, 'film', deck)));
    expect([...first].sort()).toEqual([...deck].sort());
    const second = await Promise.all(deck.map(() => rotation.next(GUILD_1, 'film', deck)));
    expect([...second].sort()).toEqual([...deck].sort());
  });

  it('keeps a separate deck per server', async () => {
    const rotation = new QuoteRotation(store.records);
    for (let i = 0; i < 4; i++) await rotation.next(GUILD_1, 'film', deck);
    const other = await Promise.all(deck.map(() => rotation.next({ guildId: 'guild-2' }, 'film', deck)));
    expect(new Set(other).size).toBe(deck.length);
  });

  it('keeps a member’s own deck apart from the server of the same id', async () => {
    const rotation = new QuoteRotation(store.records);
    for (let i = 0; i < 4; i++) await rotation.next({ userId: 'guild-1' }, 'film', deck);
    const server = await Promise.all(deck.map(() => rotation.next(GUILD_1, 'film', deck)));
    expect(new Set(server).size).toBe(deck.length);
  });

  it('drops excerpts that left the dataset since the deck was dealt', async () => {
    const rotation = new QuoteRotation(store.records);
    await rotation.next(GUILD_1, 'film', deck);
    const smaller = ['a#0', 'b#1'];
    const drawn = await Promise.all([rotation.next(GUILD_1, 'film', smaller), rotation.next(GUILD_1, 'film', smaller)]);
    for (const key of drawn) expect(smaller).toContain(key);
  });
});

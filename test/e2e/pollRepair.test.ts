// A poll that closed while its message kept showing it open (its edits failed) is put right by
// whatever a member does with it next.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoredMessage } from '../../harness/discord/types';
import { currentPoll, POLL_HOST, pollIdOf, pressEnd, startPoll, vote } from '../../harness/polls';
import { silentLog } from '../../harness/storage';
import { FILM_CLUB, member, startWorld, type World } from '../../harness/world';
import { openStorage } from '../../src/storage/keyv';
import { PollStore } from '../../src/storage/polls';
import { RecordStore } from '../../src/storage/records';

let world: World;
beforeAll(async () => {
  world = await startWorld();
});
afterAll(async () => world?.close());

/** Closes the poll in storage only, as a close whose every message edit failed leaves it. */
async function closeBehindItsMessage(poll: StoredMessage): Promise<void> {
  const storage = await openStorage(world.storageUrl, silentLog);
  try {
    const polls = new PollStore(new RecordStore(storage.kv, silentLog));
    await polls.markClosed(FILM_CLUB.id, pollIdOf(poll), POLL_HOST.id, Date.now());
    await polls.unlist(FILM_CLUB.id, pollIdOf(poll));
  } finally {
    await storage.close();
  }
}

describe('a closed poll whose message still shows it open', () => {
  it('shows its results when the End button is pressed, and tells the member it had closed', async () => {
    const poll = await startPoll(world.discord);
    await vote(world.discord, poll, member(20), '4').reply();
    await closeBehindItsMessage(poll);
    expect(currentPoll(world.discord, poll).embeds[0].title).toBe('Rate Her Smell');

    const press = pressEnd(world.discord, poll, POLL_HOST);
    const updated = await press.reply();
    expect(updated.embeds[0].title).toBe('Results: Her Smell');
    expect(updated.embeds[0].description).toContain('**4.0** average from 1 vote');
    expect(updated.components).toEqual([]);
    const note = await press.waitForFollowUp();
    expect(note.ephemeral).toBe(true);
    expect(note.content).toBe('This poll had already closed: its results are shown now.');
    expect(currentPoll(world.discord, poll).embeds[0].title).toBe('Results: Her Smell');
  });

  it('is brought up to date when a member votes in it, and the vote is refused', async () => {
    const poll = await startPoll(world.discord);
    await vote(world.discord, poll, member(21), '2').reply();
    // Let the vote's own tally edit land first, so only the late vote can repair the message.
    await expect.poll(() => currentPoll(world.discord, poll).embeds[0].description, { timeout: 5_000 }).toContain('1 vote so far');
    await closeBehindItsMessage(poll);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(currentPoll(world.discord, poll).embeds[0].title).toBe('Rate Her Smell');
    const late = await vote(world.discord, poll, member(22), '5').reply();
    expect(late.ephemeral).toBe(true);
    expect(late.content).toBe('This poll has closed, so your vote was not counted.');
    await expect.poll(() => currentPoll(world.discord, poll).embeds[0].title, { timeout: 5_000 }).toBe('Results: Her Smell');
    expect(currentPoll(world.discord, poll).embeds[0].description).toContain('**2.0** average from 1 vote');
  });
});

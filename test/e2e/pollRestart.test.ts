// A poll outlives the bot process: votes survive a restart, voting goes on, and the poll closes on time.
import { afterAll, describe, it } from 'vitest';
import { currentPoll, pollIdOf, startPoll, vote } from '../../harness/polls';
import { BACKENDS, closeServersOfThisFile } from '../../harness/storage';
import { FILM_CLUB, member, startWorld } from '../../harness/world';
import { rewritePollDeadline } from '../support/pollDeadline';

afterAll(closeServersOfThisFile);

// The shortest poll lasts a minute; rather than wait it out, each test moves the stored closing
// time while the bot is stopped and checks that the restarted bot keeps to it.
describe.concurrent.each(BACKENDS)('on %s storage', (backend) => {
  it('keeps votes through a restart, keeps voting working, and closes on time afterwards', async ({ expect }) => {
    const startingAt = Date.now();
    const world = await startWorld({ backend });
    // The new closing time must fall after the restart, which takes longer on a busy machine:
    // scale it by how long this start took, so that the timer, not the start-up, closes the poll.
    const margin = Math.min(Math.max(2 * (Date.now() - startingAt), 5_000), 30_000);
    try {
      const poll = await startPoll(world.discord, { duration: 1 });
      expect((await vote(world.discord, poll, member(20), '4').reply()).content).toMatch(/^You rated Her Smell 4★/);
      let closesAt = 0;
      await world.restartBot(async () => {
        closesAt = Date.now() + margin;
        await rewritePollDeadline(world.storageUrl, FILM_CLUB.id, pollIdOf(poll), closesAt);
      });
      expect(Date.now(), 'the restart took longer than the margin given to it').toBeLessThan(closesAt);
      const after = await vote(world.discord, poll, member(21), '5').reply();
      expect(after.content).toMatch(/^You rated Her Smell 5★/);
      expect(currentPoll(world.discord, poll).embeds[0].title).toBe('Rate Her Smell');

      await expect.poll(() => currentPoll(world.discord, poll).embeds[0].title, { timeout: margin + 15_000, interval: 100 }).toBe('Results: Her Smell');
      expect(currentPoll(world.discord, poll).embeds[0].description).toContain('**4.5** average from 2 votes');
      const closed = await world.bot.waitForLog((line) => line.msg === 'poll closed');
      expect(closed.closedBy).toBe('timer');
      expect(closed.time).toBeGreaterThanOrEqual(closesAt);
      expect(closed.time as number).toBeLessThan(closesAt + 10_000);
    } finally {
      await world.close();
    }
  }, 100_000);

  it('closes a poll whose time ran out while the bot was down, as soon as it starts again', async ({ expect }) => {
    const world = await startWorld({ backend });
    try {
      const poll = await startPoll(world.discord, { duration: 1 });
      await vote(world.discord, poll, member(30), '3').reply();
      await world.restartBot(async () => {
        await rewritePollDeadline(world.storageUrl, FILM_CLUB.id, pollIdOf(poll), Date.now() - 1_000);
        // Nothing closes it while the bot is down.
        expect(currentPoll(world.discord, poll).embeds[0].title).toBe('Rate Her Smell');
      });
      await expect.poll(() => currentPoll(world.discord, poll).embeds[0].title, { timeout: 10_000 }).toBe('Results: Her Smell');
      expect(currentPoll(world.discord, poll).embeds[0].description).toContain('**3.0** average from 1 vote');
      expect((await world.bot.waitForLog((line) => line.msg === 'poll closed')).closedBy).toBe('timer');
    } finally {
      await world.close();
    }
  }, 100_000);
});

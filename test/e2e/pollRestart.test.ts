// A poll outlives the bot process: votes survive a restart, voting goes on, and the poll closes on time.
import { afterAll, describe, it } from 'vitest';
import { currentPoll, startPoll, vote } from '../../harness/polls';
import { BACKENDS, closeServersOfThisFile } from '../../harness/storage';
import { member, startWorld } from '../../harness/world';

afterAll(closeServersOfThisFile);

// The shortest poll lasts a minute, so the backends wait out that minute side by side.
describe.concurrent.each(BACKENDS)('on %s storage', (backend) => {
  it('keeps votes through a restart, keeps voting working, and closes on time afterwards', async ({ expect }) => {
    const world = await startWorld({ backend });
    try {
      const poll = await startPoll(world.discord, { duration: 1 });
      expect((await vote(world.discord, poll, member(20), '4').reply()).content).toMatch(/^You rated Her Smell 4★/);
      await world.restartBot();
      const after = await vote(world.discord, poll, member(21), '5').reply();
      expect(after.content).toMatch(/^You rated Her Smell 5★/);
      await expect.poll(() => currentPoll(world.discord, poll).embeds[0].title, { timeout: 75_000, interval: 500 }).toBe('Results: Her Smell');
      expect(currentPoll(world.discord, poll).embeds[0].description).toContain('**4.5** average from 2 votes');
    } finally {
      await world.close();
    }
  }, 100_000);

  it('closes a poll whose time ran out while the bot was down, as soon as it starts again', async ({ expect }) => {
    const world = await startWorld({ backend });
    try {
      const poll = await startPoll(world.discord, { duration: 1 });
      await vote(world.discord, poll, member(30), '3').reply();
      await world.bot.stop('SIGTERM');
      await new Promise((resolve) => setTimeout(resolve, 61_000));
      expect(currentPoll(world.discord, poll).embeds[0].title).toBe('Rate Her Smell');
      await world.restartBot();
      await expect.poll(() => currentPoll(world.discord, poll).embeds[0].title, { timeout: 10_000 }).toBe('Results: Her Smell');
      expect(currentPoll(world.discord, poll).embeds[0].description).toContain('**3.0** average from 1 vote');
    } finally {
      await world.close();
    }
  }, 100_000);
});

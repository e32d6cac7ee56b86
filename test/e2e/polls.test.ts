// Ratings and watch-party polls, driven through the real bot process as members would.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MemberInput, StoredMessage } from '../../harness/discord/types';
import { currentPoll, endButtonOf, POLL_HOST, pollIdOf, pressEnd as pressEndIn, selectOf, startPoll as startPollIn, vote as voteIn } from '../../harness/polls';
import {
  FILM_CLUB,
  MANAGE_GUILD,
  member,
  NUMBER,
  OTHER_CLUB,
  SCREENING_ROOM,
  slash,
  startWorld,
  str,
  sub,
  type World,
} from '../../harness/world';
import { BACKENDS, closeServersOfThisFile } from '../../harness/storage';

afterAll(closeServersOfThisFile);

// The helpers below act on the world of the storage backend under test.
const STRING_SELECT = 3;
let world: World;
const host = POLL_HOST;
const startPoll = (options: Parameters<typeof startPollIn>[1] = {}) => startPollIn(world.discord, options);
const current = (poll: StoredMessage) => currentPoll(world.discord, poll);
const vote = (poll: StoredMessage, user: MemberInput, value: string) => voteIn(world.discord, poll, user, value);
const pressEnd = (poll: StoredMessage, user: MemberInput) => pressEndIn(world.discord, poll, user);

describe.each(BACKENDS)('on %s storage', (backend) => {
  beforeAll(async () => {
    world = await startWorld({ backend });
  });
  afterAll(async () => world?.close());

  describe('/rate', () => {
    it('rates a film and confirms in stars, privately', async () => {
      const reply = await slash(world.discord, 'rate', [str('film', 'her-smell'), { name: 'stars', type: NUMBER, value: 4.5 }], { user: member(1) }).reply();
      expect(reply.ephemeral).toBe(true);
      expect(reply.content).toBe('You rated Her Smell 4½★.');
    });

    it('replaces an earlier rating and shows the member their own', async () => {
      await slash(world.discord, 'rate', [str('film', 'her-smell'), { name: 'stars', type: NUMBER, value: 2 }], { user: member(2) }).reply();
      await slash(world.discord, 'rate', [str('film', 'her-smell'), { name: 'stars', type: NUMBER, value: 3.5 }], { user: member(2) }).reply();
      const mine = await slash(world.discord, 'rate', [str('film', 'her-smell')], { user: member(2) }).reply();
      expect(mine.content).toBe('You rated Her Smell 3½★.');
    });

    it('refuses a rating that is not a half step, saying what is allowed', async () => {
      const reply = await slash(world.discord, 'rate', [str('film', 'her-smell'), { name: 'stars', type: NUMBER, value: 3.3 }], { user: member(3) }).reply();
      expect(reply.ephemeral).toBe(true);
      expect(reply.content).toMatch(/^A rating is from 0\.5 to 5 in half steps/);
      const mine = await slash(world.discord, 'rate', [str('film', 'her-smell')], { user: member(3) }).reply();
      expect(mine.content).toMatch(/^You haven't rated Her Smell here yet/);
    });

    it('puts the server’s rating and histogram on the film card, and only in that server', async () => {
      const card = await slash(world.discord, 'film', [str('title', 'her-smell')]).reply();
      const server = card.embeds[0].fields.find((field: { name: string }) => field.name === 'This server').value;
      expect(server).toContain('**4.0** from 2 ratings');
      expect(server).toMatch(/4½★ █+\s+1/);
      expect(server).toMatch(/3½★ █+\s+1/);
      const elsewhere = await slash(world.discord, 'film', [str('title', 'her-smell')], { guildId: OTHER_CLUB.id, channelId: OTHER_CLUB.channels[0]!.id }).reply();
      expect(elsewhere.embeds[0].fields.find((field: { name: string }) => field.name === 'This server').value).toMatch(/^Not rated here yet/);
    });
  });

  describe('/watchparty', () => {
    it('posts a poll with ten half-star choices, an End button and the closing time', async () => {
      const poll = await startPoll();
      expect(poll.embeds[0].title).toBe('Rate Her Smell');
      expect(poll.embeds[0].description).toMatch(/Closes <t:\d+:R>/);
      expect(selectOf(poll).options.map((option: { value: string }) => option.value)).toEqual(['5', '4.5', '4', '3.5', '3', '2.5', '2', '1.5', '1', '0.5']);
      expect(endButtonOf(poll).label).toBe('End poll');
    });

    it('counts 500 members voting in the same second, each answered inside 3 s, and shows the stored tally', async () => {
      const poll = await startPoll();
      const handles = Array.from({ length: 500 }, (_, i) => vote(poll, member(1000 + i), String(((i % 10) + 1) / 2)));
      const responses = await Promise.all(handles.map((handle) => handle.response(5_000)));
      for (const response of responses) {
        expect(response.latencyMs).toBeLessThan(3000);
        expect(response.data.flags & 64).toBe(64);
      }
      // On a busy machine some answers come as a deferral first, then the confirmation in it.
      for (const reply of await Promise.all(handles.map((handle) => handle.reply(5_000)))) expect(reply.content).toMatch(/^You rated Her Smell \d?½?★\./);
      await expect.poll(() => current(poll).embeds[0].description, { timeout: 10_000 }).toContain('500 votes so far · ★★★☆☆ **2.8** average');
      expect(current(poll).editCount).toBeLessThan(20);
      const status = await slash(world.discord, 'watchparty', [sub('status')]).reply();
      expect(status.embeds[0].description).toContain('500 votes');
      const { poll: closedTally } = await endAsHost(poll);
      expect(closedTally).toContain('**2.8** average from 500 votes');
    });

    it('lets a member change their vote until the poll closes, and refuses it afterwards', async () => {
      const poll = await startPoll();
      expect((await vote(poll, member(5), '2').reply()).content).toMatch(/^You rated Her Smell 2★/);
      expect((await vote(poll, member(5), '4.5').reply()).content).toMatch(/^You rated Her Smell 4½★/);
      await endAsHost(poll);
      const late = await vote(poll, member(6), '5').reply();
      expect(late.ephemeral).toBe(true);
      expect(late.content).toBe('This poll has closed, so your vote was not counted.');
      expect(current(poll).embeds[0].description).toContain('**4.5** average from 1 vote');
    });

    it('lets only the host or a moderator end a poll early', async () => {
      const poll = await startPoll();
      const refused = await pressEnd(poll, member(7)).reply();
      expect(refused.ephemeral).toBe(true);
      expect(refused.content).toMatch(/^Only the host \(<@\d+>\) or a member with Manage Events or Manage Server can end this poll early\./);
      const byCommand = await slash(world.discord, 'watchparty', [sub('end')], { user: member(7) }).reply();
      expect(byCommand.content).toMatch(/^Only the host/);
      expect(current(poll).components).toHaveLength(2);
      const ended = await pressEnd(poll, member(8, MANAGE_GUILD)).reply();
      expect(ended.embeds[0].title).toBe('Results: Her Smell');
      expect(ended.components).toEqual([]);
    });

    it('ends the poll picked from the suggestions, leaving other polls in the channel open', async () => {
      const older = await startPoll();
      const newer = await startPoll();
      const choices = await world.discord
        .autocomplete({ name: 'watchparty', options: [sub('end', [{ name: 'poll', type: 3, value: '', focused: true }])], guildId: FILM_CLUB.id, channelId: SCREENING_ROOM, user: host })
        .choices();
      const ids = choices.map((choice) => choice.value);
      expect(ids.indexOf(pollIdOf(newer))).toBeLessThan(ids.indexOf(pollIdOf(older)));
      expect(choices.find((choice) => choice.value === pollIdOf(older))!.name).toBe(`Her Smell (2018) · closes in 60 min · poll ${pollIdOf(older)}`);
      const reply = await slash(world.discord, 'watchparty', [sub('end', [str('poll', pollIdOf(older))])], { user: host }).reply();
      expect(reply.content).toBe('Poll on Her Smell (2018) ended with 0 votes. The results are on the poll message.');
      await expect.poll(() => current(older).embeds[0].title, { timeout: 5_000 }).toBe('Results: Her Smell');
      expect(current(newer).embeds[0].title).toBe('Rate Her Smell');
      await endAsHost(newer);
    });

    it('hides the tally of a blind poll until it closes', async () => {
      const poll = await startPoll({ blind: true });
      await vote(poll, member(9), '5').reply();
      await expect.poll(() => current(poll).embeds[0].description, { timeout: 5_000 }).toContain('1 vote so far. This is a blind poll');
      expect(current(poll).embeds[0].description).not.toContain('average');
      const { poll: results } = await endAsHost(poll);
      expect(results).toContain('**5.0** average from 1 vote');
    });

    it('gives clear private errors for bad input and stores nothing', async () => {
      const poll = await startPoll();
      const outOfRange = await vote(poll, member(10), '7').reply();
      expect(outOfRange.content).toMatch(/^That rating is not one of the choices/);
      const unknownPoll = await world.discord.component({ customId: 'poll:vote:abcdef123456', componentType: STRING_SELECT, values: ['3'], message: poll, guildId: FILM_CLUB.id, channelId: SCREENING_ROOM, user: member(10) }).reply();
      expect(unknownPoll.content).toBe('That poll no longer exists.');
      const legacy = await world.discord.component({ customId: 'rating-poll-v0|123', componentType: STRING_SELECT, values: ['3'], message: poll, guildId: FILM_CLUB.id, channelId: SCREENING_ROOM, user: member(10) }).reply();
      expect(legacy.content).toMatch(/from an older version/);
      const unknownFilm = await slash(world.discord, 'watchparty', [sub('start', [str('film', 'no such film')])], { user: host }).reply();
      expect(unknownFilm.ephemeral).toBe(true);
      expect(unknownFilm.content).toMatch(/^I don't know a film called “no such film”/);
      for (const reply of [outOfRange, unknownPoll, legacy]) expect(reply.ephemeral).toBe(true);
      const { poll: results } = await endAsHost(poll);
      expect(results).toContain('Nobody voted.');
    });
  });

});

/** Ends the newest poll in the channel with /watchparty end as its host; returns the results text. */
async function endAsHost(poll: StoredMessage): Promise<{ poll: string }> {
  const reply = await slash(world.discord, 'watchparty', [sub('end')], { user: host }).reply();
  expect(reply.ephemeral).toBe(true);
  await expect.poll(() => current(poll).embeds[0].title, { timeout: 5_000 }).toBe('Results: Her Smell');
  return { poll: current(poll).embeds[0].description };
}

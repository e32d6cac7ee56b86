// The watchlist, the history and /stats through the real bot process, with films from all three
// sources (bundled, the server's own, TMDB through its stand-in), polls closed by their host, and a restart.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MemberInput, StoredMessage } from '../../harness/discord/types';
import { addServerFilm, MODERATOR } from '../../harness/films';
import { POLL_HOST, pressEnd, startPoll, vote } from '../../harness/polls';
import { STANDIN_FILMS, startTmdbStandin, type TmdbStandin } from '../../harness/tmdb/standin';
import { FILM_CLUB, member, OTHER_CLUB, SCREENING_ROOM, slash, startWorld, str, sub, type World } from '../../harness/world';

const ROLE = 8;
const INTEGER = 4;
const BUTTON = 2;
const SUGGESTERS_ROLE = '777000000000000001';
const SERVER_FILMS = [
  { title: 'Paddington 2', year: '2017' },
  { title: 'Local Hero', year: '1983' },
  { title: 'Withnail and I', year: '1987' },
  { title: 'The Red Shoes', year: '1948' },
];
/** Twelve films: one bundled, four of the server's own, seven from TMDB, each suggested by one of three members. */
const SUGGESTED = ['her-smell', 'server:paddington-2-2017', 'tmdb:550', 'server:local-hero-1983', 'tmdb:680', 'tmdb:238', 'server:withnail-and-i-1987', 'tmdb:278', 'tmdb:129', 'server:the-red-shoes-1948', 'tmdb:603', 'tmdb:348'];
const suggester = (index: number) => member(1 + (index % 3));

let tmdb: TmdbStandin;
let world: World;

beforeAll(async () => {
  tmdb = await startTmdbStandin({ films: STANDIN_FILMS });
  world = await startWorld({ env: { TMDB_TOKEN: tmdb.token, TMDB_API_URL: tmdb.url } });
  for (const film of SERVER_FILMS) expect((await addServerFilm(world.discord, film)).content).toContain('is now one of this server’s films');
});
afterAll(async () => {
  await world?.close();
  await tmdb?.close();
});

const suggest = (film: string, user: MemberInput = member(1)) => slash(world.discord, 'suggest', [str('film', film)], { user }).reply();
const watchlist = (action: string, film: string, user: MemberInput = member(1)) => slash(world.discord, 'watchlist', [sub(action, [str('film', film)])], { user }).reply();
const show = (page?: number) => slash(world.discord, 'watchlist', [sub('show', page ? [{ name: 'page', type: INTEGER, value: page }] : [])], { user: member(9) }).reply();
const linesOf = (message: StoredMessage) => String(message.embeds[0].description).split('\n');
const press = (message: StoredMessage, label: string) => {
  const button = message.components[0].components.find((component: { label: string }) => component.label === label);
  return world.discord.component({ customId: button.custom_id, componentType: BUTTON, message, guildId: FILM_CLUB.id, channelId: SCREENING_ROOM, user: member(9) }).reply();
};
const setRole = (options: Parameters<typeof sub>[1], name = 'suggest-role') => slash(world.discord, 'settings', [sub(name, options)], { user: MODERATOR }).reply();

describe('suggesting', () => {
  it('takes twelve films from every source, each announced to everyone with its place on the list', async () => {
    for (const [index, film] of SUGGESTED.entries()) {
      const reply = await suggest(film, suggester(index));
      expect(reply.ephemeral).toBe(false);
      expect(reply.content).toContain(`<@${suggester(index).id}> suggested **`);
      expect(reply.content).toContain(`for the watchlist: number ${index + 1}.`);
      expect(reply.allowedMentions).toEqual({ parse: [] });
    }
    expect((await suggest('tmdb:550', member(3))).content).toContain('**Fight Club (1999)**');
  }, 60_000);

  it('refuses a film already on the list, saying who suggested it and when', async () => {
    const reply = await suggest('her smell', member(3));
    expect(reply.ephemeral).toBe(true);
    expect(reply.content).toMatch(new RegExp(`^\\*\\*Her Smell \\(2018\\)\\*\\* is on the watchlist already: <@${member(1).id}> suggested it <t:\\d+:R>\\.`));
  });

  it('keeps each server’s list apart', async () => {
    const elsewhere = await slash(world.discord, 'watchlist', [sub('show')], { guildId: OTHER_CLUB.id, channelId: OTHER_CLUB.channels[0]!.id }).reply();
    expect(elsewhere.embeds[0].description).toContain('Nothing is on the watchlist yet');
  });
});

describe('pages', () => {
  it('shows ten a page, oldest first and numbered, with Previous and Next that work after a restart', async () => {
    const first = await show();
    expect(first.ephemeral).toBe(false);
    expect(first.embeds[0].footer.text).toBe('Page 1 of 2 · 12 suggestions, oldest first');
    const lines = linesOf(first);
    expect(lines).toHaveLength(10);
    expect(lines[0]).toMatch(new RegExp(`^\\*\\*1\\.\\*\\* \\*\\*Her Smell \\(2018\\)\\*\\* · suggested by <@${member(1).id}> <t:\\d+:R>$`));
    expect(lines[2]).toContain('**3.** **Fight Club (1999)**');
    expect(lines[9]).toContain('**10.** **The Red Shoes (1948)**');
    const second = await press(first, 'Next');
    expect(linesOf(second).map((line) => line.split(' · ')[0])).toEqual(['**11.** **The Matrix (1999)**', '**12.** **Alien (1979)**']);
    expect(second.components[0].components.find((button: { label: string }) => button.label === 'Next').disabled).toBe(true);

    await world.restartBot();
    const back = await press(second, 'Previous');
    expect(back.embeds[0].footer.text).toBe('Page 1 of 2 · 12 suggestions, oldest first');
    expect((await show(2)).embeds[0].footer.text).toBe('Page 2 of 2 · 12 suggestions, oldest first');
    // A page past the end shows the last.
    expect((await show(7)).embeds[0].footer.text).toBe('Page 2 of 2 · 12 suggestions, oldest first');
  }, 60_000);
});

describe('removing and barring', () => {
  it('offers a member their own suggestions to remove, and a moderator all of them', async () => {
    const choices = (user: MemberInput) =>
      world.discord.autocomplete({ name: 'watchlist', options: [sub('remove', [{ name: 'film', type: 3, value: '', focused: true }])], guildId: FILM_CLUB.id, user }).choices();
    expect((await choices(member(2))).map((choice) => choice.value)).toEqual(SUGGESTED.filter((_, index) => index % 3 === 1));
    expect(await choices(MODERATOR)).toHaveLength(12);
  });

  it('refuses a plain member removing another’s suggestion, and lets them remove their own', async () => {
    const refused = await watchlist('remove', 'her-smell', member(2));
    expect(refused.ephemeral).toBe(true);
    expect(refused.content).toContain(`was suggested by <@${member(1).id}>: only they, or a member with Manage Events or Manage Server, can remove it.`);
    const own = await watchlist('remove', 'Alien', member(3));
    expect(own.content).toBe('**Alien (1979)** (your suggestion) is off the watchlist. It may be suggested again.');
  });

  it('lets a moderator remove anyone’s suggestion', async () => {
    const removed = await watchlist('remove', 'tmdb:603', MODERATOR);
    expect(removed.content).toBe(`**The Matrix (1999)** (<@${member(2).id}>’s suggestion) is off the watchlist. It may be suggested again.`);
    expect((await show()).embeds[0].footer.text).toBe('Page 1 of 1 · 10 suggestions, oldest first');
  });

  it('bars a film for moderators only: it leaves the list and can’t be suggested until the bar is lifted', async () => {
    expect((await watchlist('ban', 'tmdb:278', member(1))).content).toContain('Only members with Manage Events or Manage Server can bar films');
    const barred = await watchlist('ban', 'tmdb:278', MODERATOR);
    expect(barred.content).toBe(`**The Shawshank Redemption (1994)** is barred from the watchlist: \`/suggest\` refuses it until \`/watchlist unban\`. It was taken off the list (suggested by <@${member(2).id}>).`);
    const refused = await suggest('tmdb:278', member(2));
    expect(refused.ephemeral).toBe(true);
    expect(refused.content).toBe('**The Shawshank Redemption (1994)** can’t be suggested here: a moderator took it off the watchlist for good.');
    // A film not on the list can be barred ahead of time.
    expect((await watchlist('ban', 'tmdb:578', MODERATOR)).content).toContain('**Jaws (1975)** is barred from the watchlist');
    expect((await suggest('Jaws', member(2))).content).toContain('can’t be suggested here');
    expect((await watchlist('unban', 'Jaws', MODERATOR)).content).toBe('**Jaws (1975)** may be suggested again.');
    expect((await suggest('tmdb:578', member(2))).content).toContain('for the watchlist: number 10.');
  });
});

describe('the suggest role', () => {
  it('limits suggesting to a role, shows it in /settings show, and lifts it', async () => {
    expect((await setRole([{ name: 'role', type: ROLE, value: SUGGESTERS_ROLE }])).content).toContain(`Only members with <@&${SUGGESTERS_ROLE}>`);
    const shown = await slash(world.discord, 'settings', [sub('show')], { user: MODERATOR }).reply();
    expect(shown.embeds[0].fields.find((field: { name: string }) => field.name === 'Who may suggest films').value).toContain(`members with <@&${SUGGESTERS_ROLE}>`);

    const refused = await suggest('tmdb:289', member(5));
    expect(refused.ephemeral).toBe(true);
    expect(refused.content).toBe(`Only members with the <@&${SUGGESTERS_ROLE}> role (or Manage Events or Manage Server) can suggest films here.`);
    expect((await suggest('tmdb:289', { ...member(6), roles: [SUGGESTERS_ROLE] })).content).toContain('**Casablanca (1942)** for the watchlist');
    expect((await suggest('tmdb:346', MODERATOR)).content).toContain('**Seven Samurai (1954)** for the watchlist');

    expect((await setRole([], 'suggest-role-off')).content).toBe('Every member can suggest films for the watchlist.');
    expect((await suggest('tmdb:289', member(5))).content).toContain('is on the watchlist already');
  });
});

describe('after watch parties', () => {
  /** A poll for `film`, voted on by members 1, 2, 3 (in that order), then ended by its host. */
  async function watchParty(film: string, stars: string[]): Promise<void> {
    const poll = await startPoll(world.discord, { film, duration: 60 });
    for (const [index, value] of stars.entries()) expect((await vote(world.discord, poll, member(index + 1), value).reply()).ephemeral).toBe(true);
    await pressEnd(world.discord, poll, POLL_HOST).reply();
  }
  const history = () => slash(world.discord, 'history', [], { user: member(9) }).reply();

  it('lists each film watched, newest first, with its average and voters, and a poll nobody voted in', async () => {
    await watchParty('her-smell', ['5', '4', '3']);
    await watchParty('tmdb:550', ['2', '3', '4']);
    await watchParty('server:paddington-2-2017', ['5', '4.5', '4']);
    await watchParty('tmdb:680', []);
    await expect.poll(async () => linesOf(await history()).length, { timeout: 15_000 }).toBe(4);
    const shown = await history();
    expect(shown.ephemeral).toBe(false);
    expect(linesOf(shown).map((line) => line.replace(/^<t:\d+:D> · /, ''))).toEqual([
      '**Pulp Fiction (1994)** · no votes',
      '**Paddington 2 (2017)** · ★★★★½ 4.5 · 3 voters',
      '**Fight Club (1999)** · ★★★☆☆ 3.0 · 3 voters',
      '**Her Smell (2018)** · ★★★★☆ 4.0 · 3 voters',
    ]);
    expect(shown.embeds[0].footer.text).toBe('Page 1 of 1 · 4 films watched, newest first');
  }, 60_000);

  it('marks the watched films on the watchlist, and a film suggested again as watched before', async () => {
    const lines = linesOf(await show());
    expect(lines.find((line) => line.includes('Her Smell'))).toMatch(/ · ✓ watched <t:\d+:D>$/);
    expect(lines.find((line) => line.includes('Fight Club'))).toMatch(/ · ✓ watched <t:\d+:D>$/);
    expect(lines.find((line) => line.includes('Local Hero'))).not.toContain('watched');
    await watchlist('remove', 'her-smell', member(1));
    expect((await suggest('her-smell', member(1))).content).toMatch(/It was watched here before, <t:\d+:D>\.$/);
  });

  it('sums it up in /stats: counts, highest and lowest, the busiest raters by name, and the closest to the average', async () => {
    await slash(world.discord, 'rate', [str('film', 'tmdb:348'), { name: 'stars', type: 10, value: 3 }], { user: member(4) }).reply();
    await expect.poll(async () => JSON.stringify((await slash(world.discord, 'stats', [], { user: member(9) }).reply()).embeds[0].fields), { timeout: 10_000 }).toContain('10 film ratings by 4 members');
    const stats = await slash(world.discord, 'stats', [], { user: member(9) }).reply();
    expect(stats.ephemeral).toBe(false);
    expect(stats.allowedMentions).toEqual({ parse: [] });
    const fields = Object.fromEntries(stats.embeds[0].fields.map((field: { name: string; value: string }) => [field.name, field.value]));
    expect(fields['Films watched']).toBe('4 films');
    expect(fields['Average rating']).toBe('★★★★☆ 3.8 over 3 rated parties');
    expect(fields['Highest rated']).toBe('**Paddington 2 (2017)**\n★★★★½ 4.5 · 3 voters');
    expect(fields['Lowest rated']).toBe('**Fight Club (1999)**\n★★★☆☆ 3.0 · 3 voters');
    const raters = fields['Most active raters']!.split('\n');
    expect(raters.slice(0, 4).map((line: string) => line.replace(/^\d+\. █+ /, ''))).toEqual(['3 films · member1', '3 films · member2', '3 films · member3', '1 film · member4']);
    expect(fields['Most active raters']).not.toContain('<@');
    // member2 gave each film its average: 4, 3 and 4.5.
    expect(fields['Closest to the server’s average']).toMatch(/^member2: 0\.00★ from the average, on average, over 3 films\.\n-# .*last 100 films watched.*at least 3/s);
  }, 30_000);
});

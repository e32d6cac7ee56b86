// Choosing the next film through the real bot process: a vote among watchlist films that survives a
// restart, its result and "Schedule it", the tie rule (a runoff, then the film suggested first),
// `/watchparty random`, and the refusals.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MemberInput, StoredMessage } from '../../harness/discord/types';
import { addServerFilm, MODERATOR } from '../../harness/films';
import { currentPoll, pressEnd, vote } from '../../harness/polls';
import { BOOLEAN, FILM_CLUB, member, SCREENING_ROOM, slash, startWorld, str, sub, type World } from '../../harness/world';

const MODAL = 9;
const BUTTON = 2;
const STRING = 3;
let world: World;

const FILMS = [
  { title: 'Paddington 2', year: '2017' },
  { title: 'Aftersun', year: '2022' },
  { title: 'Petite Maman', year: '2021' },
  { title: 'Crouching Tiger, Hidden Dragon', year: '2000' },
];

beforeAll(async () => {
  world = await startWorld();
  for (const film of FILMS) await addServerFilm(world.discord, film);
  // The watchlist, oldest first: 1 Her Smell, 2 Paddington 2, 3 Aftersun, 4 Petite Maman, 5 Crouching Tiger.
  for (const title of ['her-smell', ...FILMS.map((film) => film.title)]) {
    const reply = await slash(world.discord, 'suggest', [str('film', title)], { user: member(1) }).reply();
    expect(reply.content ?? reply.embeds?.[0]?.description).not.toMatch(/can’t|cannot|not/i);
  }
});
afterAll(async () => world?.close());

function openPick(options: { candidates?: string; random?: boolean; user?: MemberInput } = {}) {
  const args = [
    ...(options.candidates === undefined ? [] : [str('candidates', options.candidates)]),
    ...(options.random ? [{ name: 'random', type: BOOLEAN, value: true }] : []),
  ];
  return slash(world.discord, 'watchparty', [sub('pick', args)], { user: options.user ?? MODERATOR }).reply();
}

const optionLabels = (poll: StoredMessage): string[] => poll.components[0].components[0].options.map((option: { label: string }) => option.label);
const description = (message: StoredMessage): string => message.embeds[0].description;

describe('a vote on the next film', () => {
  let poll: StoredMessage;
  let results: StoredMessage;

  it('opens among the films named, numbered as /watchlist numbers them, in the order they were suggested', async () => {
    poll = await openPick({ candidates: '3, Paddington 2, 1' });
    expect(poll.ephemeral).toBe(false);
    expect(poll.embeds[0].title).toBe('What do we watch next?');
    expect(optionLabels(poll)).toEqual(['1. Her Smell (2018)', '2. Paddington 2 (2017)', '3. Aftersun (2022)']);
  });

  it('counts all 30 voters across a restart and names the winner, with Schedule it', async () => {
    // 10 for Her Smell, 14 for Paddington 2, 6 for Aftersun; members 1–5 change their minds once.
    const pickOf = (n: number) => (n <= 10 ? '0' : n <= 24 ? '1' : '2');
    for (let n = 1; n <= 5; n++) expect((await vote(world.discord, poll, member(n), '2').reply()).content).toBe('You picked Aftersun (2022). You can change your pick until the poll closes.');
    for (let n = 1; n <= 15; n++) await vote(world.discord, poll, member(n), pickOf(n)).reply();
    await world.restartBot();
    await Promise.all(Array.from({ length: 15 }, (_, i) => vote(world.discord, poll, member(16 + i), pickOf(16 + i)).reply()));
    await expect.poll(() => currentPoll(world.discord, poll).embeds[0].footer.text, { timeout: 5_000 }).toMatch(/^30 votes/);
    results = await pressEnd(world.discord, poll, MODERATOR).reply();
    expect(results.embeds[0].title).toBe('Next film: Paddington 2');
    expect(description(results)).toContain('**Paddington 2 (2017)** wins.');
    expect(description(results)).toContain('with 30 votes');
    expect(description(results)).toMatch(/1\. \*\*Her Smell \(2018\)\*\* █+ 10 votes\n2\. \*\*Paddington 2 \(2017\)\*\* █{10} 14 votes\n3\. \*\*Aftersun \(2022\)\*\* █+ 6 votes/);
    expect(results.components[0].components[0].label).toBe('Schedule it');
  });

  it('refuses a vote once it closed', async () => {
    const late = await vote(world.discord, poll, member(40), '0').reply();
    expect(late.ephemeral).toBe(true);
    expect(late.content).toMatch(/closed/);
  });

  it('Schedule it asks when, then puts the winner on the calendar and announces it', async () => {
    const button = results.components[0].components[0];
    const plain = await world.discord.component({ customId: button.custom_id, componentType: BUTTON, message: results, guildId: FILM_CLUB.id, channelId: SCREENING_ROOM, user: member(3) }).reply();
    expect(plain.ephemeral).toBe(true);
    expect(plain.content).toBe('Only members with Manage Events or Manage Server can schedule watch parties.');
    const opened = await world.discord.component({ customId: button.custom_id, componentType: BUTTON, message: results, guildId: FILM_CLUB.id, channelId: SCREENING_ROOM, user: MODERATOR }).response();
    expect(opened.type).toBe(MODAL);
    const announcement = await world.discord.modalSubmit({ customId: opened.data.custom_id, fields: { when: 'in 3 hours', length: '' }, guildId: FILM_CLUB.id, channelId: SCREENING_ROOM, user: MODERATOR }).reply();
    expect(announcement.ephemeral).toBe(false);
    expect(JSON.stringify(announcement.embeds)).toContain('Paddington 2');
    const event = await world.discord.waitForScheduledEvent(FILM_CLUB.id, (candidate) => candidate.name.includes('Paddington 2'));
    expect(event.name).toBe('Watch party: Paddington 2 (2017)');
  });

  it('says when the time cannot be read, and schedules nothing', async () => {
    const before = world.discord.scheduledEvents(FILM_CLUB.id).length;
    const opened = await world.discord.component({ customId: results.components[0].components[0].custom_id, componentType: BUTTON, message: results, guildId: FILM_CLUB.id, channelId: SCREENING_ROOM, user: MODERATOR }).response();
    const reply = await world.discord.modalSubmit({ customId: opened.data.custom_id, fields: { when: 'whenever you like', length: '' }, guildId: FILM_CLUB.id, channelId: SCREENING_ROOM, user: MODERATOR }).reply();
    expect(reply.content).toMatch(/when/i);
    expect(world.discord.scheduledEvents(FILM_CLUB.id)).toHaveLength(before);
  });
});

describe('a tie', () => {
  it('goes to a runoff among the tied films, and a runoff that ties again goes to the film suggested first', async () => {
    const poll = await openPick({ candidates: '4, 5, 3' });
    expect(optionLabels(poll)).toEqual(['1. Aftersun (2022)', '2. Petite Maman (2021)', '3. Crouching Tiger, Hidden Dragon (2000)']);
    // Two each for Aftersun and Petite Maman, one for Crouching Tiger.
    for (const [n, choice] of [[1, '0'], [2, '0'], [3, '1'], [4, '1'], [5, '2']] as const) await vote(world.discord, poll, member(n), choice).reply();
    const results = await pressEnd(world.discord, poll, MODERATOR).reply();
    expect(results.embeds[0].title).toBe('Pick results');
    expect(description(results)).toContain('A tie between **Aftersun (2022)**, **Petite Maman (2021)**: a runoff among them is open below');
    expect(results.components).toEqual([]);
    const runoff = await world.discord.waitForChannelMessage(SCREENING_ROOM, (message) => message.embeds?.[0]?.title === 'Runoff: what do we watch next?');
    expect(optionLabels(runoff)).toEqual(['1. Aftersun (2022)', '2. Petite Maman (2021)']);
    expect(world.discord.channelMessages(SCREENING_ROOM).filter((message) => message.embeds?.[0]?.title === 'Runoff: what do we watch next?')).toHaveLength(1);
    await vote(world.discord, runoff, member(1), '1').reply();
    await vote(world.discord, runoff, member(2), '0').reply();
    const final = await pressEnd(world.discord, runoff, MODERATOR).reply();
    expect(final.embeds[0].title).toBe('Next film: Aftersun');
    expect(description(final)).toContain('**Aftersun (2022)** wins: the runoff tied too, and it was suggested first.');
    expect(final.components[0].components[0].label).toBe('Schedule it');
  });
});

describe('choosing candidates', () => {
  it('by default offers the unwatched films suggested first', async () => {
    const poll = await openPick();
    expect(optionLabels(poll)).toEqual(['1. Her Smell (2018)', '2. Paddington 2 (2017)', '3. Aftersun (2022)', '4. Petite Maman (2021)', '5. Crouching Tiger, Hidden Dragon (2000)']);
    // Linked once its message id is saved, which may come a moment after the poll is posted.
    const status = await slash(world.discord, 'watchparty', [sub('status')], { user: member(9) }).reply();
    expect(status.embeds.at(-1).description).toMatch(/^\*\*Vote on the next film\*\* \(5 films\) · 0 votes · closes <t:\d+:R> · (https:\/\/discord\.com\/channels\/\d+\/\d+\/\d+|<#\d+>)$/m);
    await pressEnd(world.discord, poll, MODERATOR).reply();
  });

  it('suggests the next film for the list being typed, as numbers members can read', async () => {
    const choices = await world.discord
      .autocomplete({ name: 'watchparty', options: [sub('pick', [{ name: 'candidates', type: STRING, value: '2, pet', focused: true }])], guildId: FILM_CLUB.id, user: MODERATOR })
      .choices();
    expect(choices).toHaveLength(1);
    expect(choices[0]!.name).toBe('2. Paddington 2 (2017), 4. Petite Maman (2021)');
    // The films' ids, so the vote opens on these two even if the list changes before it is sent.
    const poll = await openPick({ candidates: String(choices[0]!.value) });
    expect(optionLabels(poll)).toEqual(['1. Paddington 2 (2017)', '2. Petite Maman (2021)']);
    expect(String(choices[0]!.value)).toMatch(/^server:paddington-2[\w-]*, server:petite-maman[\w-]*$/);
    await pressEnd(world.discord, poll, MODERATOR).reply();
  });

  it('refuses plain members, unknown films, a single film and both ways of choosing at once, opening nothing', async () => {
    const before = world.discord.channelMessages(SCREENING_ROOM).length;
    expect((await openPick({ user: member(7) })).content).toBe('Only members with Manage Events or Manage Server can open a vote on the next film. Anyone may `/suggest` films for it.');
    expect((await openPick({ candidates: '2, The Room' })).content).toBe('Not on the watchlist: “The Room”. Use the numbers `/watchlist` shows, or pick from the suggestions. Nothing was opened.');
    expect((await openPick({ candidates: '2, Paddington 2' })).content).toBe('A vote needs at least 2 different films from the watchlist.');
    expect((await openPick({ candidates: '2, 3', random: true })).content).toBe('Name the `candidates` or ask for `random` ones, not both.');
    expect(world.discord.channelMessages(SCREENING_ROOM)).toHaveLength(before);
  });
});

describe('/watchparty random', () => {
  it('draws one unwatched film for everyone to see, with Schedule it', async () => {
    const reply = await slash(world.discord, 'watchparty', [sub('random')], { user: member(9) }).reply();
    expect(reply.ephemeral).toBe(false);
    expect(reply.embeds[0].description).toMatch(/^Drawn at random from 5 unwatched films on the watchlist: \*\*(Her Smell \(2018\)|Paddington 2 \(2017\)|Aftersun \(2022\)|Petite Maman \(2021\)|Crouching Tiger, Hidden Dragon \(2000\))\*\*, suggested by <@\d+>\.$/);
    expect(reply.components[0].components[0].label).toBe('Schedule it');
  });
});

// Films a server adds itself: the form, suggestions, cards, polls and ratings, who may change them, and where they show.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addServerFilm, manageFilm, MODERATOR } from '../../harness/films';
import { currentPoll, pressEnd, startPoll, vote, POLL_HOST } from '../../harness/polls';
import { FILM_CLUB, member, OTHER_CLUB, SCREENING_ROOM, slash, startWorld, str, sub, type World } from '../../harness/world';

const PADDINGTON_ID = 'server:paddington-2-2017';
let world: World;

beforeAll(async () => {
  world = await startWorld();
});
afterAll(async () => world?.close());

const suggestions = (typed: string, guildId = FILM_CLUB.id) =>
  world.discord.autocomplete({ name: 'film', options: [{ name: 'title', type: 3, value: typed, focused: true }], guildId, user: member(1) }).choices();

const card = async (title: string, guildId = FILM_CLUB.id) => (await world.discord.slash({ name: 'film', options: [str('title', title)], guildId, user: member(1) }).reply());

const fieldsOf = (message: { embeds: { fields: { name: string; value: string }[] }[] }) => Object.fromEntries(message.embeds[0]!.fields.map((field) => [field.name, field.value]));

describe('adding a film', () => {
  it('opens a form with title, year, directors, runtime and synopsis, of which only title and year are required', async () => {
    const response = await slash(world.discord, 'films', [sub('add')], { user: MODERATOR }).response();
    expect(response.type).toBe(9);
    const inputs = response.data.components.map((label: { label: string; component: { custom_id: string; required: boolean } }) => [label.label, label.component.required]);
    expect(inputs).toEqual([
      ['Title', true],
      ['Year', true],
      ['Director(s)', false],
      ['Runtime in minutes', false],
      ['Synopsis', false],
    ]);
  });

  it('refuses a plain member, who is told who can', async () => {
    const reply = await addServerFilm(world.discord, { title: 'Paddington 2', year: '2017' }, { user: member(2) });
    expect(reply.ephemeral).toBe(true);
    expect(reply.content).toContain('Only members with Manage Events or Manage Server');
    expect(await suggestions('padd')).toEqual([]);
  });

  it('refuses a form sent by a plain member without the command (a forged submit)', async () => {
    const reply = await world.discord.modalSubmit({ customId: 'films:add', fields: { title: 'Forged', year: '2001', directors: '', runtime: '', synopsis: '' }, guildId: FILM_CLUB.id, user: member(2) }).reply();
    expect(reply.content).toContain('Only members with Manage Events or Manage Server');
    expect(await suggestions('forged')).toEqual([]);
  });

  it('adds "Paddington 2 (2017)" for a moderator, who sees the card as members will', async () => {
    const reply = await addServerFilm(world.discord, { title: 'Paddington 2', year: '2017', directors: 'Paul King', runtime: '103', synopsis: 'Paddington takes odd jobs to buy a pop-up book.' });
    expect(reply.ephemeral).toBe(true);
    expect(reply.content).toContain('**Paddington 2 (2017)** is now one of this server’s films');
    expect(reply.embeds[0].title).toBe('Paddington 2 (2017)');
  });

  it('says what is wrong with a form it cannot use, and saves nothing', async () => {
    const reply = await addServerFilm(world.discord, { title: 'Mystery Film', year: '20x7', runtime: 'long' });
    expect(reply.ephemeral).toBe(true);
    expect(reply.content).toContain('Nothing was saved');
    expect(reply.content).toContain('The year is four digits');
    expect(reply.content).toContain('The runtime is a whole number of minutes');
    expect(await suggestions('mystery')).toEqual([]);
  });

  it('refuses the same title and year twice, and a film Reelside already has', async () => {
    expect((await addServerFilm(world.discord, { title: 'paddington 2', year: '2017' })).content).toContain('This server already has **Paddington 2 (2017)**');
    expect((await addServerFilm(world.discord, { title: 'Her Smell', year: '2018' })).content).toContain('**Her Smell (2018)** is known to Reelside already');
  });
});

describe('a server film in use', () => {
  it('is suggested by /film and shows its card, saying who added it', async () => {
    expect(await suggestions('padd')).toEqual([{ name: 'Paddington 2 (2017)', value: PADDINGTON_ID }]);
    const shown = await card(PADDINGTON_ID);
    expect(shown.ephemeral).toBe(false);
    expect(shown.embeds[0].title).toBe('Paddington 2 (2017)');
    expect(shown.embeds[0].description).toBe('Paddington takes odd jobs to buy a pop-up book.');
    expect(fieldsOf(shown)).toMatchObject({ Runtime: '103 min', Director: 'Paul King' });
    expect(shown.embeds[0].footer.text).toBe(`Added to this server by ${MODERATOR.username}`);
    expect((await card('Paddington 2')).embeds[0].title).toBe('Paddington 2 (2017)');
  });

  it('takes a watch-party poll and a /rate, and after a restart its card shows both ratings', async () => {
    const poll = await startPoll(world.discord, { film: PADDINGTON_ID });
    expect(poll.embeds[0].title).toBe('Rate Paddington 2');
    expect((await vote(world.discord, poll, member(11), '4.5').reply()).content).toContain('You rated Paddington 2 4½★');
    await pressEnd(world.discord, poll, POLL_HOST).response();
    await world.discord.waitForChannelMessage(SCREENING_ROOM, () => currentPoll(world.discord, poll).embeds[0].title === 'Results: Paddington 2');
    const rated = await slash(world.discord, 'rate', [str('film', 'Paddington 2'), { name: 'stars', type: 10, value: 3.5 }], { user: member(12) }).reply();
    expect(rated.content).toBe('You rated Paddington 2 3½★.');

    await world.restartBot();
    await expect.poll(async () => fieldsOf(await card(PADDINGTON_ID))['This server'], { timeout: 5_000 }).toContain('**4.0** from 2 ratings');
  });

  it('cannot be removed while it has ratings, and the refusal says why and what to do instead', async () => {
    const reply = await manageFilm(world.discord, 'remove', PADDINGTON_ID).reply();
    expect(reply.ephemeral).toBe(true);
    expect(reply.content).toMatch(/^\*\*Paddington 2 \(2017\)\*\* has 2 ratings( and 1 poll)? in this server, so it can't be removed/);
    expect(reply.content).toContain('/films hide');
    expect(await suggestions('padd')).toHaveLength(1);
  });

  it('cannot be removed or hidden by a plain member', async () => {
    for (const action of ['remove', 'hide'] as const) {
      const reply = await manageFilm(world.discord, action, PADDINGTON_ID, member(2)).reply();
      expect(reply.content).toContain('Only members with Manage Events or Manage Server');
    }
    expect(await suggestions('padd')).toHaveLength(1);
  });

  it('can be hidden from suggestions and shown again, its card and ratings kept', async () => {
    expect((await manageFilm(world.discord, 'hide', PADDINGTON_ID).reply()).content).toContain('is hidden from suggestions');
    expect(await suggestions('padd')).toEqual([]);
    expect(fieldsOf(await card('Paddington 2'))['This server']).toContain('from 2 ratings');
    const shown = await world.discord.slash({ name: 'films', options: [sub('hide', [str('film', PADDINGTON_ID), { name: 'hidden', type: 5, value: false }])], guildId: FILM_CLUB.id, user: MODERATOR }).reply();
    expect(shown.content).toContain('is suggested again');
    expect(await suggestions('padd')).toHaveLength(1);
  });
});

describe('editing and removing', () => {
  it('edits a film in a form filled with what it says now, keeping its id', async () => {
    await addServerFilm(world.discord, { title: 'Withnail and I', year: '1987' });
    const opened = await manageFilm(world.discord, 'edit', 'Withnail and I').response();
    expect(opened.type).toBe(9);
    const values = Object.fromEntries(opened.data.components.map((label: { component: { custom_id: string; value?: string } }) => [label.component.custom_id, label.component.value]));
    expect(values).toMatchObject({ title: 'Withnail and I', year: '1987' });
    const saved = await world.discord
      .modalSubmit({ customId: opened.data.custom_id, fields: { title: 'Withnail & I', year: '1987', directors: 'Bruce Robinson', runtime: '107', synopsis: '' }, guildId: FILM_CLUB.id, user: MODERATOR })
      .reply();
    expect(saved.content).toContain('**Withnail & I (1987)** is updated');
    expect(await suggestions('withnail')).toEqual([{ name: 'Withnail & I (1987)', value: 'server:withnail-and-i-1987' }]);
    expect(fieldsOf(await card('server:withnail-and-i-1987'))).toMatchObject({ Runtime: '107 min', Director: 'Bruce Robinson' });
  });

  it('clears what an edit leaves empty', async () => {
    const opened = await manageFilm(world.discord, 'edit', 'server:withnail-and-i-1987').response();
    await world.discord.modalSubmit({ customId: opened.data.custom_id, fields: { title: 'Withnail & I', year: '1987', directors: '', runtime: '', synopsis: '' }, guildId: FILM_CLUB.id, user: MODERATOR }).reply();
    const fields = fieldsOf(await card('server:withnail-and-i-1987'));
    expect(fields.Runtime).toBeUndefined();
    expect(fields.Director).toBeUndefined();
  });

  it('removes a film nobody rated', async () => {
    const reply = await manageFilm(world.discord, 'remove', 'server:withnail-and-i-1987').reply();
    expect(reply.content).toContain('is removed from this server’s films');
    expect(await suggestions('withnail')).toEqual([]);
  });

  it('lists the server’s films for anyone', async () => {
    const list = await slash(world.discord, 'films', [sub('list')], { user: member(3) }).reply();
    expect(list.ephemeral).toBe(true);
    expect(list.embeds[0].description).toBe(`**Paddington 2 (2017)** · added by ${MODERATOR.username}`);
  });
});

describe('another server', () => {
  it('never sees this server’s films', async () => {
    expect(await suggestions('padd', OTHER_CLUB.id)).toEqual([]);
    const reply = await card(PADDINGTON_ID, OTHER_CLUB.id);
    expect(reply.ephemeral).toBe(true);
    expect(reply.content).toContain('I don\'t know a film called');
    expect((await card('Paddington 2', OTHER_CLUB.id)).content).toContain('I don\'t know a film called “Paddington 2”');
  });
});

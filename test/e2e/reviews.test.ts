// Members' reviews through the real bot process: the form, edits, pages across a restart, removal,
// the card's count, member quotes, spoilers, and hostile submissions.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MemberInput, StoredMessage } from '../../harness/discord/types';
import { MODERATOR } from '../../harness/films';
import { FILM_CLUB, member, SCREENING_ROOM, slash, startWorld, str, sub, type World } from '../../harness/world';

const MANAGE_MESSAGES = String(1n << 13n);
const CLEANER = member(801, MANAGE_MESSAGES);
const SPOILER_TEXT = 'The ending || escapes || nothing: Becky *sings* to her baby. @everyone';
let world: World;

beforeAll(async () => {
  world = await startWorld();
});
afterAll(async () => world?.close());

const openForm = (user: MemberInput, film = 'her-smell') => slash(world.discord, 'review', [str('film', film)], { user });

async function writeReview(user: MemberInput, fields: { stars: string; text: string; spoilers?: boolean }): Promise<StoredMessage> {
  const opened = await openForm(user).response();
  expect(opened.type).toBe(9);
  return world.discord.modalSubmit({ customId: opened.data.custom_id, fields: { spoilers: false, ...fields }, guildId: FILM_CLUB.id, channelId: SCREENING_ROOM, user }).reply();
}

const page = () => slash(world.discord, 'reviews', [str('film', 'her-smell')], { user: member(99) }).reply();
const press = (message: StoredMessage, label: string) => {
  const button = message.components[0].components.find((component: { label: string }) => component.label === label);
  return world.discord.component({ customId: button.custom_id, componentType: 2, message, guildId: FILM_CLUB.id, channelId: SCREENING_ROOM, user: member(99) }).reply();
};
const cardServerField = async () => (await slash(world.discord, 'film', [str('title', 'her-smell')]).reply()).embeds[0].fields.find((field: { name: string }) => field.name === 'This server').value as string;

describe('writing and editing', () => {
  it('opens a form with ten half-star choices, the text and a spoiler box', async () => {
    const opened = await openForm(member(1)).response();
    const [stars, text, spoilers] = opened.data.components.map((label: { component: any }) => label.component);
    expect(stars.type).toBe(21);
    expect(stars.options.map((option: { label: string }) => option.label)).toEqual(['½★', '1★', '1½★', '2★', '2½★', '3★', '3½★', '4★', '4½★', '5★']);
    expect(text).toMatchObject({ type: 4, style: 2, min_length: 10, max_length: 1000 });
    expect(spoilers.type).toBe(23);
  });

  it('saves a review, shows it back as others will see it, and makes its stars the member’s rating', async () => {
    const saved = await writeReview(member(1), { stars: '4.5', text: 'A ferocious, exhausting portrait of a band falling apart.' });
    expect(saved.ephemeral).toBe(true);
    expect(saved.content).toContain('Your review of **Her Smell (2018)** is saved, and your rating of it is now 4½★');
    expect(saved.embeds[0].fields[0].name).toBe('4½★ · member1');
    expect((await slash(world.discord, 'rate', [str('film', 'her-smell')], { user: member(1) }).reply()).content).toBe('You rated Her Smell 4½★.');
  });

  it('opens the same form filled in with what the member wrote, and an edit replaces the review', async () => {
    const opened = await openForm(member(1)).response();
    const [stars, text] = opened.data.components.map((label: { component: { options?: { value: string; default?: boolean }[]; value?: string } }) => label.component);
    expect(stars.options!.find((option: { value: string; default?: boolean }) => option.default)?.value).toBe('4.5');
    expect(text.value).toBe('A ferocious, exhausting portrait of a band falling apart.');
    const saved = await world.discord.modalSubmit({ customId: opened.data.custom_id, fields: { stars: '3', text: 'Better on a second watch, and harder too.' }, guildId: FILM_CLUB.id, user: member(1) }).reply();
    expect(saved.embeds[0].fields[0].name).toBe('3★ · member1');
    expect((await slash(world.discord, 'rate', [str('film', 'her-smell')], { user: member(1) }).reply()).content).toBe('You rated Her Smell 3★.');
  });

  it('refuses text that is only spaces or too short once trimmed, and saves nothing', async () => {
    const reply = await writeReview(member(2), { stars: '2', text: '   short      ' });
    expect(reply.ephemeral).toBe(true);
    expect(reply.content).toContain('A review needs at least 10 characters');
    expect((await slash(world.discord, 'rate', [str('film', 'her-smell')], { user: member(2) }).reply()).content).toContain('You haven\'t rated');
  });
});

describe('pages', () => {
  it('pages through 12 reviews newest first with both buttons, also after a restart, spoilers behind bars that hold', async () => {
    for (let n = 2; n <= 12; n++) {
      await writeReview(member(n), { stars: String(1 + (n % 9) / 2), text: n === 7 ? SPOILER_TEXT : `Review number ${n}: a **bold** _take_ on it.`, spoilers: n === 7 });
    }
    const first = await page();
    expect(first.ephemeral).toBe(false);
    expect(first.embeds[0].footer.text).toBe('Page 1 of 3 · 12 reviews');
    expect(first.embeds[0].fields.map((field: { name: string }) => field.name.split(' · ')[1])).toEqual(['member12', 'member11', 'member10', 'member9', 'member8']);
    expect(first.embeds[0].fields[0].value).toContain('Review number 12: a \\*\\*bold\\*\\* \\_take\\_ on it.');
    const second = await press(first, 'Next');
    expect(second.embeds[0].footer.text).toBe('Page 2 of 3 · 12 reviews');
    const spoiler = second.embeds[0].fields.find((field: { name: string }) => field.name.endsWith('member7')).value as string;
    expect(spoiler).toMatch(/\n\|\|.*\|\|$/s);
    // No bar inside is left unescaped, so the first `||` after the opening one is the closing one.
    expect(spoiler.slice(spoiler.indexOf('||') + 2, -2)).not.toMatch(/(?<!\\)\|/);
    expect(second.allowedMentions).toEqual({ parse: [] });

    await world.restartBot();
    const third = await press(second, 'Next');
    expect(third.embeds[0].footer.text).toBe('Page 3 of 3 · 12 reviews');
    expect(third.embeds[0].fields.map((field: { name: string }) => field.name.split(' · ')[1])).toEqual(['member2', 'member1']);
    expect(third.components[0].components.find((button: { label: string }) => button.label === 'Next').disabled).toBe(true);
    expect((await press(third, 'Previous')).embeds[0].footer.text).toBe('Page 2 of 3 · 12 reviews');
  });

  it('says when a film has no reviews, and how to write one', async () => {
    const empty = await slash(world.discord, 'reviews', [str('film', 'her smell')], { guildId: '200000000000000002', channelId: '220000000000000001' }).reply();
    expect(empty.embeds[0].description).toBe('Nobody here has reviewed Her Smell (2018) yet. Write the first with `/review film:Her Smell`.');
  });

  it('counts the reviews on the film card', async () => {
    expect(await cardServerField()).toContain('12 member reviews: `/reviews film:Her Smell`');
  });
});

describe('removing', () => {
  it('removes the member’s own review and keeps their rating', async () => {
    const reply = await slash(world.discord, 'review', [str('film', 'her-smell'), { name: 'delete', type: 5, value: true }], { user: member(12) }).reply();
    expect(reply.content).toBe('Your review of Her Smell (2018) is removed. Your rating of it stays.');
    expect(await cardServerField()).toContain('11 member reviews');
    expect((await slash(world.discord, 'rate', [str('film', 'her-smell')], { user: member(12) }).reply()).content).toMatch(/^You rated Her Smell/);
  });

  it('lets a member with Manage Messages remove another’s review, and refuses anyone else', async () => {
    const target = { name: 'member', type: 6, value: member(11).id };
    const refused = await slash(world.discord, 'review', [str('film', 'her-smell'), { name: 'delete', type: 5, value: true }, target], { user: member(3) }).reply();
    expect(refused.content).toContain('Only members with Manage Messages');
    const removed = await slash(world.discord, 'review', [str('film', 'her-smell'), { name: 'delete', type: 5, value: true }, target], { user: CLEANER }).reply();
    expect(removed.content).toBe(`<@${member(11).id}>’s review of Her Smell (2018) is removed. Their rating stays.`);
    expect(await cardServerField()).toContain('10 member reviews');
  });
});

describe('member quotes', () => {
  it('with member quotes on, /quote eventually posts a member’s line credited to them, and never a spoiler', async () => {
    const on = await slash(world.discord, 'settings', [sub('member-quotes', [{ name: 'enabled', type: 5, value: true }])], { user: MODERATOR }).reply();
    expect(on.content).toContain('now also quote members’ reviews');
    const authors: string[] = [];
    // 17 critics' excerpts and 9 quotable reviews: two rounds of the deck show every one.
    for (let i = 0; i < 52; i++) authors.push((await slash(world.discord, 'quote', [str('film', 'her-smell')]).reply()).embeds[0].author.name);
    const members = authors.filter((name) => name.includes('a member of this server'));
    expect(members.length).toBeGreaterThanOrEqual(9);
    expect(members.some((name) => name.startsWith('member2 · '))).toBe(true);
    // Never the spoiler (member7), never a removed review (member11's, member12's).
    for (const never of ['member7', 'member11', 'member12']) expect(members.some((name) => name.startsWith(`${never} · `))).toBe(false);
  });
});

describe('hostile input', () => {
  it('answers 50 forged or malformed submissions and presses, and changes no stored review', async () => {
    const before = await page();
    const forged: { customId: string; components: unknown[] }[] = [];
    const goodComponents = (stars: unknown, text: unknown, spoilers: unknown) => [
      { type: 18, component: { type: 21, custom_id: 'stars', value: stars } },
      { type: 18, component: { type: 4, custom_id: 'text', value: text } },
      { type: 18, component: { type: 23, custom_id: 'spoilers', value: spoilers } },
    ];
    for (const stars of ['7', '0', '4.25', '', null, 5, true]) forged.push({ customId: 'review:her-smell', components: goodComponents(stars, 'A perfectly fine review text.', false) });
    for (const text of ['', '         ', 5, null, 'x'.repeat(1001)]) forged.push({ customId: 'review:her-smell', components: goodComponents('4', text, false) });
    for (const spoilers of ['yes', 1, null]) forged.push({ customId: 'review:her-smell', components: goodComponents('4', 'A perfectly fine review text.', spoilers) });
    for (const customId of ['review:no-such-film', 'review:tmdb:550', 'review:server:nope-2000', 'review:', 'review:Her Smell', 'reviews:1:her-smell', 'poll:vote:abcdef1234', 'films:add:x', 'x'.repeat(100)]) {
      forged.push({ customId, components: goodComponents('4', 'A perfectly fine review text.', false) });
    }
    // Shapes no client sends (but that Discord's payload checks would let through): inputs of the
    // wrong type, missing, or nested wrongly.
    const text = { type: 4, custom_id: 'text', value: 'A perfectly fine review text.' };
    const odd: unknown[][] = [
      [{ type: 18, component: { type: 4, custom_id: 'stars', value: '4' } }, { type: 18, component: text }, { type: 18, component: { type: 23, custom_id: 'spoilers', value: false } }],
      [{ type: 18, component: { type: 3, custom_id: 'stars', values: ['4'] } }, { type: 18, component: text }, { type: 18, component: { type: 23, custom_id: 'spoilers', value: false } }],
      [{ type: 18, component: { type: 21, custom_id: 'stars', value: '4' } }, { type: 18, component: text }],
      [{ type: 18, component: { type: 21, custom_id: 'stars', value: '4' } }, { type: 18, component: { type: 23, custom_id: 'spoilers', value: false } }],
      [{ type: 18, component: { type: 21, custom_id: 'rating', value: '4' } }, { type: 18, component: text }, { type: 18, component: { type: 23, custom_id: 'spoilers', value: false } }],
      [{ type: 18, component: { type: 21, custom_id: 'stars', value: '4' } }, { type: 18, component: { ...text, custom_id: 'body' } }, { type: 18, component: { type: 23, custom_id: 'spoilers', value: false } }],
      [{ type: 18, component: { type: 21, custom_id: 'stars', value: '4' } }, { type: 18, component: text }, { type: 18, component: { type: 22, custom_id: 'spoilers', values: ['yes'] } }],
      [{ type: 10, id: 1 }],
      [{ type: 18, component: { type: 21, custom_id: 'stars', value: ['4'] } }, { type: 18, component: text }, { type: 18, component: { type: 23, custom_id: 'spoilers', value: false } }],
      [{ type: 18, component: { type: 21, custom_id: 'stars', value: '4' } }, { type: 18, component: { ...text, value: { text: 'x' } } }, { type: 18, component: { type: 23, custom_id: 'spoilers', value: false } }],
      [{ type: 18, component: { type: 21, custom_id: 'stars', value: '4' } }, { type: 18, component: { ...text, value: 'x'.repeat(20_000) } }, { type: 18, component: { type: 23, custom_id: 'spoilers', value: false } }],
      [{ type: 1, components: [{ type: 21, custom_id: 'stars', value: '4' }, text, { type: 23, custom_id: 'spoilers', value: 'false' }] }],
      [{ type: 18, component: { type: 21, custom_id: 'stars', value: '4.5 ' } }, { type: 18, component: text }, { type: 18, component: { type: 23, custom_id: 'spoilers', value: false } }],
      [{ type: 18, component: { type: 21, custom_id: 'stars', value: 'NaN' } }, { type: 18, component: text }, { type: 18, component: { type: 23, custom_id: 'spoilers', value: false } }],
    ];
    for (const components of odd) forged.push({ customId: 'review:her-smell', components });
    forged.push({ customId: 'review:her-smell', components: [] });
    forged.push({ customId: 'review:her-smell', components: [{ type: 1, components: [{ type: 4, custom_id: 'text', value: 'A perfectly fine review text.' }] }] });
    const presses = ['reviews:99999:her-smell', 'reviews:-1:her-smell', 'reviews:2:no-such-film', 'reviews:none:next', 'reviews:1:', 'reviews:1:tmdb:0', 'reviews:1:server:nope-2000', 'reviews:01:HER-SMELL', 'reviews:1:her-smell:x', 'review:her-smell'];
    const ratingsBefore = await Promise.all([20, 21, 22, 23, 24].map(async (n) => (await slash(world.discord, 'rate', [str('film', 'her-smell')], { user: member(n) }).reply()).content));
    const answers: StoredMessage[] = [];
    let n = 0;
    for (const { customId, components } of forged) answers.push(await world.discord.forgedModalSubmit({ customId, components, guildId: FILM_CLUB.id, channelId: SCREENING_ROOM, user: member(20 + (n++ % 5)) }).reply());
    // Presses on the page message: the invalid ones are refused privately; a page past the end shows the last page.
    for (const customId of presses) answers.push(await world.discord.component({ customId, componentType: 2, message: before, guildId: FILM_CLUB.id, channelId: SCREENING_ROOM, user: member(30) }).reply());
    expect(forged.length + presses.length).toBeGreaterThanOrEqual(50);
    const forgedAnswers = answers.slice(0, forged.length);
    expect(forgedAnswers.every((reply) => reply.ephemeral && typeof reply.content === 'string' && reply.content.length > 0)).toBe(true);
    const pressAnswers = answers.slice(forged.length);
    expect(pressAnswers.every((reply) => (reply.ephemeral && (reply.content ?? '').length > 0) || reply.embeds[0]?.title === 'Member reviews: Her Smell (2018)')).toBe(true);
    const after = await page();
    expect(after.embeds[0]).toEqual(before.embeds[0]);
    const ratingsAfter = await Promise.all([20, 21, 22, 23, 24].map(async (n) => (await slash(world.discord, 'rate', [str('film', 'her-smell')], { user: member(n) }).reply()).content));
    expect(ratingsAfter).toEqual(ratingsBefore);
  });
});

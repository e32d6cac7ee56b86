// /film, /quote, /help and command registration, driven through the real bot process.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { member, slash, startWorld, str, type World, FILM_CLUB, SCREENING_ROOM } from '../../harness/world';

const EXCERPT_COUNT = 17;
let world: World;

beforeAll(async () => {
  world = await startWorld();
});
afterAll(async () => world?.close());

describe('start-up', () => {
  it('registers every command once, globally', () => {
    expect(world.discord.registeredCommands().map((command) => command.name).sort()).toEqual(['film', 'films', 'help', 'history', 'import', 'quote', 'rate', 'review', 'reviews', 'settings', 'stats', 'suggest', 'watchlist', 'watchparty']);
    expect(world.discord.commandRegistrations()).toBe(1);
  });
});

describe('/film', () => {
  it('suggests Her Smell as the member types “her”', async () => {
    const choices = await world.discord
      .autocomplete({ name: 'film', options: [{ name: 'title', type: 3, value: 'her', focused: true }], guildId: FILM_CLUB.id, channelId: SCREENING_ROOM, user: member(1) })
      .choices();
    expect(choices).toEqual([{ name: 'Her Smell (2018)', value: 'her-smell' }]);
  });

  it('shows the film card for the picked film, inside Discord’s deadline', async () => {
    const handle = slash(world.discord, 'film', [str('title', 'her-smell')]);
    const response = await handle.response();
    expect(response.latencyMs).toBeLessThan(3000);
    const card = await handle.reply();
    expect(card.ephemeral).toBe(false);
    const embed = card.embeds[0];
    expect(embed.title).toBe('Her Smell (2018)');
    const fields = Object.fromEntries(embed.fields.map((field: { name: string; value: string }) => [field.name, field.value]));
    expect(fields.Runtime).toBe('135 min');
    expect(fields.Director).toBe('Alex Ross Perry');
    expect(fields.Cast).toContain('**Elisabeth Moss** as Becky Something');
    expect(fields.Crew).toContain('Original score: Keegan DeWitt');
    expect(fields.Accessibility).toBe('Closed captions available');
    expect(fields.Critics).toContain('Emily Yoshida, New York Magazine');
    expect(fields['This server']).toMatch(/^Not rated here yet/);
    expect(card.allowedMentions).toEqual({ parse: [] });
  });

  it.each(['her smell', 'Her Smell', 'HER SMELL', 'Her Smell (2018)'])('accepts the typed title “%s”', async (typed) => {
    const card = await slash(world.discord, 'film', [str('title', typed)]).reply();
    expect(card.embeds[0].title).toBe('Her Smell (2018)');
  });

  it('tells the member privately when it does not know a film, with the closest titles', async () => {
    const reply = await slash(world.discord, 'film', [str('title', 'her smel')]).reply();
    expect(reply.ephemeral).toBe(true);
    expect(reply.content).toContain('I don\'t know a film called “her smel”. Did you mean **Her Smell (2018)**?');
  });

  it('asks for a title when the member typed only spaces', async () => {
    const reply = await slash(world.discord, 'film', [str('title', '   ')]).reply();
    expect(reply.ephemeral).toBe(true);
    expect(reply.content).toMatch(/^Type a film title/);
  });

  it('answers a 6,000-character title with a short private error, and keeps answering', async () => {
    const reply = await slash(world.discord, 'film', [str('title', `@everyone ${'x'.repeat(6000)}`)]).reply();
    expect(reply.ephemeral).toBe(true);
    expect(reply.content!.length).toBeLessThan(400);
    expect(reply.content).not.toContain('@everyone');
    const card = await slash(world.discord, 'film', [str('title', 'her-smell')]).reply();
    expect(card.embeds[0].title).toBe('Her Smell (2018)');
  });
});

describe('/quote', () => {
  it('posts every excerpt once, credited, before any repeats', async () => {
    const seen: string[] = [];
    for (let i = 0; i < EXCERPT_COUNT; i++) {
      const post = await slash(world.discord, 'quote').reply();
      expect(post.ephemeral).toBe(false);
      expect(post.embeds[0].author.name).toMatch(/^(Emily Yoshida, New York Magazine|Unsigned review · 4½★)$/);
      expect(post.embeds[0].footer.text).toBe('on Her Smell (2018)');
      seen.push(post.embeds[0].description);
    }
    expect(new Set(seen).size).toBe(EXCERPT_COUNT);
    const posted = world.discord.channelMessages(SCREENING_ROOM).filter((message) => message.embeds[0]?.footer?.text === 'on Her Smell (2018)');
    expect(posted.length).toBeGreaterThanOrEqual(EXCERPT_COUNT);
  });

  it('quotes the film it is asked for', async () => {
    const post = await slash(world.discord, 'quote', [str('film', 'Her Smell')]).reply();
    expect(post.ephemeral).toBe(false);
    expect(post.embeds[0].description).toMatch(/^> \S/);
    expect(post.embeds[0].footer.text).toBe('on Her Smell (2018)');
  });
});

describe('options that do not match the command', () => {
  it('asks the member to reload Discord instead of reporting a failure of ours', async () => {
    const reply = await slash(world.discord, 'rate', [str('film', 'her-smell'), str('stars', 'four')]).reply();
    expect(reply.ephemeral).toBe(true);
    expect(reply.content).toBe('Discord sent options this command does not take (an old command list?). Reload Discord (Ctrl+R) and try again.');
    expect(world.bot.logs.some((line) => line.level >= 50 && line.msg === 'interaction failed')).toBe(false);
  });
});

describe('/help', () => {
  it('lists the commands privately', async () => {
    const reply = await slash(world.discord, 'help').reply();
    expect(reply.ephemeral).toBe(true);
    const names = reply.embeds[0].fields.map((field: { name: string }) => field.name).join('\n');
    for (const command of ['/film title:', '/quote [film:]', '/rate film: [stars:]', '/watchparty start']) expect(names).toContain(command);
  });
});

describe('restart', () => {
  it('stops cleanly on SIGTERM and does not register unchanged commands again', async () => {
    await world.restartBot();
    expect(world.discord.commandRegistrations()).toBe(1);
    const card = await slash(world.discord, 'film', [str('title', 'her-smell')]).reply();
    expect(card.embeds[0].title).toBe('Her Smell (2018)');
  });
});

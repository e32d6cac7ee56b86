import type { APIEmbed } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { commandDefinitions } from '../../src/commands';
import { buildHelpReply } from '../../src/commands/help';
import { fileURLToPath } from 'node:url';
import { loadFilmCatalog } from '../../src/data/catalog';
import { readFilmFile } from '../../src/data/load';
import { bundled } from '../../src/films/model';
import { buildFilmReply, buildUnknownFilmMessage } from '../../src/replies/film';
import { buildQuoteReply } from '../../src/replies/quote';
import { summariseTally } from '../../src/ratingSummary';
import { translator } from '../../src/i18n';
import { readCommandWords } from '../../src/i18n/commands';

const EN = translator('en');

const films = loadFilmCatalog();
const herSmell = films.get('her-smell')!;
const field = (embed: APIEmbed, name: string) => embed.fields?.find((candidate) => candidate.name === name)?.value;

describe('film card', () => {
  const embed = buildFilmReply(EN, bundled(herSmell), undefined).embeds![0] as APIEmbed;

  it('shows title and year, runtime and credits', () => {
    expect(embed.title).toBe('Her Smell (2018)');
    expect(field(embed, 'Runtime')).toBe('135 min');
    expect(field(embed, 'Director')).toBe('Alex Ross Perry');
    expect(field(embed, 'Writer')).toBe('Alex Ross Perry');
  });

  it('lists the cast with roles in billing order', () => {
    const cast = field(embed, 'Cast')!.split('\n');
    expect(cast[0]).toBe('**Elisabeth Moss** as Becky Something');
    expect(cast.slice(0, 3).map((line) => line.match(/\*\*(.+?)\*\*/)![1])).toEqual(['Elisabeth Moss', 'Cara Delevingne', 'Dan Stevens']);
    expect(cast).toContain('**Agyness Deyn** as Marielle Hell');
    expect(cast).toContain('**Amber Heard**');
  });

  it('shows crew, synopsis, captions and both critics with their ratings', () => {
    expect(field(embed, 'Crew')).toBe('Original score: Keegan DeWitt\nCinematography: Sean Price Williams\nEditing: Robert Greene');
    expect(embed.description).toContain('A self-destructive punk rocker struggles with sobriety');
    expect(field(embed, 'Accessibility')).toBe('Closed captions available');
    const critics = field(embed, 'Critics')!;
    expect(critics).toContain('Emily Yoshida, New York Magazine');
    expect(critics).toContain('4½★ (4.5/5) · Unsigned review');
    expect(embed.footer?.text).toContain('Rated R');
  });

  it('says the server has not rated the film yet', () => {
    expect(field(embed, 'This server')).toMatch(/^Not rated here yet/);
  });

  it('shows the server’s average, count and histogram once ratings exist', () => {
    const rated = buildFilmReply(EN, bundled(herSmell), summariseTally([0, 0, 0, 0, 0, 1, 0, 0, 2, 1])).embeds![0] as APIEmbed;
    const text = field(rated, 'This server')!;
    expect(text).toContain('**4.3** from 4 ratings');
    expect(text).toMatch(/4½★ █{10}\s+2/);
    expect(text).toMatch(/ 5★ █{5}\s+1/);
  });

  it('never lets anyone be mentioned', () => {
    expect(buildFilmReply(EN, bundled(herSmell), undefined).allowedMentions).toEqual({ parse: [] });
  });
});

describe('film card of a second film', () => {
  it('renders a film added as one data file, leaving out what its data does not state', () => {
    const testPattern = readFilmFile(fileURLToPath(new URL('../data/fixtures/films/the-test-pattern.json', import.meta.url)));
    const embed = buildFilmReply(EN, bundled(testPattern), undefined).embeds![0] as APIEmbed;
    expect(embed.title).toBe(`${testPattern.title} (${testPattern.year})`);
    expect(field(embed, 'Runtime')).toBe(`${testPattern.runtimeMinutes} min`);
    expect(field(embed, 'Cast')!.split('\n')).toHaveLength(testPattern.cast.length);
    expect(field(embed, 'Critics')!.split('\n')).toHaveLength(testPattern.reviews.length);
    // The fixture names only a composer and says nothing about captions.
    expect(field(embed, 'Crew')).toBe('Original score: Sine Wave Ensemble');
    expect(field(embed, 'Accessibility')).toBeUndefined();
  });
});

describe('unknown film message', () => {
  it('suggests the closest titles', () => {
    expect(buildUnknownFilmMessage(EN, 'her smel', [herSmell])).toBe(
      "I don't know a film called “her smel”. Did you mean **Her Smell (2018)**? Pick a title from the suggestions as you type.",
    );
  });

  it('asks for a title when none was typed', () => {
    expect(buildUnknownFilmMessage(EN, '   ', [])).toMatch(/^Type a film title/);
  });

  it('shortens a 6,000-character title and defuses mentions and markdown', () => {
    const message = buildUnknownFilmMessage(EN, `@everyone **${'x'.repeat(6000)}`, []);
    expect(message.length).toBeLessThan(300);
    expect(message).not.toContain('@everyone');
    expect(message).toContain('\\*\\*');
  });
});

describe('quote', () => {
  it('credits the critic and names the film', () => {
    const review = herSmell.reviews.find((candidate) => candidate.author === 'Emily Yoshida')!;
    const embed = buildQuoteReply(EN, herSmell, review, review.excerpts[0]!).embeds![0] as APIEmbed;
    expect(embed.author?.name).toBe('Emily Yoshida, New York Magazine');
    expect(embed.description).toBe(`> ${review.excerpts[0]}`);
    expect(embed.footer?.text).toBe('on Her Smell (2018)');
  });

  it('credits an unsigned review honestly, with its rating', () => {
    const review = herSmell.reviews.find((candidate) => candidate.unsigned)!;
    const embed = buildQuoteReply(EN, herSmell, review, review.excerpts[0]!).embeds![0] as APIEmbed;
    expect(embed.author?.name).toBe('Unsigned review · 4½★');
  });

  it('shows a critic’s 3 of 4 as 3¾★ on the card and the quote alike', () => {
    const review = { ...herSmell.reviews.find((candidate) => candidate.unsigned)!, rating: { stars: 3, outOf: 4 } };
    const film = { ...herSmell, reviews: [review] };
    expect(field(buildFilmReply(EN, bundled(film), undefined).embeds![0] as APIEmbed, 'Critics')).toBe('3¾★ (3/4) · Unsigned review');
    expect((buildQuoteReply(EN, film, review, review.excerpts[0]!).embeds![0] as APIEmbed).author?.name).toBe('Unsigned review · 3¾★');
  });
});

describe('help', () => {
  it('lists every command, ephemerally', () => {
    const reply = buildHelpReply(EN, commandDefinitions());
    const embed = reply.embeds![0] as APIEmbed;
    expect(embed.fields!.map((entry) => entry.name)).toEqual(expect.arrayContaining(['/film title:', '/quote [film:]', '/help']));
    expect(reply.flags).toBe(64);
  });

  it('names the commands as a Japanese member’s client shows them, and describes them in Japanese', () => {
    const ja = translator('ja');
    const embed = buildHelpReply(ja, commandDefinitions()).embeds![0] as APIEmbed;
    const words = readCommandWords().get('ja')!;
    const film = embed.fields!.find((entry) => entry.name.startsWith(`/${words.film!.name} `))!;
    expect(film.name).toBe(`/${words.film!.name} ${words.film!.options!.title!.name}:`);
    expect(film.value).toBe(words.film!.description);
    expect(embed.title).toBe('Reelside のコマンド');
  });
});

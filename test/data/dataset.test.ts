// Checks the bundled film dataset against the original seed reviews, and the schema's guarantees.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadFilmCatalog } from '../../src/data/catalog';
import { FILMS_DIR } from '../../src/data/load';
import { filmSchema, type Film, type Review } from '../../src/data/schema';

const here = (path: string): string => fileURLToPath(new URL(path, import.meta.url));
// Unchanged copies of the two source reviews, so verbatimness is checked against the source, not the data file.
const seed000 = readFileSync(here('./seeds/000_af863cd08ee29bcf.txt'), 'utf8');
const seed002 = readFileSync(here('./seeds/002_a85c1cfd979e2e46.txt'), 'utf8');

/** The review prose of a seed: what lies between its front matter and its sign-off, trimmed. */
function body(seed: string, after: string, before: string): string {
  const start = seed.indexOf(after);
  const end = seed.indexOf(before, start + after.length);
  expect(start).toBeGreaterThanOrEqual(0);
  expect(end).toBeGreaterThan(start);
  return seed.slice(start + after.length, end).trim();
}
// 000: logline + credits + "Closed Captioning Available", then the review, then "-Emily Yoshida, New York Magazine".
const body000 = body(seed000, 'Closed Captioning Available', '\n-Emily Yoshida');
// 002: an epigraph quote line, then the review, then "My Rating: ★★★★½" and a credits block.
const body002 = body(seed002, '“Your love helps me breathe.”', 'My Rating:');

const catalog = loadFilmCatalog();
const herSmell = catalog.get('her-smell') as Film;
const rawHerSmell: unknown = JSON.parse(readFileSync(`${FILMS_DIR}/her-smell.json`, 'utf8'));

function review(film: Film, id: string): Review {
  const found = film.reviews.find((r) => r.id === id);
  if (!found) throw new Error(`no review ${id}`);
  return found;
}
const yoshida = review(herSmell, 'emily-yoshida-new-york-magazine');
const unsigned = review(herSmell, 'unsigned-review-002');

describe('bundled dataset', () => {
  it('loads, with Her Smell in it', () => {
    expect(catalog.all().length).toBeGreaterThanOrEqual(1);
    expect(herSmell).toBeDefined();
    expect(FILMS_DIR.replaceAll('\\', '/')).toMatch(/src\/data\/films\/?$/);
  });

  it('has the sourced basic facts', () => {
    expect(herSmell.title).toBe('Her Smell');
    expect(herSmell.year).toBe(2018);
    expect(herSmell.runtimeMinutes).toBe(135);
    expect(herSmell.directors).toEqual(['Alex Ross Perry']);
    expect(herSmell.writers).toEqual(['Alex Ross Perry']);
    expect(herSmell.logline).toBe(seed000.split('\n')[0]);
    expect(herSmell.rating).toBe('R');
    expect(herSmell.format).toEqual(['Shot on 35mm']);
    expect(herSmell.releaseNote).toMatch(/2018.*2019/);
    expect(herSmell.accessibility).toEqual({ closedCaptions: true });
  });

  it('has the crew', () => {
    expect(herSmell.crew).toEqual({
      composer: ['Keegan DeWitt'],
      cinematographer: ['Sean Price Williams'],
      editor: ['Robert Greene'],
    });
  });

  it('bills the cast in order, with roles only where sourced', () => {
    expect(herSmell.cast.map((c) => [c.name, c.role])).toEqual([
      ['Elisabeth Moss', 'Becky Something'],
      ['Cara Delevingne', 'one of the Akergirls'],
      ['Dan Stevens', 'Danny'],
      ['Agyness Deyn', 'Marielle Hell'],
      ['Gayle Rankin', 'Ali van der Wolff'],
      ['Eric Stoltz', 'Howard Goodman'],
      ['Virginia Madsen', "Becky's mother"],
      ['Amber Heard', undefined],
      ['Ashley Benson', 'one of the Akergirls'],
      ['Dylan Gelula', 'one of the Akergirls'],
    ]);
    expect(herSmell.cast.find((c) => c.name === 'Dan Stevens')?.note).toBe("Becky's ex-husband");
  });

  it('credits review 000 to Emily Yoshida, New York Magazine, unrated', () => {
    expect(yoshida).toMatchObject({ author: 'Emily Yoshida', outlet: 'New York Magazine', unsigned: false });
    expect(yoshida.rating).toBeUndefined();
    expect(yoshida.text).toBe(body000);
  });

  it('keeps review 002 unsigned, rated 4.5 of 5', () => {
    expect(unsigned.unsigned).toBe(true);
    expect(unsigned.author).toBeUndefined();
    expect(unsigned.outlet).toBeUndefined();
    expect(unsigned.rating).toEqual({ stars: 4.5, outOf: 5 });
    expect(unsigned.text).toBe(body002);
  });

  it.each([
    ['000', () => yoshida, seed000],
    ['002', () => unsigned, seed002],
  ])('review %s has ≥6 excerpts, each verbatim in the seed and embed-sized', (_, get, seed) => {
    const { excerpts } = get();
    expect(excerpts.length).toBeGreaterThanOrEqual(6);
    expect(new Set(excerpts).size).toBe(excerpts.length);
    for (const excerpt of excerpts) {
      expect(seed).toContain(excerpt);
      expect(excerpt.length).toBeLessThanOrEqual(1000);
      // Trimmed at sentence boundaries: starts with a capital, ends with terminal punctuation.
      expect(excerpt).toMatch(/^[A-Z]/);
      expect(excerpt).toMatch(/[.!?]$/);
    }
  });

  it('spells Elisabeth Moss correctly outside the verbatim review text', () => {
    const { reviews, ...rest } = rawHerSmell as Film;
    const outsideQuotes = JSON.stringify([rest, reviews.map(({ text: _t, excerpts: _e, ...meta }) => meta)]);
    expect(outsideQuotes).not.toMatch(/Elizabeth/);
    // ...while an excerpt keeps review 002's own spelling.
    expect(unsigned.excerpts.some((e) => e.includes('Elizabeth Moss'))).toBe(true);
  });
});

describe('filmSchema', () => {
  /** A fresh, valid copy of the raw data to break in one way per test. */
  const valid = (): Film => structuredClone(rawHerSmell) as Film;
  const issuePaths = (data: unknown): string[] => {
    const result = filmSchema.safeParse(data);
    expect(result.success).toBe(false);
    return result.success ? [] : result.error.issues.map((i) => i.path.join('.'));
  };

  it('accepts the bundled data', () => {
    expect(filmSchema.safeParse(valid()).success).toBe(true);
  });

  it('rejects an excerpt that is not verbatim (even a straightened apostrophe)', () => {
    const film = valid();
    const excerpts = film.reviews[0]!.excerpts;
    const index = excerpts.findIndex((e) => e.includes('’'));
    excerpts[index] = excerpts[index]!.replaceAll('’', "'");
    expect(issuePaths(film)).toEqual([`reviews.0.excerpts.${index}`]);
  });

  it('rejects a review with neither an author nor unsigned: true', () => {
    const film = valid();
    delete film.reviews[0]!.author;
    delete film.reviews[0]!.outlet;
    expect(issuePaths(film)).toEqual(['reviews.0.author']);
  });

  it('rejects a review missing the unsigned flag', () => {
    const film = valid() as unknown as { reviews: Record<string, unknown>[] };
    delete film.reviews[1]!['unsigned'];
    expect(issuePaths(film)).toContain('reviews.1.unsigned');
  });

  it('rejects an "unsigned" review that names an author', () => {
    const film = valid();
    film.reviews[1]!.author = 'Somebody';
    expect(issuePaths(film)).toEqual(['reviews.1.unsigned']);
  });

  it('rejects fewer than 6 excerpts', () => {
    const film = valid();
    film.reviews[0]!.excerpts = film.reviews[0]!.excerpts.slice(0, 5);
    expect(issuePaths(film)).toEqual(['reviews.0.excerpts']);
  });

  it('rejects duplicate excerpts and duplicate review ids', () => {
    const film = valid();
    const excerpts = film.reviews[0]!.excerpts;
    excerpts.push(excerpts[0]!);
    film.reviews[1]!.id = film.reviews[0]!.id;
    expect(issuePaths(film)).toEqual([`reviews.0.excerpts.${excerpts.length - 1}`, 'reviews.1.id']);
  });

  it('rejects an excerpt over 1000 characters', () => {
    const film = valid();
    const long = `${'Word '.repeat(200)}end.`;
    film.reviews[0]!.text += ` ${long}`;
    film.reviews[0]!.excerpts.push(long);
    expect(issuePaths(film)).toEqual([`reviews.0.excerpts.${film.reviews[0]!.excerpts.length - 1}`]);
  });

  it.each(['Her Smell', 'her_smell', 'her--smell', '-her-smell', 'her-smell-', ''])('rejects the id %j', (id) => {
    expect(issuePaths({ ...valid(), id })).toEqual(['id']);
  });

  it('rejects a 200-character title, unknown keys and a missing director', () => {
    expect(issuePaths({ ...valid(), title: 'x'.repeat(200) })).toEqual(['title']);
    expect(issuePaths({ ...valid(), runtime: 135 })).toEqual(['']);
    expect(issuePaths({ ...valid(), directors: [] })).toEqual(['directors']);
  });
});

// Tests film lookup, autocomplete search, suggestions and directory loading.
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { FilmCatalog, filmLabel, loadFilmCatalog, normalizeTitle } from '../../src/data/catalog';
import { FILMS_DIR, FilmDataError } from '../../src/data/load';
import { MAX_QUERY_LENGTH } from '../../src/data/normalize';
import { type Film, filmSchema } from '../../src/data/schema';

const FIXTURE_DIR = fileURLToPath(new URL('./fixtures/films/', import.meta.url));
const bundled = loadFilmCatalog();
const herSmell = bundled.get('her-smell') as Film;

/** A deterministic 6,000-character paste of printable junk. */
const GARBAGE = Array.from({ length: 6000 }, (_, i) => String.fromCharCode(33 + ((i * 7919) % 90))).join('');

/** Synthetic films only need identity for catalog logic; the rest is borrowed from a valid film. */
function film(id: string, title: string, year = 2000): Film {
  return { ...herSmell, id, title, year };
}
const ids = (films: Film[]): string[] => films.map((f) => f.id);

// 40 films: 35 "Film NN" fillers plus five titles that exercise the ranking tiers for "star".
const synthetic = new FilmCatalog([
  ...Array.from({ length: 35 }, (_, i) => film(`film-${String(i + 1).padStart(2, '0')}`, `Film ${String(i + 1).padStart(2, '0')}`)),
  film('mustard-heights', 'Mustard Heights'), // substring
  film('starling-avenue', 'Starling Avenue'), // title prefix
  film('lonely-star-diner', 'Lonely Star Diner'), // word prefix
  film('costar-problems', 'Costar Problems'), // substring
  film('stargazer-motel', 'Stargazer Motel'), // title prefix
]);

describe('normalizeTitle and filmLabel', () => {
  it('folds case, accents, punctuation and spacing', () => {
    expect(normalizeTitle('  The Test Pattern:   DÉJÀ  vu—Club! ')).toBe('the test pattern deja vu club');
    expect(normalizeTitle('Her Smell (2018)')).toBe('her smell 2018');
    expect(normalizeTitle('Don’t Look')).toBe(normalizeTitle("dont look"));
    expect(normalizeTitle('?!…')).toBe('');
  });

  it('labels a film with its year', () => {
    expect(filmLabel(herSmell)).toBe('Her Smell (2018)');
  });
});

describe('find', () => {
  it.each(['her-smell', 'her smell', 'Her Smell', 'HER SMELL', '  Her   Smell  ', 'hér-smëll!', 'Her Smell (2018)', ' her smell 2018 '])(
    'resolves %j to Her Smell',
    (input) => {
      expect(bundled.find(input)?.id).toBe('her-smell');
    },
  );

  it.each(['', '   ', 'Her Smel', 'Her Smell (2019)', 'zzz', GARBAGE])('returns undefined for %j', (input) => {
    expect(bundled.find(input)).toBeUndefined();
  });

  it('refuses to guess between films sharing a title, but resolves their labels', () => {
    const remakes = new FilmCatalog([film('echo-1990', 'Echo', 1990), film('echo-2020', 'Echo', 2020)]);
    expect(remakes.find('echo')).toBeUndefined();
    expect(remakes.find('Echo (2020)')?.id).toBe('echo-2020');
    expect(remakes.find('echo-1990')?.id).toBe('echo-1990');
  });
});

describe('search', () => {
  it.each(['her', 'HER', 'smell', 'SMÉLL', 'mell', 'her smell (2018)'])('finds Her Smell for %j', (query) => {
    expect(ids(bundled.search(query))).toEqual(['her-smell']);
  });

  it('lists everything alphabetically for an empty query', () => {
    expect(ids(bundled.search(''))).toEqual(['her-smell']);
    expect(ids(synthetic.search('   ', 3))).toEqual(['costar-problems', 'film-01', 'film-02']);
  });

  it('returns nothing for no match or a 6,000-character paste', () => {
    expect(bundled.search('zzz')).toEqual([]);
    expect(bundled.search(GARBAGE)).toEqual([]);
  });

  it('ranks title prefix, then word prefix, then substring, alphabetical within each', () => {
    expect(ids(synthetic.search('STAR'))).toEqual([
      'stargazer-motel',
      'starling-avenue',
      'lonely-star-diner',
      'costar-problems',
      'mustard-heights',
    ]);
  });

  it('caps results at the limit and never above 25', () => {
    expect(synthetic.search('film')).toHaveLength(25);
    expect(synthetic.search('film', 100)).toHaveLength(25);
    expect(synthetic.search('', 100)).toHaveLength(25);
    expect(ids(synthetic.search('film', 2))).toEqual(['film-01', 'film-02']);
    expect(synthetic.search('film', 0)).toEqual([]);
    expect(synthetic.search('film', -5)).toEqual([]);
  });
});

describe('closest', () => {
  it.each(['her smel', 'smell her', 'HER SMEL (2018)', 'hersmell'])('suggests Her Smell for %j', (query) => {
    expect(ids(bundled.closest(query))).toEqual(['her-smell']);
  });

  it('puts the best match first and returns n suggestions', () => {
    const suggestions = synthetic.closest('stargazer motle', 3);
    expect(suggestions).toHaveLength(3);
    expect(suggestions[0]?.id).toBe('stargazer-motel');
  });

  it('skips films sharing nothing when something is similar', () => {
    const suggestions = ids(synthetic.closest('stargazer', 40));
    expect(suggestions[0]).toBe('stargazer-motel');
    expect(suggestions).not.toContain('film-01');
  });

  it('still suggests something when nothing is similar, and nothing for an empty catalog', () => {
    expect(ids(bundled.closest('xyzzy'))).toEqual(['her-smell']);
    expect(ids(bundled.closest(''))).toEqual(['her-smell']);
    expect(synthetic.closest('qqq', 2)).toHaveLength(2);
    expect(new FilmCatalog([]).closest('her smell')).toEqual([]);
  });
});

describe('FilmCatalog', () => {
  it('gets by id and lists alphabetically', () => {
    expect(synthetic.get('lonely-star-diner')?.title).toBe('Lonely Star Diner');
    expect(synthetic.get('Lonely Star Diner')).toBeUndefined();
    expect(synthetic.all()).toHaveLength(40);
    expect(synthetic.all()[0]?.id).toBe('costar-problems');
  });

  it('rejects duplicate ids', () => {
    expect(() => new FilmCatalog([film('same', 'One'), film('same', 'Two')])).toThrow(/Duplicate film id "same"/);
  });

  // A long paste costs what a short query does because nothing past the cap is read (how fast
  // that is belongs to `npm run bench`): a title just past it would change every answer if it were.
  it('reads no further than MAX_QUERY_LENGTH characters of 6,000-character garbage', () => {
    const head = GARBAGE.slice(0, MAX_QUERY_LENGTH);
    expect(synthetic.find(GARBAGE)).toBeUndefined();
    expect(synthetic.search(GARBAGE)).toEqual(synthetic.search(head));
    expect(ids(synthetic.closest(GARBAGE))).toEqual(ids(synthetic.closest(head)));
    expect(ids(synthetic.closest(`${head} Lonely Star Diner`))).toEqual(ids(synthetic.closest(head)));
    expect(ids(synthetic.closest(`${head} Lonely Star Diner`))).not.toContain('lonely-star-diner');

    const padded = (query: string) => `${query}${' '.repeat(MAX_QUERY_LENGTH - query.length)}${GARBAGE}`;
    expect(synthetic.find(padded('Lonely Star Diner'))?.id).toBe('lonely-star-diner');
    expect(ids(synthetic.search(padded('lonely')))).toEqual(['lonely-star-diner']);
  });
});

describe('loadFilmCatalog with a second film added as one data file', () => {
  // The bundled films' folder plus one more file, as a contributor adding a film would have it.
  const dir = mkdtempSync(join(tmpdir(), 'reelside-films-'));
  copyFileSync(join(FILMS_DIR, 'her-smell.json'), join(dir, 'her-smell.json'));
  copyFileSync(join(FIXTURE_DIR, 'the-test-pattern.json'), join(dir, 'the-test-pattern.json'));
  const fixtures = loadFilmCatalog(dir);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('loads both films', () => {
    expect(ids(fixtures.all())).toEqual(['her-smell', 'the-test-pattern']);
  });

  it.each([
    ['the-test-pattern', 'the-test-pattern'],
    ['THE TEST PATTERN: DÉJÀ VU CLUB', 'the-test-pattern'],
    ['the test pattern deja vu club (2001)', 'the-test-pattern'],
    ['Her Smell', 'her-smell'],
  ])('finds %j', (input, id) => {
    expect(fixtures.find(input)?.id).toBe(id);
  });

  it('searches across both films', () => {
    expect(ids(fixtures.search('deja'))).toEqual(['the-test-pattern']);
    expect(ids(fixtures.search('DÉJÀ VU'))).toEqual(['the-test-pattern']);
    expect(ids(fixtures.search('he'))).toEqual(['her-smell', 'the-test-pattern']);
    expect(ids(fixtures.search(''))).toEqual(['her-smell', 'the-test-pattern']);
    expect(ids(fixtures.closest('test patern', 1))).toEqual(['the-test-pattern']);
  });
});

describe('loadFilmCatalog errors', () => {
  const dirs: string[] = [];
  /** A temp film directory holding the given files. */
  function dirWith(files: Record<string, string>): string {
    const dir = mkdtempSync(join(tmpdir(), 'reelside-films-'));
    dirs.push(dir);
    for (const [name, contents] of Object.entries(files)) writeFileSync(join(dir, name), contents);
    return dir;
  }
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  const herSmellJson = readFileSync(join(FILMS_DIR, 'her-smell.json'), 'utf8');

  it('names the invalid file and the issue paths', () => {
    const broken = JSON.parse(herSmellJson) as Film;
    broken.id = 'Not A Slug';
    broken.reviews[0]!.excerpts[2] = 'Words the critic never wrote.';
    const dir = dirWith({ 'her-smell.json': herSmellJson, 'broken.json': JSON.stringify(broken) });
    expect(() => loadFilmCatalog(dir)).toThrow(FilmDataError);
    expect(() => loadFilmCatalog(dir)).toThrow(/broken\.json: invalid film data - id: .*reviews\.0\.excerpts\.2: /);
  });

  it('names a file that is not valid JSON', () => {
    const dir = dirWith({ 'oops.json': '{ "id": ' });
    expect(() => loadFilmCatalog(dir)).toThrow(/oops\.json: not valid JSON/);
  });

  it('rejects duplicate ids across files, naming both', () => {
    const dir = dirWith({ 'a.json': herSmellJson, 'b.json': herSmellJson });
    expect(() => loadFilmCatalog(dir)).toThrow(/b\.json: duplicate film id "her-smell" \(already defined in .*a\.json\)/);
  });

  it('ignores files that are not *.json', () => {
    const dir = dirWith({ 'her-smell.json': herSmellJson, 'README.md': '# notes' });
    expect(ids(loadFilmCatalog(dir).all())).toEqual(['her-smell']);
  });
});

describe('translated titles', () => {
  // Synthetic: the bundled dataset gives Her Smell no release title in another language.
  const translated = new FilmCatalog([
    { ...film('quiet-river', 'The Quiet River', 2001), translations: { fr: { title: 'La Rivière tranquille' }, ja: { title: '静かな川' } } },
    film('loud-sea', 'The Loud Sea', 2003),
  ]);

  it('suggests a film by any of its titles, under its own title', () => {
    expect(ids(translated.search('riviere'))).toEqual(['quiet-river']);
    expect(ids(translated.search('静かな'))).toEqual(['quiet-river']);
    expect(ids(translated.search('quiet'))).toEqual(['quiet-river']);
    expect(translated.search('tranquille').map(filmLabel)).toEqual(['The Quiet River (2001)']);
  });

  it('resolves a typed translated title', () => {
    expect(translated.find('La rivière tranquille')?.id).toBe('quiet-river');
    expect(translated.find('静かな川')?.id).toBe('quiet-river');
  });

  it('refuses translations that are empty, in a language the bot does not speak, or with fields it does not know', () => {
    const issues = (translations: unknown) => filmSchema.safeParse({ ...herSmell, translations }).error?.issues.map((issue) => issue.path.join('.'));
    expect(issues({ fr: { title: '' } })).toEqual(['translations.fr.title']);
    expect(issues({ ko: { title: '그녀의 냄새' } })).toEqual(['translations']);
    expect(issues({ de: { tagline: 'x' } })).toEqual(['translations.de']);
    expect(issues(herSmell.translations)).toBeUndefined();
  });
});

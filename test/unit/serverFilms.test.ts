// A server's own films: the form's checks, the store (ids, twins, limits, damaged entries), and the customIds that carry them.
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildCustomId, parseCustomId } from '../../src/components/customId';
import { readFilmForm } from '../../src/films/serverFilmForm';
import { translator } from '../../src/i18n';
import { keys } from '../../src/storage/keys';
import { MAX_SERVER_FILMS, ServerFilmExistsError, ServerFilmLimitError, ServerFilmMissingError, ServerFilmStore } from '../../src/storage/serverFilms';
import { BACKENDS, closeServersOfThisFile, openTestStorage } from '../../harness/storage';

afterAll(closeServersOfThisFile);

const GUILD = '200000000000000001';
const MOD = { id: '1', name: 'Mod' };
const NOW = new Date('2026-12-03T12:00:00Z');
const EN = translator('en');

describe('the film form', () => {
  it('reads a full form, trimming and splitting the directors', () => {
    const form = readFilmForm(EN, { title: '  Paddington   2 ', year: '2017', directors: 'Paul King,  Simon Farnaby\n', runtime: '103', synopsis: ' A bear.\n\nA book. ' }, NOW);
    expect(form).toEqual({ ok: true, fields: { title: 'Paddington 2', year: 2017, directors: ['Paul King', 'Simon Farnaby'], runtimeMinutes: 103, synopsis: 'A bear.\n\nA book.' } });
  });

  it('needs only title and year', () => {
    expect(readFilmForm(EN, { title: 'Withnail and I', year: '1987', directors: '', runtime: '', synopsis: '' }, NOW)).toEqual({ ok: true, fields: { title: 'Withnail and I', year: 1987, directors: [] } });
  });

  it('reports every problem at once', () => {
    const form = readFilmForm(EN, { title: ' ', year: '87', runtime: '1.5', directors: 'x'.repeat(101) }, NOW);
    expect(form.ok).toBe(false);
    expect(!form.ok && form.problems).toEqual([
      'The title is required.',
      'The year is four digits from 1870 to 2036, e.g. 2017.',
      "A director's name can be at most 100 characters.",
      'The runtime is a whole number of minutes from 1 to 1000, e.g. 103.',
    ]);
  });

  it.each(['1869', '2037', '20017', '２０１７', '0x7e1'])('refuses the year %s', (year) => {
    expect(readFilmForm(EN, { title: 'A', year }, NOW).ok).toBe(false);
  });
});

describe('film customIds', () => {
  it('round-trip and refuse what they did not make', () => {
    for (const id of [{ kind: 'film-add' }, { kind: 'film-edit', slug: 'paddington-2-2017' }, { kind: 'film-edit', slug: 'amélie-2001' }] as const) {
      expect(parseCustomId(buildCustomId(id))).toEqual(id);
    }
    for (const bad of ['films:add:x', 'films:edit:', 'films:edit:Bad Slug', 'films:edit:a:b', 'films:remove:x']) expect(parseCustomId(bad)).toBeUndefined();
  });
});

describe.each(BACKENDS)('server films on %s', (backend) => {
  let store: Awaited<ReturnType<typeof openTestStorage>>;
  let films: ServerFilmStore;
  beforeEach(async () => {
    store = await openTestStorage(backend);
    films = new ServerFilmStore(store.records);
  });
  afterEach(async () => store.close());

  const add = (title: string, year = 2017, guildId = GUILD) => films.add(guildId, { title, year, directors: [] }, MOD, 1);

  it('keys a film by its title and year, and keeps that id through edits', async () => {
    const added = await add('Paddington 2: The Return!');
    expect(added.slug).toBe('paddington-2-the-return-2017');
    const edited = await films.edit(GUILD, added.slug, { title: 'Paddington 2', year: 2017, directors: ['Paul King'] }, 2);
    expect(edited).toMatchObject({ slug: 'paddington-2-the-return-2017', title: 'Paddington 2', updatedAt: 2, addedBy: MOD });
    expect((await films.list(GUILD)).films.map((film) => film.title)).toEqual(['Paddington 2']);
  });

  it('cuts a long title’s slug between characters, never inside one', async () => {
    const added = await add(`a${'𠀀'.repeat(80)}`);
    expect(added.slug).toBe(`a${'𠀀'.repeat(59)}-2017`);
  });

  it('gives a film removed and added again its old id back, so its ratings find it', async () => {
    const first = await add('Jaws', 1975);
    await films.remove(GUILD, first.slug);
    expect((await add('Jaws', 1975)).slug).toBe(first.slug);
  });

  it('refuses a twin (same title and year, any case or accents), but not a remake', async () => {
    await add('Amélie', 2001);
    await expect(add('AMELIE', 2001)).rejects.toThrow(ServerFilmExistsError);
    expect((await add('Amélie', 2031)).slug).toBe('amelie-2031');
    expect((await add('千と千尋の神隠し', 2001)).slug).toBe('千と千尋の神隠し-2001');
  });

  it('counts all of 50 films added at once, each under its own id', async () => {
    await Promise.all(Array.from({ length: 50 }, (_, i) => add(`Film ${i}`)));
    const { films: listed } = await films.list(GUILD);
    expect(new Set(listed.map((film) => film.slug)).size).toBe(50);
  });

  it(`keeps at most ${MAX_SERVER_FILMS} films`, async () => {
    await store.storage.kv.set(keys.serverFilms(GUILD), {
      films: Object.fromEntries(Array.from({ length: MAX_SERVER_FILMS }, (_, i) => [`f${i}-2000`, { slug: `f${i}-2000`, title: `F${i}`, year: 2000, directors: [], addedBy: MOD, addedAt: 0, hidden: false }])),
    });
    await expect(add('One Too Many')).rejects.toThrow(ServerFilmLimitError);
  });

  it('leaves out a damaged film, keeps it as stored through other changes, and never hands its id to another', async () => {
    await store.storage.kv.set(keys.serverFilms(GUILD), { films: { 'jaws-1975': { slug: 'jaws-1975', title: '', year: 'soon' } } });
    expect(await films.list(GUILD)).toEqual({ films: [], damaged: ['jaws-1975'] });
    const added = await add('Jaws', 1975);
    expect(added.slug).toBe('jaws-1975-2');
    const raw = (await store.storage.kv.get(keys.serverFilms(GUILD))) as { films: Record<string, unknown> };
    expect(raw.films['jaws-1975']).toEqual({ slug: 'jaws-1975', title: '', year: 'soon' });
  });

  it('hides and removes only films that exist', async () => {
    const added = await add('Her', 2013);
    expect((await films.setHidden(GUILD, added.slug, true)).hidden).toBe(true);
    await expect(films.setHidden(GUILD, 'nope-2000', true)).rejects.toThrow(ServerFilmMissingError);
    await expect(films.remove(GUILD, 'nope-2000')).rejects.toThrow(ServerFilmMissingError);
  });

  it('keeps each server’s films apart', async () => {
    await add('Jaws', 1975);
    expect((await films.list('200000000000000002')).films).toEqual([]);
  });
});

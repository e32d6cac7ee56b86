// Letterboxd import without Discord: the CSV parser, the export zip reader, how rows become one
// plan per film, and what the summary says when storage fails part-way.
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { strToU8, zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { translator } from '../../src/i18n';
import { StorageUnavailableError } from '../../src/errors';
import { applyImport } from '../../src/imports/applyImport';
import { importFileKind } from '../../src/imports/attachment';
import { downloadAttachment } from '../../src/imports/download';
import { ImportRefusedError } from '../../src/imports/errors';
import { readExportZip } from '../../src/imports/exportZip';
import { parseLetterboxdCsv } from '../../src/imports/letterboxdCsv';
import { filmKey, type Matching } from '../../src/imports/matchFilms';
import { planImport } from '../../src/imports/planImport';
import type { Logger } from '../../src/log';
import { buildImportSummary } from '../../src/replies/imports';
import type { RatingStore } from '../../src/storage/ratings';
import type { ReviewStore } from '../../src/storage/reviews';

const EN = translator('en');
const fixture = (name: string) => new Uint8Array(readFileSync(new URL(`../data/fixtures/letterboxd/${name}`, import.meta.url)));
const text = (csv: string) => new TextEncoder().encode(csv);
const day = (date: string) => Date.parse(`${date}T00:00:00Z`);

function refusal(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    if (error instanceof ImportRefusedError) return error.refusal;
    throw error;
  }
  throw new Error('not refused');
}

describe('the CSV parser', () => {
  it('reads ratings.csv by header name', () => {
    const { rows, problems, empty } = parseLetterboxdCsv(fixture('ratings.csv'), 'ratings.csv');
    expect(problems).toEqual([]);
    expect(empty).toBe(0);
    expect(rows).toHaveLength(6);
    expect(rows[0]).toEqual({ file: 'ratings.csv', line: 2, name: 'Her Smell', year: 2018, stars: 4, at: day('2024-02-10'), spoiler: false });
    expect(rows[5]).toMatchObject({ name: 'The Room', year: 2003, stars: 0.5 });
  });

  it('takes the columns in any order, and a quoted review over several lines, quotes and commas included', () => {
    const { rows } = parseLetterboxdCsv(fixture('reviews.csv'), 'reviews.csv');
    expect(rows.map((row) => row.name)).toEqual(['Her Smell', 'Paddington 2', 'Past Lives', 'Portrait of a Lady on Fire']);
    // The Watched Date, not the Date, is when it counts from.
    expect(rows[0]).toMatchObject({ line: 2, stars: 4, at: day('2024-02-09'), review: 'Becky Something at her worst,\nthen "at her best".\n\nA ferocious film.' });
    // The multi-line review took lines 2 to 5, so the next row starts on line 6.
    expect(rows[1]!.line).toBe(6);
    expect(rows[2]).toMatchObject({ review: 'Ok.', stars: 3.5 });
  });

  it('reads a blank rating as not rated: a row with neither rating nor review has nothing to import', () => {
    const csv = 'Date,Name,Year,Letterboxd URI,Rating,Rewatch,Review,Tags,Watched Date\n2024-01-01,Unrated With Words,2020,u,,No,Words enough to keep.,,\n2024-01-02,Only Logged,2021,u,,No,,,\n';
    const { rows, empty } = parseLetterboxdCsv(text(csv), 'diary.csv');
    expect(rows).toEqual([{ file: 'diary.csv', line: 2, name: 'Unrated With Words', year: 2020, at: day('2024-01-01'), review: 'Words enough to keep.', spoiler: false }]);
    expect(empty).toBe(1);
  });

  it('skips rows with a rating that is not 0.5 to 5 in half steps (7, 2.3, 0, -1, "four"), naming their lines', () => {
    const csv = 'Date,Name,Year,Letterboxd URI,Rating\n2024-01-01,Seven,2020,u,7\n2024-01-01,Two Point Three,2020,u,2.3\n2024-01-01,Zero,2020,u,0\n2024-01-01,Minus,2020,u,-1\n2024-01-01,Words,2020,u,four\n2024-01-01,Fine,2020,u,2.5\n';
    const { rows, problems } = parseLetterboxdCsv(text(csv), 'ratings.csv');
    expect(rows.map((row) => [row.name, row.stars])).toEqual([['Fine', 2.5]]);
    expect(problems).toEqual(['Seven', 'Two Point Three', 'Zero', 'Minus', 'Words'].map((name, i) => ({ file: 'ratings.csv', line: i + 2, name, reason: 'rating' })));
  });

  it('skips rows without a name, with a year that is not four digits, or a date that is not a real day', () => {
    const csv = 'Date,Name,Year,Letterboxd URI,Rating\n2024-01-01,,2020,u,3\n2024-01-01,Year,20x0,u,3\n2024-02-30,Leap,2020,u,3\n2024-01-01,No Year,,u,3\n';
    const { rows, problems } = parseLetterboxdCsv(text(csv), 'ratings.csv');
    expect(problems.map((problem) => problem.reason)).toEqual(['name', 'year', 'date']);
    expect(rows).toEqual([{ file: 'ratings.csv', line: 5, name: 'No Year', stars: 3, at: day('2024-01-01'), spoiler: false }]);
  });

  it('reads a byte-order mark, CRLF lines, blank lines and headers in any case', () => {
    const csv = '\uFEFFname,YEAR,rating,date\r\n\r\nAlien,1979,5,2024-01-01\r\n';
    expect(parseLetterboxdCsv(text(csv), 'ratings.csv').rows).toEqual([{ file: 'ratings.csv', line: 3, name: 'Alien', year: 1979, stars: 5, at: day('2024-01-01'), spoiler: false }]);
  });

  it('marks a review tagged "spoilers" as a spoiler', () => {
    const csv = 'Date,Name,Year,Rating,Review,Tags\n2024-01-01,Alien,1979,5,The cat lives. Truly.,"horror, spoilers"\n';
    expect(parseLetterboxdCsv(text(csv), 'reviews.csv').rows[0]!.spoiler).toBe(true);
  });

  it('refuses a CSV without the columns an import needs, naming them', () => {
    expect(refusal(() => parseLetterboxdCsv(fixture('watched.csv'), 'watched.csv'))).toEqual({ reason: 'wrong-headers', fileName: 'watched.csv', missing: ['Rating'] });
    expect(refusal(() => parseLetterboxdCsv(text('title,score\nAlien,5\n'), 'x.csv'))).toEqual({ reason: 'wrong-headers', fileName: 'x.csv', missing: ['Name', 'Year', 'Date', 'Rating'] });
    expect(refusal(() => parseLetterboxdCsv(text(''), 'empty.csv'))).toMatchObject({ reason: 'wrong-headers' });
  });

  it('refuses a malformed CSV (a quote never closed, a row of another length) and bytes that are not UTF-8', () => {
    expect(refusal(() => parseLetterboxdCsv(text('Date,Name,Year,Rating\n2024-01-01,"Alien,1979,5\n'), 'ratings.csv'))).toMatchObject({ reason: 'malformed-csv', fileName: 'ratings.csv' });
    expect(refusal(() => parseLetterboxdCsv(text('Date,Name,Year,Rating\n2024-01-01,Alien,1979\n'), 'ratings.csv'))).toMatchObject({ reason: 'malformed-csv', line: 2 });
    expect(refusal(() => parseLetterboxdCsv(new Uint8Array([0x4e, 0x61, 0xff, 0xfe, 0x00]), 'ratings.csv'))).toEqual({ reason: 'not-text', fileName: 'ratings.csv' });
  });

  it('refuses more rows than it may take without reading past them', () => {
    const csv = `Date,Name,Year,Rating\n${Array.from({ length: 11 }, (_, i) => `2024-01-01,Film ${i},2020,3`).join('\n')}\n`;
    expect(parseLetterboxdCsv(text(csv), 'ratings.csv', 11).rows).toHaveLength(11);
    expect(refusal(() => parseLetterboxdCsv(text(csv), 'ratings.csv', 10))).toEqual({ reason: 'too-many-rows' });
  });
});

describe('the export zip', () => {
  it('reads ratings.csv, reviews.csv and diary.csv from the root, and nothing from deleted/, likes/ or lists/', () => {
    const files = readExportZip(fixture('export.zip'));
    expect(files.map((file) => file.name)).toEqual(['diary.csv', 'reviews.csv', 'ratings.csv']);
    expect(files[2]!.bytes).toEqual(fixture('ratings.csv'));
  });

  it('reads an export kept in one folder', () => {
    const zip = zipSync({ 'letterboxd-ana-2024-03-10-12-00-utc': { 'ratings.csv': fixture('ratings.csv') } });
    expect(readExportZip(zip).map((file) => file.name)).toEqual(['ratings.csv']);
  });

  it('refuses a zip bomb by what it inflates to, whatever its headers claim', () => {
    expect(refusal(() => readExportZip(fixture('bomb.zip')))).toEqual({ reason: 'zip-too-large' });
  });

  it('refuses a zip cut short, one whose data is damaged, and bytes that are no zip', () => {
    expect(refusal(() => readExportZip(fixture('corrupt.zip')))).toEqual({ reason: 'corrupt-zip' });
    const damaged = new Uint8Array(zipSync({ 'ratings.csv': strToU8('Date,Name,Year,Rating\n'.repeat(200)) }, { level: 9 }));
    damaged.fill(0xff, 45, 65);
    expect(refusal(() => readExportZip(damaged))).toEqual({ reason: 'corrupt-zip' });
    expect(refusal(() => readExportZip(strToU8('PK but not really a zip')))).toEqual({ reason: 'corrupt-zip' });
  });

  it('refuses a zip of too many entries, and one without the export’s CSVs', () => {
    const many = Object.fromEntries(Array.from({ length: 5_001 }, (_, i) => [`f${i}.txt`, new Uint8Array()]));
    expect(refusal(() => readExportZip(zipSync(many)))).toEqual({ reason: 'zip-too-many-entries' });
    expect(refusal(() => readExportZip(zipSync({ 'watched.csv': fixture('watched.csv') })))).toEqual({ reason: 'zip-without-csv' });
  });

  it('takes a file by its name and declared size before any download', () => {
    expect(importFileKind({ name: 'ratings.CSV', size: 10 })).toBe('csv');
    expect(importFileKind({ name: 'export.zip', size: 10 })).toBe('zip');
    expect(refusal(() => importFileKind({ name: 'ratings.txt', size: 10 }))).toEqual({ reason: 'not-csv-or-zip', fileName: 'ratings.txt' });
    expect(refusal(() => importFileKind({ name: 'export.zip', size: 6 * 1024 * 1024 }))).toEqual({ reason: 'too-large', bytes: 6 * 1024 * 1024 });
  });
});

describe('the plan', () => {
  it('keeps one entry per film: the newest rating (ratings.csv on a tie) and the newest review', () => {
    const files = readExportZip(fixture('export.zip')).map((file) => parseLetterboxdCsv(file.bytes, file.name));
    const plan = planImport(files, Date.now());
    expect(plan.rows).toBe(13);
    expect(plan.empty).toBe(1);
    const aftersun = plan.films.find((film) => film.name === 'Aftersun')!;
    expect(aftersun.rating).toEqual({ stars: 4.5, at: day('2023-11-05') });
    const herSmell = plan.films.find((film) => film.name === 'Her Smell')!;
    expect(herSmell.rating).toEqual({ stars: 4, at: day('2024-02-10') });
    expect(herSmell.review).toMatchObject({ stars: 4, at: day('2024-02-09') });
    expect(plan.films.map((film) => film.name)).toEqual(['Aftersun', 'Her Smell', 'Paddington 2', 'Past Lives', 'Portrait of a Lady on Fire', 'The Room']);
  });

  it('counts a date after now as now', () => {
    const [csv] = [parseLetterboxdCsv(text('Date,Name,Year,Rating\n2999-01-01,Alien,1979,5\n'), 'ratings.csv')];
    expect(planImport([csv!], 1_000).films[0]!.rating).toEqual({ stars: 5, at: 1_000 });
  });
});

describe('saving', () => {
  const silent = { warn: () => undefined, error: () => undefined } as unknown as Logger;
  const names = ['Alpha', 'Beta', 'Gamma', 'Delta'];
  const plan = planImport([parseLetterboxdCsv(text(`Date,Name,Year,Rating,Review\n${names.map((name) => `2024-01-01,${name},2020,4,A review of ${name} long enough.`).join('\n')}\n`), 'reviews.csv')], Date.now());
  const matching: Matching = {
    found: new Map(names.map((name) => [filmKey({ name, year: 2020 }), { id: `server:${name.toLowerCase()}-2020`, title: name, year: 2020 }])),
    notFound: [],
    tmdb: { asked: 0, notAsked: 0, unavailable: false },
  };

  it('stops at the first storage failure and says exactly what was saved and what was not', async () => {
    const saved: string[] = [];
    const ratings = {
      async rateMany(_guildId: string, filmId: string) {
        if (filmId === 'server:gamma-2020') throw new StorageUnavailableError();
        saved.push(`rating ${filmId}`);
        return { kept: [], damaged: [] };
      },
    } as unknown as RatingStore;
    const reviews = {
      async writeUnlessNewer(_guildId: string, filmId: string) {
        saved.push(`review ${filmId}`);
        return 'written';
      },
      async noteReviewed() {},
    } as unknown as ReviewStore;
    const outcome = await applyImport(plan, matching, { guildId: 'g', userId: 'u', displayName: 'Ana' }, { ratings, reviews, log: silent });
    expect(saved).toEqual(['rating server:alpha-2020', 'review server:alpha-2020', 'rating server:beta-2020', 'review server:beta-2020']);
    expect(outcome.stopped).toBe('storage');
    expect(outcome.ratings.saved.map((film) => film.title)).toEqual(['Alpha', 'Beta']);
    expect(outcome.ratings.notSaved.map((film) => film.title)).toEqual(['Gamma', 'Delta']);
    expect(outcome.reviews.notSaved.map((film) => film.title)).toEqual(['Gamma', 'Delta']);

    const { content } = buildImportSummary(EN, { files: ['reviews.csv'], plan, matching, outcome });
    expect(content).toContain('Imported: 2 ratings, 2 reviews.');
    expect(content).toContain('**Storage stopped answering, so the import stopped.**');
    expect(content).toContain('Ratings not saved: 2 films: Gamma (2020), Delta (2020).');
    expect(content).toContain('Reviews not saved: 2 films: Gamma (2020), Delta (2020).');
    expect(content).toContain('Importing the same file again saves the rest');
  });

  it('counts a film two rows name differently (with and without its year) once', async () => {
    const twice = planImport([parseLetterboxdCsv(text('Date,Name,Year,Rating\n2024-01-01,Alpha,2020,3\n2024-02-01,Alpha,,4\n'), 'ratings.csv')], Date.now());
    expect(twice.films).toHaveLength(2);
    const alpha = { id: 'server:alpha-2020', title: 'Alpha', year: 2020 };
    const sameFilm: Matching = { found: new Map(twice.films.map((film) => [film.key, alpha])), notFound: [], tmdb: { asked: 0, notAsked: 0, unavailable: false } };
    const stored = new Map<string, number>();
    const ratings = {
      async rateMany(_guildId: string, _filmId: string, byUser: Record<string, { stars: number; at: number }>) {
        const rating = byUser.u!;
        const newerHere = (stored.get('at') ?? -1) > rating.at;
        if (!newerHere) stored.set('at', rating.at);
        return { kept: newerHere ? [{ userId: 'u', stars: 2 }] : [], damaged: [] };
      },
    } as unknown as RatingStore;
    const outcome = await applyImport(twice, sameFilm, { guildId: 'g', userId: 'u', displayName: 'Ana' }, { ratings, reviews: {} as ReviewStore, log: silent });
    expect(outcome.ratings.saved.map((film) => film.title)).toEqual(['Alpha']);
    expect(outcome.ratings.newerHere).toEqual([]);
  });

  it("gives an imported review the stars of the member's newer rating here, which stayed", async () => {
    const ratings = {
      async rateMany(_guildId: string, filmId: string) {
        return { kept: filmId === 'server:alpha-2020' ? [{ userId: 'u', stars: 1.5 }] : [], damaged: [] };
      },
    } as unknown as RatingStore;
    const written: { filmId: string; stars: number }[] = [];
    const reviews = {
      async writeUnlessNewer(_guildId: string, filmId: string, review: { stars: number }) {
        written.push({ filmId, stars: review.stars });
        return 'written';
      },
      async noteReviewed() {},
    } as unknown as ReviewStore;
    const outcome = await applyImport(plan, matching, { guildId: 'g', userId: 'u', displayName: 'Ana' }, { ratings, reviews, log: silent });
    expect(outcome.ratings.newerHere.map((film) => film.title)).toEqual(['Alpha']);
    expect(written).toEqual([
      { filmId: 'server:alpha-2020', stars: 1.5 },
      { filmId: 'server:beta-2020', stars: 4 },
      { filmId: 'server:gamma-2020', stars: 4 },
      { filmId: 'server:delta-2020', stars: 4 },
    ]);
  });
});

describe('the download', () => {
  let server: Server;
  let host: string;
  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.url === '/stalls') return void res.writeHead(200).write('Date,Name');
      // Chunked, with no Content-Length: only counting the bytes finds it too big.
      if (req.url === '/endless') {
        res.writeHead(200);
        const more = () => (res.write(new Uint8Array(64 * 1024)) ? setImmediate(more) : res.once('drain', more));
        return void more();
      }
      if (req.url === '/missing') return void res.writeHead(404).end();
      res.writeHead(200, { 'Content-Type': 'text/csv' }).end('Date,Name,Year,Rating\n');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    host = `127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const outcome = async (promise: Promise<unknown>) => promise.then(() => 'downloaded', (error: unknown) => (error instanceof ImportRefusedError ? error.refusal : error));

  it('downloads from an allowed host, and from no other', async () => {
    expect(new TextDecoder().decode(await downloadAttachment(`http://${host}/ratings.csv`, { hosts: [host] }))).toBe('Date,Name,Year,Rating\n');
    expect(await outcome(downloadAttachment(`http://${host}/ratings.csv`, { hosts: ['cdn.discordapp.com'] }))).toEqual({ reason: 'download-failed' });
    expect(await outcome(downloadAttachment('file:///etc/passwd', { hosts: [host] }))).toEqual({ reason: 'download-failed' });
    expect(await outcome(downloadAttachment(`http://${host}/missing`, { hosts: [host] }))).toEqual({ reason: 'download-failed', status: 404 });
  });

  it('gives up on a download that stalls, and on one that goes past the cap, however it is sent', async () => {
    expect(await outcome(downloadAttachment(`http://${host}/stalls`, { hosts: [host], timeoutMs: 300 }))).toEqual({ reason: 'download-timed-out' });
    expect(await outcome(downloadAttachment(`http://${host}/endless`, { hosts: [host], maxBytes: 1024 * 1024 }))).toEqual({ reason: 'too-large' });
  });
});

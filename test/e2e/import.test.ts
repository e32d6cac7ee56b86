// /import letterboxd through the real bot process: a ratings.csv and a whole export .zip become
// members' ratings and reviews, and files that are too big, broken, hostile or not Letterboxd's
// are refused with nothing changed. The stand-in serves the attachments over loopback HTTP.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MemberInput, StoredMessage } from '../../harness/discord/types';
import { addServerFilm, MODERATOR } from '../../harness/films';
import { STANDIN_FILMS, startTmdbStandin, type TmdbStandin } from '../../harness/tmdb/standin';
import { member, slash, startWorld, str, SUBCOMMAND, type World } from '../../harness/world';

const ATTACHMENT = 11;
const DEFERRED_REPLY = 5;
const EPHEMERAL = 64;
let world: World;

const fixture = (name: string) => new Uint8Array(readFileSync(new URL(`../data/fixtures/letterboxd/${name}`, import.meta.url)));

function importFile(user: MemberInput, filename: string, bytes: Uint8Array, declaredSize?: number) {
  const file = { name: 'file', type: ATTACHMENT, attachment: { filename, bytes, ...(declaredSize === undefined ? {} : { declaredSize }) } };
  return slash(world.discord, 'import', [{ name: 'letterboxd', type: SUBCOMMAND, options: [file] }], { user });
}

const yourRating = async (user: MemberInput, film: string) => (await slash(world.discord, 'rate', [str('film', film)], { user }).reply()).content;
const cardServerField = async (film: string) => (await slash(world.discord, 'film', [str('title', film)]).reply()).embeds[0].fields.find((field: { name: string }) => field.name === 'This server').value as string;
const reviewsOf = async (film: string) => (await slash(world.discord, 'reviews', [str('film', film)]).reply()).embeds[0];

beforeAll(async () => {
  world = await startWorld();
  for (const film of [{ title: 'Paddington 2', year: '2017' }, { title: 'Aftersun', year: '2022' }, { title: 'Past Lives', year: '2023' }]) {
    expect((await addServerFilm(world.discord, film, { user: MODERATOR })).content).toContain('is now one of this server’s films');
  }
});
afterAll(async () => world?.close());

describe('importing', () => {
  it('registers /import letterboxd with a required attachment option', () => {
    const command = world.discord.registeredCommands().find((registered) => registered.name === 'import');
    expect(command.options[0]).toMatchObject({ name: 'letterboxd', type: SUBCOMMAND, options: [{ name: 'file', type: ATTACHMENT, required: true }] });
  });

  it('imports a ratings.csv: known films rated, a newer rating here kept, unknown films named', async () => {
    const alice = member(1);
    expect(await yourRating(alice, 'Aftersun')).toBe('You haven\'t rated Aftersun here yet. Add `stars:` to rate it, e.g. `/rate film:Aftersun stars:4.5`.');
    await slash(world.discord, 'rate', [str('film', 'Aftersun'), { name: 'stars', type: 10, value: 2 }], { user: alice }).reply();

    const handle = importFile(alice, 'ratings.csv', fixture('ratings.csv'));
    const first = await handle.response();
    expect(first.type).toBe(DEFERRED_REPLY);
    expect(first.data.flags & EPHEMERAL).toBe(EPHEMERAL);
    const summary = await handle.reply(30_000);
    expect(summary.ephemeral).toBe(true);
    expect(summary.allowedMentions).toEqual({ parse: [] });
    expect(summary.content).toContain('ratings.csv · 6 rows');
    expect(summary.content).toContain('Imported: 3 ratings, 0 reviews.');
    expect(summary.content).toContain('Already newer here: 1 rating, 0 reviews (yours here are more recent, so they stay): Aftersun (2022).');
    expect(summary.content).toContain('Not found: 2 films (matched by title and year): Portrait of a Lady on Fire (2019), The Room (2003).');
    // The bot downloaded the file once, from the URL in the payload.
    expect(world.discord.attachmentDownloads()).toHaveLength(1);

    expect(await yourRating(alice, 'her-smell')).toBe('You rated Her Smell 4★.');
    expect(await yourRating(alice, 'Paddington 2')).toBe('You rated Paddington 2 5★.');
    expect(await yourRating(alice, 'Past Lives')).toBe('You rated Past Lives 3½★.');
    expect(await yourRating(alice, 'Aftersun')).toBe('You rated Aftersun 2★.');
    expect(await cardServerField('her-smell')).toContain('**4.0** from 1 rating');
  });

  it('imports a whole export .zip: ratings, the newest of a diary’s entries, reviews (multi-line, shortened), nothing from deleted/', async () => {
    const bob = member(2);
    await slash(world.discord, 'rate', [str('film', 'Past Lives'), { name: 'stars', type: 10, value: 1 }], { user: bob }).reply();

    const summary = await importFile(bob, 'letterboxd-bob-2024-03-10-12-00-utc.zip', fixture('export.zip')).reply(30_000);
    expect(summary.ephemeral).toBe(true);
    expect(summary.content).toContain('diary.csv, reviews.csv, ratings.csv · 13 rows');
    expect(summary.content).toContain('Imported: 3 ratings, 2 reviews.');
    expect(summary.content).toContain('Already newer here: 1 rating, 0 reviews (yours here are more recent, so they stay): Past Lives (2023).');
    expect(summary.content).toContain('Not found: 2 films');
    expect(summary.content).toContain('1 review longer than 1,000 characters was cut to fit');
    expect(summary.content).toContain('1 review shorter than 10 characters was left out');
    expect(summary.content).toContain('1 row had neither a rating nor a review.');

    expect(await yourRating(bob, 'her-smell')).toBe('You rated Her Smell 4★.');
    // ratings.csv's 4½ (2023-11-05) over the diary's older 3; deleted/reviews.csv's 1★ is not read.
    expect(await yourRating(bob, 'Aftersun')).toBe('You rated Aftersun 4½★.');
    expect(await yourRating(bob, 'Past Lives')).toBe('You rated Past Lives 1★.');
    expect(await cardServerField('her-smell')).toContain('**4.0** from 2 ratings');
    expect(await cardServerField('her-smell')).toContain('1 member review');

    const herSmell = await reviewsOf('her-smell');
    expect(herSmell.fields[0].name).toBe('4★ · member2');
    expect(herSmell.fields[0].value).toContain('Becky Something at her worst,\nthen "at her best".\n\nA ferocious film.');
    // The review form opens filled in with the review as kept: shortened at a word, with "…".
    const form = await slash(world.discord, 'review', [str('film', 'Paddington 2')], { user: bob }).response();
    const kept = form.data.components[1].component.value as string;
    expect(kept.startsWith('Paddington 2 is the rare sequel')).toBe(true);
    expect(kept.endsWith('…')).toBe(true);
    expect([...kept].length).toBeLessThanOrEqual(1_000);
    expect([...kept].length).toBeGreaterThan(800);
    expect((await reviewsOf('Aftersun')).description).toContain('Nobody here has reviewed Aftersun (2022) yet.');
  });

  it('imports the same file again without changing anything: the same ratings at the same times', async () => {
    const bob = member(2);
    const before = await cardServerField('her-smell');
    const summary = await importFile(bob, 'export.zip', fixture('export.zip')).reply(30_000);
    expect(summary.content).toContain('Imported: 3 ratings, 2 reviews.');
    expect(await cardServerField('her-smell')).toBe(before);
    expect(await yourRating(bob, 'Aftersun')).toBe('You rated Aftersun 4½★.');
  });

  it('shows an imported review with the stars of the newer rating the member gave here', async () => {
    const dana = member(4);
    await slash(world.discord, 'rate', [str('film', 'Paddington 2'), { name: 'stars', type: 10, value: 2 }], { user: dana }).reply();
    const csv = new TextEncoder().encode('Date,Name,Year,Rating,Review\n2019-05-01,Paddington 2,2017,5,Marmalade and kindness in every frame.\n');
    const summary = await importFile(dana, 'reviews.csv', csv).reply(30_000);
    expect(summary.content).toContain('Imported: 0 ratings, 1 review.');
    expect(summary.content).toContain('Already newer here: 1 rating, 0 reviews');
    expect(await yourRating(dana, 'Paddington 2')).toBe('You rated Paddington 2 2★.');
    const fields = (await reviewsOf('Paddington 2')).fields as { name: string; value: string }[];
    const danas = fields.find((field) => field.value.includes('Marmalade and kindness'));
    expect(danas?.name).toBe('2★ · member4');
  });
});

describe('refusals', () => {
  const carol = member(3);
  const SIX_MB = 6 * 1024 * 1024;
  let cardBefore: string;
  let downloadsBefore: number;

  /** A valid Letterboxd ratings.csv of at least `bytes` bytes. */
  function bigRatings(bytes: number): Uint8Array {
    const rows = ['Date,Name,Year,Letterboxd URI,Rating', '2020-01-01,Her Smell,2018,https://boxd.it/hzGQ,1'];
    for (let i = 0; rows.length * 48 < bytes; i++) rows.push(`2020-01-01,Film number ${i},2020,https://boxd.it/${i},3`);
    return new TextEncoder().encode(`${rows.join('\n')}\n`);
  }

  async function refused(filename: string, bytes: Uint8Array, declaredSize?: number): Promise<StoredMessage> {
    const reply = await importFile(carol, filename, bytes, declaredSize).reply(30_000);
    expect(reply.ephemeral).toBe(true);
    expect(reply.content).toContain('Nothing was imported.');
    return reply;
  }

  beforeAll(async () => {
    await slash(world.discord, 'rate', [str('film', 'her-smell'), { name: 'stars', type: 10, value: 3 }], { user: carol }).reply();
    cardBefore = await cardServerField('her-smell');
    downloadsBefore = world.discord.attachmentDownloads().length;
  });

  it('refuses a 6 MB file by its declared size, without downloading it', async () => {
    const reply = await refused('ratings.csv', bigRatings(SIX_MB));
    expect(reply.content).toContain('larger than 5 MB');
    expect(world.discord.attachmentDownloads()).toHaveLength(downloadsBefore);
  });

  it('refuses a 6 MB file whose declared size lies, while downloading it', async () => {
    const reply = await refused('ratings.csv', bigRatings(SIX_MB), 1_000);
    expect(reply.content).toContain('larger than 5 MB');
    expect(world.discord.attachmentDownloads()).toHaveLength(downloadsBefore + 1);
  });

  it('refuses a corrupt zip (cut short) and bytes that are no zip at all', async () => {
    expect((await refused('export.zip', fixture('corrupt.zip'))).content).toContain('That .zip can’t be read');
    expect((await refused('export.zip', new TextEncoder().encode('not a zip at all, just text'))).content).toContain('That .zip can’t be read');
  });

  it('refuses a CSV with the wrong headers, naming what is missing', async () => {
    expect((await refused('watched.csv', fixture('watched.csv'))).content).toContain('**watched.csv** is not a Letterboxd export: its first line has no Rating column.');
    expect((await refused('scores.csv', new TextEncoder().encode('title,score\nAlien,5\n'))).content).toContain('has no Name, Year, Date or Rating column');
  });

  it('refuses a file that is neither a CSV nor a zip before downloading it', async () => {
    const reply = await importFile(carol, 'ratings.txt', fixture('ratings.csv')).response();
    expect(reply.type).toBe(4);
    expect(reply.data.content).toContain('is neither a .csv nor a .zip');
    expect(reply.data.flags & EPHEMERAL).toBe(EPHEMERAL);
  });

  it('refuses a zip bomb: 200 KB that inflate to 200 MB while its headers claim 1 KB', async () => {
    expect(fixture('bomb.zip').length).toBeLessThan(256 * 1024);
    expect((await refused('export.zip', fixture('bomb.zip'))).content).toContain('unpacks to more than 20 MB');
  });

  it('refuses a CSV of 100,000 rows (under 5 MB) within seconds', async () => {
    const rows = ['Date,Name,Year,Letterboxd URI,Rating'];
    for (let i = 0; i < 100_000; i++) rows.push(`2020-01-01,Film ${i},2020,https://boxd.it/${i},3`);
    const bytes = new TextEncoder().encode(`${rows.join('\n')}\n`);
    expect(bytes.length).toBeLessThan(5 * 1024 * 1024);
    const handle = importFile(carol, 'ratings.csv', bytes);
    const reply = await handle.reply(30_000);
    expect(reply.content).toContain('more than 20,000 rows');
    expect(Date.parse(reply.editedTimestamp ?? reply.timestamp) - handle.dispatchedAt).toBeLessThan(10_000);
  });

  it('changed nothing: the member’s ratings and the film card are as they were', async () => {
    expect(await yourRating(carol, 'her-smell')).toBe('You rated Her Smell 3★.');
    for (const film of ['Paddington 2', 'Aftersun', 'Past Lives']) expect(await yourRating(carol, film)).toMatch(/^You haven't rated/);
    expect(await cardServerField('her-smell')).toBe(cardBefore);
  });
});

describe('with TMDB configured', () => {
  let tmdb: TmdbStandin;
  let withTmdb: World;
  const dave = member(4);
  // Fight Club first, 58 films nobody has, then Pulp Fiction: one more than TMDB is asked about per import.
  const rows = ['Date,Name,Year,Letterboxd URI,Rating', '2024-01-01,Fight Club,1999,https://boxd.it/2a9q,4'];
  for (let i = 1; i <= 58; i++) rows.push(`2023-01-01,Nobody Filmed This ${i},2001,https://boxd.it/x${i},3`);
  rows.push('2022-01-01,Pulp Fiction,1994,https://boxd.it/2b1c,3.5');
  const csv = new TextEncoder().encode(`${rows.join('\n')}\n`);
  const searches = () => tmdb.requests.filter((request) => request.path === '/3/search/movie').length;

  beforeAll(async () => {
    tmdb = await startTmdbStandin({ films: STANDIN_FILMS });
    withTmdb = await startWorld({ env: { TMDB_TOKEN: tmdb.token, TMDB_API_URL: tmdb.url } });
  });
  afterAll(async () => {
    await withTmdb?.close();
    await tmdb?.close();
  });

  const importCsv = () => slash(withTmdb.discord, 'import', [{ name: 'letterboxd', type: SUBCOMMAND, options: [{ name: 'file', type: ATTACHMENT, attachment: { filename: 'ratings.csv', bytes: csv } }] }], { user: dave }).reply(60_000);

  it('matches films on TMDB by title and year, asking about at most 50 films an import', async () => {
    const summary = await importCsv();
    expect(summary.content).toContain('Imported: 1 rating, 0 reviews.');
    expect(summary.content).toContain('TMDB is asked about at most 50 films an import, so 10 more films were not looked up there.');
    expect(searches()).toBe(50);
    expect((await slash(withTmdb.discord, 'rate', [str('film', 'tmdb:550')], { user: dave }).reply()).content).toBe('You rated Fight Club 4★.');
  });

  it('asks TMDB about the next films when the same file is imported again, since cached answers do not count', async () => {
    const summary = await importCsv();
    expect(summary.content).toContain('Imported: 2 ratings, 0 reviews.');
    expect(summary.content).toContain('Not found: 58 films');
    expect(summary.content).not.toContain('not looked up');
    expect(searches()).toBe(60);
    expect((await slash(withTmdb.discord, 'rate', [str('film', 'tmdb:680')], { user: dave }).reply()).content).toBe('You rated Pulp Fiction 3½★.');
  });
});

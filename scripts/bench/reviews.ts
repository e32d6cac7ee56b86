// Issue 8's "Storage and scale": 2,000 member reviews of one film in one server, stored through the
// bot's own ReviewStore, and /reviews at its first page and its last (page 400) timed beside /help.
import { join } from 'node:path';
import type { DiscordStandin } from '../../harness/discord/standin';
import type { InteractionHandle, StandinGuild, StoredMessage } from '../../harness/discord/types';
import { member } from '../../harness/world';
import { FILMS_DIR, readFilmFile } from '../../src/data/load';
import { createLogger } from '../../src/log';
import { REVIEWS_PER_PAGE } from '../../src/replies/reviews';
import { keys } from '../../src/storage/keys';
import { openStorage } from '../../src/storage/keyv';
import { RecordStore } from '../../src/storage/records';
import { seededRandom } from '../../harness/random';
import { MAX_REVIEW_LENGTH } from '../../src/data/reviewLimits';
import { type Review, ReviewStore } from '../../src/storage/reviews';
import { actions, EXPECT, inFlight, type Shown } from './answers';
import { benchGuilds, type Cleanup, complaints, scratchDir, startRig } from './harness';
import { type Kind, type LatencyOptions, type LatencySamples, measureLatency } from './latency';
import { recordSize, type Size } from './storeSize';

const FILM = readFilmFile(join(FILMS_DIR, 'her-smell.json'));
const MINUTE_MS = 60_000;
/** The reviews were written this far apart, the newest a minute ago (2,000 of them over about 40 days). */
const APART_MS = 29 * MINUTE_MS;
const BUTTON = 2;
/** Reviewers are members 100,000 and up; the members sending the measured interactions are 2 to 51. */
const FIRST_REVIEWER = 100_000;
const MIN_TEXT = 100;

// ---------------------------------------------------------------------------------------------
// The reviews: what members of a film club write, 100 to 1,000 characters, some with markdown
// (bold, italics, strikethrough, code, quotes, lists, a stray `||`, an @everyone), a few spoilers.

const FIRST_NAMES = 'Ana Ben Chloé Dev Emeka Fran Gus Hana Ivo Jun Kasia Leo Maya Nadia Oskar Priya Quinn Rosa Sami Tomás Uma Vik Wren Xiu Yara Zeb Aiko Bruno Cleo Dani Elif Finn Greta Hugo Iris Jonas Kemi Lars Mira Noor'.split(' ');
const SURNAMES = 'Abara Berg Costa Diallo Eklund Fischer Garza Hale Ito Jensen Kowal Lind Moreau Novak Okafor Petrov Quint Rossi Silva Tanaka Urban Vidal Weiss Xu Young Zamora Adler Brandt Cruz Duarte Engel Flores Grant Holm Iqbal Juarez Klein Lopez Marsh Nakamura Ortiz Park Rahman Stone Torres Vance Walsh Yilmaz Ziegler Amaro'.split(' ');

const SENTENCES = [
  'Elisabeth Moss doesn’t so much play Becky Something as set fire to her and dare you to look away.',
  'The first hour is **exhausting** on purpose: five chapters, nearly all of them backstage, and the camera never lets you leave the room.',
  'Keegan DeWitt’s score hums under everything like a fluorescent tube about to fail.',
  'I went in expecting a rock biopic and got something much closer to a horror film about addiction.',
  'Agyness Deyn and Gayle Rankin are the real heart of it; watch their faces whenever Becky starts talking about the *spirits* again.',
  'If you only remember one scene it will be the piano one, and you should go in knowing nothing about it.',
  'I’m rating it lower than I want to because I never want to sit through chapter two again, which is probably the point.',
  '> I’m the one who is supposed to be falling apart here\nThat line has stayed with me all week.',
  'Dan Stevens gets maybe ten minutes and makes every one of them count.',
  'The Akergirls felt thin at first, ~~but maybe that’s the joke~~ and by the end I was sure that was the joke.',
  'It *looks* like it was left in a hot van for a month, in the best way.',
  'Our screening had three walkouts and one person who clapped at the end. I was the one clapping.',
  'It runs 135 minutes and you feel every one of them: 4/5 for the last act, 2/5 for the middle.',
  'Somebody in the chat called it `Whiplash` for punk, which is wrong, but I get it.',
  'Hot take: the original Something She songs are _fine_ at best, and the film knows it.',
  'Eric Stoltz as the long-suffering label boss is a quietly brilliant bit of casting.',
  'Virginia Madsen’s two scenes say more about where Becky came from than any flashback could have.',
  'Watch it with subtitles on: half the dialogue is shouted over amps.',
  'Alex Ross Perry writes people who are awful to each other in the most articulate way possible.',
  'It is a hard film to *like* and an easy one to admire.',
  'Top of the club season so far for me, sorry @everyone who voted for the heist movie.',
  'Not for everyone. Definitely for me.',
  'The long takes in the green room made me claustrophobic in my own living room.',
  'After all that chaos, the quiet chapter is shot so still that I noticed I was holding my breath.',
  'Cara Delevingne is barely in it, so don’t come for her.',
  'Special mention for the sound mix: the feedback whine in the first chapter is genuinely painful (affectionate).',
  'Would pair well with *Velvet Goldmine* and a long walk afterwards.',
  'Things I loved:\n- Moss\n- the score\n- the last song',
  '__Underlined__ for emphasis: this is not a comfortable watch, and it isn’t trying to be.',
  'I did not expect a film this loud to end up being about tenderness || and forgiveness, mostly.',
  'Rewatched it for the club and it got better, which almost never happens to me with a film this abrasive.',
  'Anyone else think the mirror shots were a bit much? Once is a choice, six times is a *habit*.',
  'The hair and make-up team deserve a whole paragraph of their own: Becky’s face tells you which chapter you are in before anyone speaks.',
  'Going to be thinking about the Ali and Marielle friendship for a while, the film is kinder to them than to anyone else.',
] as const;

const SPOILERS = [
  'When she finally sings to her daughter at the piano, every bit of the first hour suddenly pays off.',
  'The reunion show, where she walks off before the encore, is the only ending that could have worked.',
  'Danny taking the baby away is the turning point, and the film holds the shot just long enough to hurt.',
  'Marielle coming back for the last show got me more than anything Becky does.',
] as const;

const STARS: Review['stars'][] = [4, 3.5, 5, 4.5, 2.5, 4, 3, 5, 1.5, 4.5, 3.5, 2];

/** The same reviews on every run. */
const random = seededRandom;

/** The i-th review's text: sentences up to a length between 100 and 1,000 (most of them short), trimmed as the form stores it. */
export function reviewText(i: number, spoiler: boolean): string {
  const next = random(i + 1);
  // Most reviews are a few sentences; one in five runs long.
  const target = MIN_TEXT + Math.floor((next() < 0.2 ? next() : next() ** 2 * 0.5) * (MAX_REVIEW_LENGTH - MIN_TEXT));
  const separator = next() < 0.3 ? '\n\n' : ' ';
  const parts: string[] = spoiler ? [SPOILERS[i % SPOILERS.length]!] : [];
  for (let at = Math.floor(next() * SENTENCES.length); parts.join(separator).length < Math.max(MIN_TEXT, target); at += 7) {
    const sentence = SENTENCES[at % SENTENCES.length]!;
    if (parts.join(separator).length + separator.length + sentence.length > MAX_REVIEW_LENGTH) break;
    parts.push(sentence);
  }
  return parts.join(separator).trim();
}

/** The i-th newest review: written by a member of its own, APART_MS before the one after it. */
export function plannedReview(i: number, now: number): Omit<Review, 'createdAt'> {
  const spoiler = i % 25 === 7;
  return {
    userId: member(FIRST_REVIEWER + i).id,
    displayName: `${FIRST_NAMES[i % FIRST_NAMES.length]} ${SURNAMES[Math.floor(i / FIRST_NAMES.length) % SURNAMES.length]}`,
    stars: STARS[i % STARS.length]!,
    text: reviewText(i, spoiler),
    spoiler,
    at: now - MINUTE_MS - i * APART_MS,
  };
}

/**
 * Writes `count` reviews of the film in one server to a fresh store, as members submitting the
 * form store them, through the bot's own store classes. All but the newest go in 20 at a time
 * (the store batches them), the newest alone, so the index is left as one member's write leaves it.
 */
export async function seedReviews(storageUrl: string, guildId: string, count: number, now: number): Promise<void> {
  if (count > FIRST_NAMES.length * SURNAMES.length) throw new Error(`only ${FIRST_NAMES.length * SURNAMES.length} distinct reviewers' names`);
  const storage = await openStorage(storageUrl);
  try {
    // Warnings (a refused write) go to stderr with the bench's progress, not into its printed tables.
    const store = new ReviewStore(new RecordStore(storage.kv, createLogger('warn', [], process.stderr), { backend: storage.backend }));
    let next = count - 1;
    await inFlight(count - 1, 20, async () => void (await store.write(guildId, FILM.id, plannedReview(next--, now))));
    await store.write(guildId, FILM.id, plannedReview(0, now));
    await store.noteReviewed(guildId, FILM);
  } finally {
    await storage.close();
  }
}

// ---------------------------------------------------------------------------------------------
// The measured interactions

export type ReviewsKind = 'help' | 'first' | 'last' | 'second';

export interface ReviewsRun {
  reviews: number;
  pages: number;
  /** Filling the store before the spawn (not counted). */
  seedMs: number;
  /** The film's review index and the entries beside it, as stored. */
  size: Size | undefined;
  sizeError?: string;
  samples: Record<ReviewsKind, LatencySamples>;
  exitCode: number | null;
  complaints: string[];
}

const footerOf = (shown: Shown): unknown => shown.embeds?.[0]?.footer?.text;

/**
 * The page shows the right reviews: its footer says which page of how many, and its fields are
 * those five reviews, newest first (by their writers' names), so a wrong page is never a sample.
 */
function showsPage(page: number, count: number, now: number): (shown: Shown) => boolean {
  const pages = Math.ceil(count / REVIEWS_PER_PAGE);
  // As an English server reads it: the count with its thousands separator.
  const footer = `Page ${(page + 1).toLocaleString('en')} of ${pages.toLocaleString('en')} · ${count.toLocaleString('en')} reviews`;
  const names = Array.from({ length: Math.min(REVIEWS_PER_PAGE, count - page * REVIEWS_PER_PAGE) }, (_, k) => plannedReview(page * REVIEWS_PER_PAGE + k, now).displayName);
  return (shown) => {
    const fields: { name?: unknown }[] = shown.embeds?.[0]?.fields ?? [];
    return footerOf(shown) === footer && fields.length === names.length && fields.every((field, k) => String(field.name).endsWith(` · ${names[k]}`));
  };
}

/**
 * A bot on a store holding `count` reviews of her-smell in one server: /help, /reviews (page 1),
 * and the page buttons for the last page and page 2, pressed on a /reviews message, interleaved.
 */
export async function reviewsLatency(cleanup: Cleanup, count: number, options: LatencyOptions, progress: (text: string) => void): Promise<ReviewsRun> {
  const guild = benchGuilds(1)[0]!;
  const pages = Math.ceil(count / REVIEWS_PER_PAGE);
  const storageUrl = `sqlite://${join(scratchDir(cleanup, 'reelside-bench-'), 'bot.sqlite')}`;
  const now = Date.now();
  const seeded = { seedMs: NaN, size: undefined as Size | undefined, sizeError: undefined as string | undefined };
  const prepare = async () => {
    progress(`reviews: storing ${count} reviews of ${FILM.title} in one server`);
    const startedAt = performance.now();
    await seedReviews(storageUrl, guild.id, count, now);
    seeded.seedMs = performance.now() - startedAt;
    try {
      seeded.size = await recordSize(storageUrl, guild.id, keys.reviews(guild.id, FILM.id));
    } catch (error) {
      seeded.sizeError = error instanceof Error ? error.message : String(error);
    }
  };
  const rig = await startRig(cleanup, { guilds: [guild], storageUrl, prepare });
  let samples: Record<ReviewsKind, LatencySamples>;
  let exitCode: number | null;
  try {
    const first = await reviewsMessage(rig.discord, guild, showsPage(0, count, now));
    progress(`reviews: ${options.samples} samples of each interaction, ${options.concurrency} in flight`);
    samples = await measureLatency(kindsOf(rig.discord, guild, first, count, now), options);
  } finally {
    exitCode = await rig.close();
  }
  return { reviews: count, pages, seedMs: seeded.seedMs, size: seeded.size, ...(seeded.sizeError ? { sizeError: seeded.sizeError } : {}), samples, exitCode, complaints: complaints(rig.bot) };
}

const reviewsCommand = (discord: DiscordStandin, guild: StandinGuild, n: number): InteractionHandle =>
  discord.slash({ name: 'reviews', options: [{ name: 'film', type: 3, value: FILM.id }], guildId: guild.id, channelId: guild.channels[0]!.id, user: member(n) });

/** A /reviews message in the channel, whose page buttons the members then press; throws unless it shows page 1. */
async function reviewsMessage(discord: DiscordStandin, guild: StandinGuild, expect: (shown: Shown) => boolean): Promise<StoredMessage> {
  const message = await reviewsCommand(discord, guild, 1).reply();
  if (message.ephemeral || !expect(message)) throw new Error(`/reviews did not show page 1: ${JSON.stringify({ content: message.content, footer: footerOf(message) }).slice(0, 300)}`);
  return message;
}

function kindsOf(discord: DiscordStandin, guild: StandinGuild, message: StoredMessage, count: number, now: number): Record<ReviewsKind, Kind> {
  const act = actions(discord, guild);
  const pages = Math.ceil(count / REVIEWS_PER_PAGE);
  // As Previous and Next carry it (src/components/customId.ts): pages count from 0 there.
  const press = (page: number, n: number) =>
    discord.component({ customId: `reviews:${page}:${FILM.id}`, componentType: BUTTON, message, guildId: guild.id, channelId: guild.channels[0]!.id, user: member(n) });
  const [first, last, second] = [showsPage(0, count, now), showsPage(pages - 1, count, now), showsPage(1, count, now)];
  return {
    help: { send: (i) => act.help(2 + (i % 50)), expect: EXPECT.help },
    first: { send: (i) => reviewsCommand(discord, guild, 2 + (i % 50)), expect: first },
    last: { send: (i) => press(pages - 1, 2 + (i % 50)), expect: last },
    second: { send: (i) => press(1, 2 + (i % 50)), expect: second },
  };
}

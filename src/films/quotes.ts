// Quotes dealt like a deck, for /quote and the daily quote alike: a server (or, outside servers that
// added Reelside, a member) sees every quote of a film before any repeats. Critics' excerpts come
// from the bundled dataset; with member quotes on, a server's own reviews join the deck (never a
// spoiler, never a removed review).
import { type FilmCatalog, TitleIndex, type Titled } from '../data/catalog';
import { characterCount } from '../data/reviewLimits';
import type { Film, Review } from '../data/schema';
import type { QuoteDeck, QuoteRotation } from '../storage/quoteRotation';
import type { Review as MemberReview, ReviewStore } from '../storage/reviews';

/** A member's quote is at most this long, cut at a sentence's end. */
export const MEMBER_QUOTE_MAX = 300;

export type DrawnQuote =
  | { kind: 'critic'; film: Film; review: Review; excerpt: string }
  | { kind: 'member'; film: Pick<Titled, 'title' | 'year'>; review: MemberReview; excerpt: string };

export interface QuoteSources {
  quotes: QuoteRotation;
  catalog: FilmCatalog;
  reviews: ReviewStore;
}

export interface DrawOptions {
  /** Whose rotation: a server's, or one member's (in DMs and servers where Reelside is only user-installed). */
  deck: QuoteDeck;
  /** The server whose members' reviews may be quoted (none outside servers that added Reelside). */
  guildId: string | null;
  memberQuotes: boolean;
  random: () => number;
  /** A film to quote; any film with quotes when absent. */
  film?: Pick<Titled, 'id' | 'title' | 'year'> | undefined;
}

const quotable = new WeakMap<FilmCatalog, TitleIndex<Film>>();

/** Bundled films with at least one excerpt (only they have critics' words checked against their reviews), found once per catalog. */
export function quotableIndex(catalog: FilmCatalog): TitleIndex<Film> {
  let index = quotable.get(catalog);
  if (!index) quotable.set(catalog, (index = new TitleIndex(catalog.all().filter((film) => excerptKeys(film).length > 0))));
  return index;
}

export function quotableFilms(catalog: FilmCatalog): Film[] {
  return quotableIndex(catalog).all();
}

export function excerptKeys(film: Film): string[] {
  return film.reviews.flatMap((review) => review.excerpts.map((_, index) => `${review.id}#${index}`));
}

// A member's review enters the deck under a key naming its version, so an edited review is a new
// quote and a removed (or spoiler) one drops out of the deck (QuoteRotation keeps only known keys).
const memberKey = (userId: string, at: number) => `m:${userId}:${at}`;

/** The next quote of a film (or of any film with quotes), in the deck's rotation; undefined when there is none. */
export async function drawQuote(sources: QuoteSources, options: DrawOptions): Promise<DrawnQuote | undefined> {
  // A review changed between reading the index and reading it (edited, removed) spends its turn:
  // the next draw of the deck has the rest.
  for (let attempt = 0; attempt < 3; attempt++) {
    const drawn = await drawOnce(sources, options);
    if (drawn !== 'changed') return drawn;
  }
  return undefined;
}

async function drawOnce(sources: QuoteSources, options: DrawOptions): Promise<DrawnQuote | undefined | 'changed'> {
  for (const film of await candidates(sources, options)) {
    const bundled = sources.catalog.get(film.id);
    const critics = bundled ? excerptKeys(bundled) : [];
    const members = options.memberQuotes && options.guildId ? (await sources.reviews.index(options.guildId, film.id)).filter((item) => !item.spoiler).map((item) => memberKey(item.userId, item.at)) : [];
    const keys = [...critics, ...members];
    if (keys.length === 0) continue;
    const key = await sources.quotes.next(options.deck, film.id, keys);
    if (!key.startsWith('m:')) {
      const [reviewId, index] = key.split('#') as [string, string];
      const review = bundled!.reviews.find((candidate) => candidate.id === reviewId)!;
      return { kind: 'critic', film: bundled!, review, excerpt: review.excerpts[Number(index)]! };
    }
    const [, userId, at] = key.split(':') as [string, string, string];
    const review = await sources.reviews.of(options.guildId!, film.id, userId);
    // Changed since the index was read (edited, removed, marked a spoiler): nothing of it is shown.
    if (!review || review.spoiler || String(review.at) !== at) return 'changed';
    return { kind: 'member', film, review, excerpt: memberExcerpt(review.text) };
  }
  return undefined;
}

/** The film asked for, or every film with quotes in a random order (critics' films, then reviewed ones). */
async function candidates(sources: QuoteSources, options: DrawOptions): Promise<Pick<Titled, 'id' | 'title' | 'year'>[]> {
  if (options.film) return [options.film];
  const films: Pick<Titled, 'id' | 'title' | 'year'>[] = quotableFilms(sources.catalog);
  if (options.memberQuotes && options.guildId) {
    const reviewed = await sources.reviews.reviewedFilms(options.guildId);
    for (const [id, name] of Object.entries(reviewed)) if (!films.some((film) => film.id === id)) films.push({ id, ...name });
  }
  return shuffle(films, options.random);
}

function shuffle<T>(items: T[], random: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

/** Whole sentences from the start, as many as fit MEMBER_QUOTE_MAX; a first sentence too long is cut at a word. */
export function memberExcerpt(text: string): string {
  const sentences = [...new Intl.Segmenter('en', { granularity: 'sentence' }).segment(text.trim())].map((part) => part.segment);
  let excerpt = '';
  for (const sentence of sentences) {
    if (characterCount((excerpt + sentence).trimEnd()) > MEMBER_QUOTE_MAX) break;
    excerpt += sentence;
  }
  if (excerpt.trim() !== '') return excerpt.trim();
  // Cut between whole characters (an emoji is two UTF-16 units).
  const cut = [...text.trim()].slice(0, MEMBER_QUOTE_MAX - 1).join('');
  const space = cut.lastIndexOf(' ');
  return `${(space > cut.length / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

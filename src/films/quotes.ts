// Critics' excerpts dealt like a deck, for /quote and the daily quote alike: a server (or a DM)
// sees every excerpt of a film before any repeats.
import type { FilmCatalog } from '../data/catalog';
import type { Film, Review } from '../data/schema';
import type { QuoteRotation } from '../storage/quoteRotation';

export interface DrawnQuote {
  film: Film;
  review: Review;
  excerpt: string;
}

/** Bundled films with at least one excerpt: only they have critics' words checked against their reviews. */
export function quotableFilms(catalog: FilmCatalog): Film[] {
  return catalog.all().filter((film) => excerptKeys(film).length > 0);
}

export function excerptKeys(film: Film): string[] {
  return film.reviews.flatMap((review) => review.excerpts.map((_, index) => `${review.id}#${index}`));
}

/** The next excerpt of `film` (a random quotable film when absent) in `deck`'s rotation; undefined when there is none. */
export async function drawQuote(quotes: QuoteRotation, catalog: FilmCatalog, deck: string, random: () => number, film?: Film): Promise<DrawnQuote | undefined> {
  const quotable = quotableFilms(catalog);
  const chosen = film ?? quotable[Math.floor(random() * quotable.length)];
  const keys = chosen ? excerptKeys(chosen) : [];
  if (!chosen || keys.length === 0) return undefined;
  const key = await quotes.next(deck, chosen.id, keys);
  const [reviewId, index] = key.split('#') as [string, string];
  const review = chosen.reviews.find((candidate) => candidate.id === reviewId)!;
  return { film: chosen, review, excerpt: review.excerpts[Number(index)]! };
}

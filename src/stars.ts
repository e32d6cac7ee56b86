// Half-star ratings from ½★ to 5★: the one definition of what a rating may be and how it looks.
import * as z from 'zod';

export const STAR_VALUES = [0.5, 1, 1.5, 2, 2.5, 3, 3.5, 4, 4.5, 5] as const;

export const starsSchema = z.number().refine((value) => STAR_VALUES.includes(value as (typeof STAR_VALUES)[number]), {
  message: 'a rating is 0.5 to 5 in half steps',
});

export function isStarValue(value: number): boolean {
  return starsSchema.safeParse(value).success;
}

/** The text a poll menu option carries for a rating: "4.5". */
export const starOptionValue = (stars: number): string => String(stars);

/** The rating a menu option's value stands for, or undefined for any text the menu never offers. */
export function parseStarOption(value: string): number | undefined {
  return STAR_VALUES.find((stars) => starOptionValue(stars) === value);
}

const FRACTION_GLYPHS = new Map([
  [0.25, '¼'],
  [0.5, '½'],
  [0.75, '¾'],
]);

/** Stars as a number of them: 4.5 → "4½★", 0.5 → "½★", 0 → "0★", 3.75 → "3¾★", 3.3 → "3.3★". */
export function formatStars(value: number): string {
  const whole = Math.floor(value);
  const fraction = value - whole;
  if (fraction === 0) return `${whole}★`;
  const glyph = FRACTION_GLYPHS.get(fraction);
  if (glyph) return `${whole === 0 ? '' : whole}${glyph}★`;
  return `${Number(value.toFixed(1))}★`;
}

/** A critic's rating as the dataset gives it: `stars` out of `outOf`. */
export interface CriticRating {
  stars: number;
  outOf: number;
}

/** The five-star equivalent of a critic's rating (3 of 4 is 3.75), or undefined when it is off its own scale. */
export function criticStars({ stars, outOf }: CriticRating): number | undefined {
  if (!Number.isFinite(stars) || !Number.isFinite(outOf) || outOf <= 0 || stars < 0 || stars > outOf) return undefined;
  return (stars / outOf) * 5;
}

/**
 * What a critic gave, never rounded into something they did not give: "3¾★", or with
 * `withScale` "3¾★ (3/4)". A rating off its own scale is shown only as given ("7/5").
 */
export function formatCriticRating(rating: CriticRating, { withScale = false } = {}): string {
  const given = `${rating.stars}/${rating.outOf}`;
  const stars = criticStars(rating);
  if (stars === undefined) return given;
  return withScale ? `${formatStars(stars)} (${given})` : formatStars(stars);
}

/** A row of glyphs for an average: 3.7 → "★★★½☆" (rounded to the nearest half). */
export function starBar(value: number): string {
  const halves = Math.round(value * 2);
  const full = Math.floor(halves / 2);
  const half = halves % 2;
  return '★'.repeat(full) + (half ? '½' : '') + '☆'.repeat(5 - full - half);
}

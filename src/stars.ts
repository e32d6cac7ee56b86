// Half-star ratings from ½★ to 5★: the one definition of what a rating may be and how it looks.
import { z } from 'zod';

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

/** 4.5 → "4½★"; 0.5 → "½★". */
export function formatStars(value: number): string {
  const whole = Math.floor(value);
  const half = value - whole >= 0.5 ? '½' : '';
  return `${whole > 0 ? whole : ''}${half}★`;
}

/** A row of glyphs for an average: 3.7 → "★★★½☆" (rounded to the nearest half). */
export function starBar(value: number): string {
  const halves = Math.round(value * 2);
  const full = Math.floor(halves / 2);
  const half = halves % 2;
  return '★'.repeat(full) + (half ? '½' : '') + '☆'.repeat(5 - full - half);
}

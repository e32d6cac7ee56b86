// What members and critics' ratings look like: exact, never rounded into something nobody gave.
import { describe, expect, it } from 'vitest';
import { reviewRatingSchema } from '../../src/data/schema';
import { criticStars, formatCriticRating, formatStars, starBar } from '../../src/stars';

describe('formatStars', () => {
  it('shows every half-star rating a member can give', () => {
    expect([0.5, 1, 1.5, 2, 2.5, 3, 3.5, 4, 4.5, 5].map(formatStars)).toEqual(['½★', '1★', '1½★', '2★', '2½★', '3★', '3½★', '4★', '4½★', '5★']);
  });

  it('shows zero stars as 0★, not as one star', () => {
    expect(formatStars(0)).toBe('0★');
  });

  it('shows quarters with their own glyphs and other fractions as decimals', () => {
    expect(formatStars(3.75)).toBe('3¾★');
    expect(formatStars(0.25)).toBe('¼★');
    expect(formatStars(10 / 3)).toBe('3.3★');
  });
});

describe('critics’ ratings', () => {
  it('converts a critic’s scale to stars exactly: 3 of 4 is 3.75 of 5, not 3½', () => {
    expect(criticStars({ stars: 3, outOf: 4 })).toBe(3.75);
    expect(formatCriticRating({ stars: 3, outOf: 4 })).toBe('3¾★');
    expect(formatCriticRating({ stars: 3, outOf: 4 }, { withScale: true })).toBe('3¾★ (3/4)');
    expect(formatCriticRating({ stars: 7, outOf: 10 }, { withScale: true })).toBe('3½★ (7/10)');
    expect(formatCriticRating({ stars: 4.5, outOf: 5 }, { withScale: true })).toBe('4½★ (4.5/5)');
  });

  it('shows a zero as zero', () => {
    expect(formatCriticRating({ stars: 0, outOf: 4 }, { withScale: true })).toBe('0★ (0/4)');
  });

  it('shows a rating off its own scale only as given, never as made-up stars', () => {
    expect(criticStars({ stars: 7, outOf: 5 })).toBeUndefined();
    expect(formatCriticRating({ stars: 7, outOf: 5 }, { withScale: true })).toBe('7/5');
    expect(formatCriticRating({ stars: -1, outOf: 4 })).toBe('-1/4');
    expect(formatCriticRating({ stars: 3, outOf: 0 })).toBe('3/0');
  });

  it('takes no letter grades or off-scale ratings into the dataset', () => {
    expect(reviewRatingSchema.safeParse({ stars: 'B+', outOf: 4 }).success).toBe(false);
    expect(reviewRatingSchema.safeParse({ stars: 5, outOf: 4 }).success).toBe(false);
    expect(reviewRatingSchema.safeParse({ stars: -1, outOf: 4 }).success).toBe(false);
    expect(reviewRatingSchema.safeParse({ stars: 3, outOf: 4 }).success).toBe(true);
  });
});

describe('starBar', () => {
  it('rounds an average to the nearest half star', () => {
    expect(starBar(3.7)).toBe('★★★½☆');
    expect(starBar(0)).toBe('☆☆☆☆☆');
    expect(starBar(5)).toBe('★★★★★');
  });
});

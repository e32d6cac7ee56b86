// Zod schema for one bundled film data file (src/data/films/*.json) and the Film type derived from it.
import * as z from 'zod';

/** Discord caps embed titles at 256 characters; staying under 200 leaves room for " (year)" and decoration. */
export const MAX_TITLE_LENGTH = 199;
/** Excerpts are shown in an embed description (4096 max); 1000 keeps room for the attribution line. */
export const MAX_EXCERPT_LENGTH = 1000;
/** Logline and synopsis must fit in an embed field value (1024 max). */
export const MAX_BLURB_LENGTH = 1024;
export const MIN_EXCERPTS_PER_REVIEW = 6;

const SLUG = /^[a-z0-9]+(-[a-z0-9]+)*$/;

const slug = z.string().regex(SLUG, 'must be a lowercase slug like "her-smell"');
/** Free text that must not be blank or carry stray surrounding whitespace. */
const text = z
  .string()
  .min(1)
  .refine((s) => s.trim() === s, 'must not start or end with whitespace');
const names = z.array(text);

export const castMemberSchema = z.strictObject({
  name: text,
  /** Character name, only when a source states it. */
  role: text.optional(),
  /** Short clarification, e.g. "Becky's ex-husband". */
  note: text.optional(),
});

export const crewSchema = z.strictObject({
  composer: names.min(1).optional(),
  cinematographer: names.min(1).optional(),
  editor: names.min(1).optional(),
});

export const reviewRatingSchema = z
  .strictObject({
    stars: z.number().min(0),
    outOf: z.number().int().positive(),
  })
  .refine((r) => r.stars <= r.outOf, { message: 'stars must not exceed outOf', path: ['stars'] });

/**
 * A critic's review. `text` is the review body only, copied verbatim from the source
 * (no leading credits/loglines/epigraphs, no signature or rating line), so excerpts can be
 * checked against it. A review is either signed (`author` set, `unsigned: false`) or
 * explicitly unsigned (`unsigned: true`, no author or outlet) - never silently anonymous.
 */
export const reviewSchema = z
  .strictObject({
    id: slug,
    author: text.optional(),
    outlet: text.optional(),
    unsigned: z.boolean(),
    rating: reviewRatingSchema.optional(),
    text: text,
    excerpts: z
      .array(text.max(MAX_EXCERPT_LENGTH))
      .min(MIN_EXCERPTS_PER_REVIEW, `a review needs at least ${MIN_EXCERPTS_PER_REVIEW} excerpts`),
  })
  .superRefine((review, ctx) => {
    if (review.unsigned) {
      if (review.author !== undefined || review.outlet !== undefined) {
        ctx.addIssue({
          code: 'custom',
          message: 'an unsigned review must not name an author or outlet',
          path: ['unsigned'],
        });
      }
    } else if (review.author === undefined) {
      ctx.addIssue({
        code: 'custom',
        message: 'a review needs an author, or "unsigned": true when none is known',
        path: ['author'],
      });
    }

    // The schema itself guarantees quotes are verbatim: the bot never shows words a critic didn't write.
    const seen = new Set<string>();
    review.excerpts.forEach((excerpt, index) => {
      if (!review.text.includes(excerpt)) {
        ctx.addIssue({
          code: 'custom',
          message: 'excerpt is not a verbatim substring of the review text',
          path: ['excerpts', index],
        });
      }
      if (seen.has(excerpt)) {
        ctx.addIssue({ code: 'custom', message: 'duplicate excerpt', path: ['excerpts', index] });
      }
      seen.add(excerpt);
    });
  });

export const filmSchema = z
  .strictObject({
    id: slug,
    title: text.max(MAX_TITLE_LENGTH),
    year: z.number().int().min(1870).max(2100),
    runtimeMinutes: z.number().int().positive(),
    directors: names.min(1),
    writers: names,
    /** In billing order. */
    cast: z.array(castMemberSchema),
    crew: crewSchema,
    logline: text.max(MAX_BLURB_LENGTH),
    /** Neutral summary assembled from sourced facts, not a critic's words. */
    synopsis: text.max(MAX_BLURB_LENGTH),
    /** US certificate, e.g. "R". */
    rating: text.optional(),
    /** Production/format notes, e.g. "Shot on 35mm". */
    format: names.optional(),
    /** e.g. "Festival premiere 2018; wide US release 2019." */
    releaseNote: text.optional(),
    /** Omitted when unknown, so "no captions" is never claimed by accident. */
    accessibility: z.strictObject({ closedCaptions: z.boolean() }).optional(),
    /**
     * The film's words in the bot's other languages, each optional: a missing one falls back to
     * English. A title only where the film was released under one. Critics' excerpts are
     * quotations and are never translated.
     */
    translations: z.partialRecord(z.enum(['fr', 'de', 'es-ES', 'pt-BR', 'ja']), z.strictObject({ title: text.max(MAX_TITLE_LENGTH).optional(), logline: text.max(MAX_BLURB_LENGTH).optional(), synopsis: text.max(MAX_BLURB_LENGTH).optional() })).optional(),
    reviews: z.array(reviewSchema),
  })
  .superRefine((film, ctx) => {
    const ids = new Set<string>();
    film.reviews.forEach((review, index) => {
      if (ids.has(review.id)) {
        ctx.addIssue({
          code: 'custom',
          message: `duplicate review id "${review.id}"`,
          path: ['reviews', index, 'id'],
        });
      }
      ids.add(review.id);
    });
  });

export type Film = z.infer<typeof filmSchema>;
export type Review = z.infer<typeof reviewSchema>;
export type CastMember = z.infer<typeof castMemberSchema>;

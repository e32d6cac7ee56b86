// Zod schemas for the parts of TMDB v3 answers the client reads: search/movie and movie/{id} with credits.
// Objects are z.object, which ignores fields not listed, so TMDB adding fields never breaks us; the
// fields listed are checked strictly, with null allowed exactly where TMDB sends null.
import * as z from 'zod';

const tmdbId = z.number().int().positive();
/** "1999-10-15"; TMDB sends "" (and some search results omit it) when the date is unknown. */
const releaseDate = z.string().nullish();

export const searchResultSchema = z.object({
  id: tmdbId,
  title: z.string().min(1),
  original_title: z.string(),
  release_date: releaseDate,
});

/** GET /3/search/movie: one page of results (20 at most). */
export const searchResponseSchema = z.object({
  results: z.array(searchResultSchema),
});

export const castCreditSchema = z.object({
  name: z.string().min(1),
  /** "" when TMDB does not know the role; null in a few old records. */
  character: z.string().nullish(),
  /** Billing position, 0 first. */
  order: z.number().int().nonnegative(),
});

export const crewCreditSchema = z.object({
  name: z.string().min(1),
  job: z.string(),
});

export const genreSchema = z.object({
  id: z.number().int(),
  name: z.string().min(1),
});

/** GET /3/movie/{id}?append_to_response=credits. */
export const movieDetailsSchema = z.object({
  id: tmdbId,
  title: z.string().min(1),
  original_title: z.string(),
  release_date: releaseDate,
  /** Minutes; null or 0 when TMDB does not know it. */
  runtime: z.number().int().nonnegative().nullable(),
  overview: z.string().nullable(),
  genres: z.array(genreSchema),
  vote_average: z.number().min(0).max(10),
  vote_count: z.number().int().nonnegative(),
  credits: z.object({
    cast: z.array(castCreditSchema),
    crew: z.array(crewCreditSchema),
  }),
});

/** TMDB's error body on 4xx/5xx, read only for its status_code (e.g. 7: invalid API key). */
export const errorBodySchema = z.object({
  status_code: z.number().int(),
});

export type SearchResponse = z.infer<typeof searchResponseSchema>;
export type SearchResultJson = z.infer<typeof searchResultSchema>;
export type MovieDetailsJson = z.infer<typeof movieDetailsSchema>;

/** "credits.cast[0].character: Invalid input: expected string, received number": where and what, never the value. */
export function describeIssues(error: z.ZodError, max = 5): string[] {
  const lines = error.issues.slice(0, max).map((issue) => `${formatPath(issue.path)}: ${issue.message}`);
  if (error.issues.length > max) lines.push(`…and ${error.issues.length - max} more`);
  return lines;
}

function formatPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(body)';
  return path.reduce<string>((text, key) => (typeof key === 'number' ? `${text}[${key}]` : text === '' ? String(key) : `${text}.${String(key)}`), '');
}

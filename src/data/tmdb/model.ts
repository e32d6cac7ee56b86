// What the bot keeps of a TMDB answer: plain, typed search results and film cards, with TMDB's
// "unknown" encodings ("" dates, 0 runtimes, blank roles) turned into absent fields.
import type { MovieDetailsJson, SearchResultJson } from './schemas';

/** A film card shows the top-billed cast only; TMDB lists everyone down to the extras. */
export const TOP_BILLED_CAST = 10;

export interface TmdbSearchResult {
  tmdbId: number;
  title: string;
  /** The title in the film's own language (equal to `title` for most English-language films). */
  originalTitle: string;
  year?: number;
}

export interface TmdbCastMember {
  name: string;
  /** Character name, when TMDB has one. */
  role?: string;
}

export interface TmdbMovieCard {
  tmdbId: number;
  title: string;
  originalTitle: string;
  year?: number;
  runtimeMinutes?: number;
  /** Crew credited with the job "Director", in TMDB's order, without repeats. */
  directors: string[];
  /** The first TOP_BILLED_CAST by billing order. */
  cast: TmdbCastMember[];
  /** TMDB's overview. */
  synopsis?: string;
  genres: string[];
  /** TMDB users' average, 0 to 10 (0 with no votes). */
  voteAverage: number;
  voteCount: number;
}

/** The year of a "YYYY-MM-DD" date; undefined for "" or anything else. */
export function yearOf(date: string | null | undefined): number | undefined {
  const match = /^(\d{4})-\d{2}-\d{2}$/.exec(date ?? '');
  return match ? Number(match[1]) : undefined;
}

function present(text: string | null | undefined): string | undefined {
  const trimmed = text?.trim();
  return trimmed ? trimmed : undefined;
}

export function toSearchResult(json: SearchResultJson): TmdbSearchResult {
  const year = yearOf(json.release_date);
  return { tmdbId: json.id, title: json.title.trim(), originalTitle: json.original_title.trim(), ...(year === undefined ? {} : { year }) };
}

export function toMovieCard(json: MovieDetailsJson): TmdbMovieCard {
  const year = yearOf(json.release_date);
  const synopsis = present(json.overview);
  const directors = [...new Set(json.credits.crew.filter((credit) => credit.job === 'Director').map((credit) => credit.name.trim()))];
  // toSorted is stable, so credits sharing an order keep TMDB's sequence.
  const cast = json.credits.cast
    .toSorted((a, b) => a.order - b.order)
    .slice(0, TOP_BILLED_CAST)
    .map((credit): TmdbCastMember => {
      const role = present(credit.character);
      return { name: credit.name.trim(), ...(role === undefined ? {} : { role }) };
    });
  return {
    tmdbId: json.id,
    title: json.title.trim(),
    originalTitle: json.original_title.trim(),
    ...(year === undefined ? {} : { year }),
    // 0 is TMDB's "unknown", not a zero-minute film.
    ...(json.runtime ? { runtimeMinutes: json.runtime } : {}),
    directors,
    cast,
    ...(synopsis === undefined ? {} : { synopsis }),
    genres: json.genres.map((genre) => genre.name),
    voteAverage: json.vote_average,
    voteCount: json.vote_count,
  };
}

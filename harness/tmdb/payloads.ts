// Builders for TMDB v3 JSON: search results, movie details (+ credits) and error bodies, in TMDB's shapes.
import { createHash } from 'node:crypto';
import type { StandinCredit, StandinFilm } from './films';

export type JsonObject = Record<string, unknown>;

/** TMDB's movie genre ids (GET /3/genre/movie/list). */
export const GENRE_IDS: Readonly<Record<string, number>> = {
  Action: 28,
  Adventure: 12,
  Animation: 16,
  Comedy: 35,
  Crime: 80,
  Documentary: 99,
  Drama: 18,
  Family: 10751,
  Fantasy: 14,
  History: 36,
  Horror: 27,
  Music: 10402,
  Mystery: 9648,
  Romance: 10749,
  'Science Fiction': 878,
  'TV Movie': 10770,
  Thriller: 53,
  War: 10752,
  Western: 37,
};

/** TMDB's error bodies (developer.themoviedb.org/docs/errors), by the HTTP status the stand-in answers with. */
const ERROR_BODIES: Record<number, { status_code: number; status_message: string }> = {
  401: { status_code: 7, status_message: 'Invalid API key: You must be granted a valid key.' },
  404: { status_code: 34, status_message: 'The resource you requested could not be found.' },
  429: { status_code: 25, status_message: 'Your request count (#) is over the allowed limit of (40).' },
  500: { status_code: 11, status_message: 'Internal error: Something went wrong, contact TMDB.' },
  502: { status_code: 43, status_message: "Couldn't connect to the backend server." },
  503: { status_code: 9, status_message: 'Service offline: This service is temporarily offline, try again later.' },
  504: { status_code: 24, status_message: 'Your request to the backend server timed out. Try again.' },
};

export function errorBody(status: number): JsonObject {
  return { success: false, ...(ERROR_BODIES[status] ?? { status_code: 15, status_message: 'Failed.' }) };
}

function genreId(name: string): number {
  const id = GENRE_IDS[name];
  if (id === undefined) throw new Error(`The TMDB stand-in knows no genre "${name}"`);
  return id;
}

/** Stable fake ids for people and credits, so repeated answers are identical. */
function digest(text: string): string {
  return createHash('sha1').update(text).digest('hex');
}
const personId = (name: string) => (Number.parseInt(digest(name).slice(0, 7), 16) % 9_000_000) + 1_000_000;
const creditId = (filmId: number, name: string, job: string) => digest(`${filmId}/${name}/${job}`).slice(0, 24);

const originalTitle = (film: StandinFilm) => film.originalTitle ?? film.title;

/** One entry of GET /3/search/movie's `results`. */
export function searchResultJson(film: StandinFilm): JsonObject {
  return {
    adult: false,
    backdrop_path: null,
    genre_ids: film.genres.map(genreId),
    id: film.id,
    original_language: film.originalLanguage ?? 'en',
    original_title: originalTitle(film),
    overview: film.overview,
    popularity: film.voteCount / 1000,
    poster_path: null,
    release_date: film.releaseDate,
    title: film.title,
    video: false,
    vote_average: film.voteAverage,
    vote_count: film.voteCount,
  };
}

export function searchPageJson(films: StandinFilm[]): JsonObject {
  return { page: 1, results: films.map(searchResultJson), total_pages: films.length > 0 ? 1 : 0, total_results: films.length };
}

function person(name: string, department: string): JsonObject {
  return { adult: false, gender: 0, id: personId(name), known_for_department: department, name, original_name: name, popularity: 1, profile_path: null };
}

function castJson(film: StandinFilm, credit: StandinCredit, order: number): JsonObject {
  return { ...person(credit.name, 'Acting'), cast_id: order + 1, character: credit.character, credit_id: creditId(film.id, credit.name, 'Actor'), order };
}

function crewJson(film: StandinFilm, name: string, department: string, job: string): JsonObject {
  return { ...person(name, department), credit_id: creditId(film.id, name, job), department, job };
}

/** GET /3/movie/{id}; `credits` only when append_to_response asked for it, as on TMDB. */
export function movieDetailsJson(film: StandinFilm, withCredits: boolean): JsonObject {
  const details: JsonObject = {
    adult: false,
    backdrop_path: null,
    belongs_to_collection: null,
    budget: 0,
    genres: film.genres.map((name) => ({ id: genreId(name), name })),
    homepage: '',
    id: film.id,
    imdb_id: null,
    origin_country: [],
    original_language: film.originalLanguage ?? 'en',
    original_title: originalTitle(film),
    overview: film.overview,
    popularity: film.voteCount / 1000,
    poster_path: null,
    production_companies: [],
    production_countries: [],
    release_date: film.releaseDate,
    revenue: 0,
    runtime: film.runtime,
    spoken_languages: [],
    status: film.releaseDate ? 'Released' : 'In Production',
    tagline: '',
    title: film.title,
    video: false,
    vote_average: film.voteAverage,
    vote_count: film.voteCount,
  };
  if (!withCredits) return details;
  const crew = [
    ...film.directors.map((name) => crewJson(film, name, 'Directing', 'Director')),
    ...(film.writers ?? []).map((name) => crewJson(film, name, 'Writing', 'Screenplay')),
  ];
  return { ...details, credits: { cast: film.cast.map((credit, order) => castJson(film, credit, order)), crew } };
}

/** A 2xx body with fields of the wrong type (still valid JSON), as a changed or broken TMDB might send. */
export function malformFields(body: JsonObject): JsonObject {
  const copy = structuredClone(body);
  if (Array.isArray(copy.results)) {
    const first = copy.results[0] as JsonObject | undefined;
    if (first) first.id = String(first.id);
    else copy.results = 'none';
    return copy;
  }
  copy.runtime = `${String(copy.runtime)} minutes`;
  copy.vote_average = 'high';
  const credits = copy.credits as { cast?: JsonObject[] } | undefined;
  const lead = credits?.cast?.[0];
  if (lead) lead.character = 42;
  return copy;
}

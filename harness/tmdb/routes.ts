// What the TMDB stand-in answers to one request: token check, /3/search/movie and /3/movie/{id}, TMDB's 401/404 bodies.
import type { StandinFilm } from './films';
import { type JsonObject, errorBody, movieDetailsJson, searchPageJson } from './payloads';

export interface Answer {
  status: number;
  body: JsonObject;
}

/** TMDB answers 20 results a page. */
const PAGE_SIZE = 20;

/** Lowercase, accents off, punctuation as spaces: "Amélie" and "amelie" match, as on TMDB. */
function normalize(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/**
 * Films whose title or original title has a word starting with each query word. Ranked as TMDB
 * roughly does: exact title, then titles starting with the query, then the rest; more votes first
 * within each group.
 */
export function searchFilms(films: readonly StandinFilm[], query: string): StandinFilm[] {
  const q = normalize(query);
  if (q === '') return [];
  const words = q.split(' ');
  const rank = (film: StandinFilm): number => {
    const titles = [film.title, film.originalTitle ?? film.title].map(normalize);
    const titleWords = titles.flatMap((title) => title.split(' '));
    if (!words.every((word) => titleWords.some((candidate) => candidate.startsWith(word)))) return -1;
    if (titles.includes(q)) return 0;
    return titles.some((title) => title.startsWith(q)) ? 1 : 2;
  };
  return films
    .map((film) => ({ film, rank: rank(film) }))
    .filter(({ rank }) => rank >= 0)
    .sort((a, b) => a.rank - b.rank || b.film.voteCount - a.film.voteCount)
    .slice(0, PAGE_SIZE)
    .map(({ film }) => film);
}

export function route(method: string, url: URL, authorization: string | undefined, token: string, films: readonly StandinFilm[]): Answer {
  // TMDB also takes ?api_key=; the stand-in does not, so a client that puts its key in URLs fails here.
  if (authorization !== `Bearer ${token}`) return { status: 401, body: errorBody(401) };
  if (method !== 'GET') return { status: 404, body: errorBody(404) };

  if (url.pathname === '/3/search/movie') {
    return { status: 200, body: searchPageJson(searchFilms(films, url.searchParams.get('query') ?? '')) };
  }
  const details = /^\/3\/movie\/(\d+)$/.exec(url.pathname);
  if (details) {
    const film = films.find((candidate) => candidate.id === Number(details[1]));
    if (!film) return { status: 404, body: errorBody(404) };
    const appended = (url.searchParams.get('append_to_response') ?? '').split(',').map((part) => part.trim());
    return { status: 200, body: movieDetailsJson(film, appended.includes('credits')) };
  }
  return { status: 404, body: errorBody(404) };
}

// Finds the films of an import among the films Reelside knows, by title and year: the bundled
// dataset, then this server's films (hidden ones too), then TMDB within the bounds of limits.ts.
import { normalizeTitle } from '../data/normalize';
import { TmdbError } from '../data/tmdb/errors';
import type { Films } from '../films/films';
import type { FilmName } from '../films/model';
import { MAX_TMDB_LOOKUPS, TMDB_LOOKUP_BUDGET_MS, TMDB_LOOKUPS_AT_ONCE } from './limits';

/** A film as Letterboxd names it. */
export interface LetterboxdFilm {
  name: string;
  year?: number;
}

export interface Matching {
  /** By filmKey. */
  found: Map<string, FilmName>;
  notFound: LetterboxdFilm[];
  tmdb: {
    /** Requests made to TMDB (cached answers are not requests). */
    asked: number;
    /** Films TMDB was not asked about: the lookups or their time ran out, or TMDB failed. */
    notAsked: number;
    unavailable: boolean;
  };
}

export interface MatchLimits {
  lookups: number;
  lookupsAtOnce: number;
  budgetMs: number;
}

const DEFAULT_LIMITS: MatchLimits = { lookups: MAX_TMDB_LOOKUPS, lookupsAtOnce: TMDB_LOOKUPS_AT_ONCE, budgetMs: TMDB_LOOKUP_BUDGET_MS };

/** Title and year folded as titles are compared everywhere ("Déjà Vu" is "deja vu"). */
export const filmKey = ({ name, year }: LetterboxdFilm): string => `${normalizeTitle(name)}|${year ?? ''}`;

/** `wanted` in the order the member's files list them: TMDB is asked about the first ones. */
export async function matchFilms(films: Films, guildId: string, wanted: LetterboxdFilm[], limits: MatchLimits = DEFAULT_LIMITS): Promise<Matching> {
  const known = [...films.catalog.all(), ...(await films.serverIndex(guildId)).all()];
  const byKey = new Map<string, FilmName>();
  const byTitle = new Map<string, FilmName[]>();
  for (const film of known) {
    const name = { id: film.id, title: film.title, year: film.year };
    // A bundled film comes first and wins over a server film of the same title and year.
    const key = filmKey({ name: film.title, year: film.year });
    if (!byKey.has(key)) byKey.set(key, name);
    const title = normalizeTitle(film.title);
    byTitle.set(title, [...(byTitle.get(title) ?? []), name]);
  }

  const found = new Map<string, FilmName>();
  const unknown: LetterboxdFilm[] = [];
  for (const film of wanted) {
    const key = filmKey(film);
    // Without a year, a title names a film only when one film has it.
    const sameTitle = film.year === undefined ? byTitle.get(normalizeTitle(film.name)) : undefined;
    const match = byKey.get(key) ?? (sameTitle?.length === 1 ? sameTitle[0] : undefined);
    if (match) found.set(key, match);
    else unknown.push(film);
  }
  const tmdb = { asked: 0, notAsked: 0, unavailable: false };
  if (films.hasTmdb) await lookUpOnTmdb(films, unknown.filter((film) => film.year !== undefined), found, tmdb, limits);
  return { found, notFound: unknown.filter((film) => !found.has(filmKey(film))), tmdb };
}

async function lookUpOnTmdb(films: Films, candidates: LetterboxdFilm[], found: Map<string, FilmName>, tally: Matching['tmdb'], limits: MatchLimits): Promise<void> {
  const deadline = Date.now() + limits.budgetMs;
  let next = 0;
  const worker = async () => {
    while (next < candidates.length) {
      const film = candidates[next++]!;
      if (tally.unavailable || Date.now() > deadline) {
        tally.notAsked += 1;
        continue;
      }
      try {
        let match = await films.tmdbMatch(film.name, film.year!, { ask: false });
        if (match === 'unasked') {
          if (tally.asked >= limits.lookups) {
            tally.notAsked += 1;
            continue;
          }
          tally.asked += 1;
          match = await films.tmdbMatch(film.name, film.year!, { ask: true });
        }
        if (match && match !== 'unasked') found.set(filmKey(film), match);
      } catch (error) {
        if (!(error instanceof TmdbError)) throw error;
        // TMDB is down or refusing: the rest would fail the same way, each after a timeout.
        tally.unavailable = true;
        tally.notAsked += 1;
      }
    }
  };
  await Promise.all(Array.from({ length: limits.lookupsAtOnce }, worker));
}

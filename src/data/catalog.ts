// Title lookup for any list of films: resolves user input, ranks autocomplete suggestions and
// finds "did you mean" titles. The bundled catalog is one; each server's own films are another.
import { FILMS_DIR, readFilmDirectory } from './load';
import { capQuery, normalizeTitle, trigrams, trigramSimilarity } from './normalize';
import type { Film } from './schema';

export { normalizeTitle } from './normalize';

/** Discord autocomplete shows at most 25 choices. */
export const MAX_SEARCH_RESULTS = 25;

/** What a title index needs of a film: an id, a title and (when known) a year. */
export interface Titled {
  id: string;
  title: string;
  year?: number | undefined;
}

/** "Her Smell (2018)": how a film is named in choices and messages, unambiguous across remakes. */
export function filmLabel(film: Pick<Titled, 'title' | 'year'>): string {
  return film.year === undefined ? film.title : `${film.title} (${film.year})`;
}

/** Per-film values derived once, so each query only compares strings. */
interface Entry<F extends Titled> {
  film: F;
  title: string;
  /** Normalized label ("her smell 2018"): lets a pasted label match, and starts with the title. */
  label: string;
  /** Normalized titles the film also goes by (its release titles in other languages). */
  aliases: string[];
  grams: Set<string>;
}

function byTitle(a: Entry<Titled>, b: Entry<Titled>): number {
  return a.title.localeCompare(b.title, 'en') || (a.film.year ?? 0) - (b.film.year ?? 0) || a.film.id.localeCompare(b.film.id, 'en');
}

/** Clamp a caller-supplied count into [0, max]; anything non-numeric falls back to max. */
function clampCount(value: number, max: number): number {
  return Number.isFinite(value) ? Math.min(Math.max(Math.floor(value), 0), max) : max;
}

/** Adds `film` under `key`, keeping every film that shares it so ambiguity can be detected. */
function addTo<F>(index: Map<string, F[]>, key: string, film: F): void {
  const list = index.get(key);
  if (list) list.push(film);
  else index.set(key, [film]);
}

/** The only film under `key`, or undefined when there is none or several (e.g. two films titled "Psycho"). */
function unique<F>(index: Map<string, F[]>, key: string): F | undefined {
  const list = index.get(key);
  return list?.length === 1 ? list[0] : undefined;
}

export class TitleIndex<F extends Titled> {
  /** Alphabetical by title; every ranking below sorts stably from this order, so ties stay alphabetical. */
  readonly #entries: Entry<F>[];
  readonly #byId = new Map<string, F>();
  readonly #byTitle = new Map<string, F[]>();
  readonly #byLabel = new Map<string, F[]>();

  /** `alsoKnownAs`: other titles a film is found by (shown under its own title all the same). */
  constructor(films: readonly F[], alsoKnownAs: (film: F) => readonly string[] = () => []) {
    this.#entries = films
      .map((film) => {
        const title = normalizeTitle(film.title);
        const aliases = alsoKnownAs(film).map(normalizeTitle).filter((alias) => alias !== '' && alias !== title);
        return { film, title, label: film.year === undefined ? title : `${title} ${film.year}`, aliases, grams: trigrams(title) };
      })
      .sort(byTitle);

    for (const { film, title, label, aliases } of this.#entries) {
      if (this.#byId.has(film.id)) throw new Error(`Duplicate film id "${film.id}"`);
      this.#byId.set(film.id, film);
      addTo(this.#byTitle, title, film);
      addTo(this.#byLabel, label, film);
      for (const alias of aliases) addTo(this.#byTitle, alias, film);
    }
  }

  /** Every film, alphabetical by title. */
  all(): F[] {
    return this.#entries.map((entry) => entry.film);
  }

  get(id: string): F | undefined {
    return this.#byId.get(id);
  }

  /**
   * Resolve what a user typed or picked: an id ("her-smell"), a title in any case, accents,
   * spacing or punctuation ("HER SMELL"), or a label ("Her Smell (2018)").
   * Returns undefined for unknown, empty or ambiguous input (callers then offer closest()).
   */
  find(input: string): F | undefined {
    const raw = capQuery(input).trim();
    if (raw === '') return undefined;
    const byId = this.#byId.get(raw.toLowerCase());
    if (byId) return byId;
    const query = normalizeTitle(raw);
    if (query === '') return undefined;
    return unique(this.#byTitle, query) ?? unique(this.#byLabel, query);
  }

  /**
   * Autocomplete: case- and accent-insensitive. Titles starting with the query come first, then
   * titles with a word starting with it, then titles merely containing it; alphabetical within
   * each group. An empty query lists all films alphabetically. At most `limit` (capped at 25).
   */
  search(query: string, limit: number = MAX_SEARCH_RESULTS): F[] {
    const max = clampCount(limit, MAX_SEARCH_RESULTS);
    const q = normalizeTitle(capQuery(query));
    if (q === '') return this.all().slice(0, max);

    const ranked: { entry: Entry<F>; rank: number }[] = [];
    for (const entry of this.#entries) {
      let rank = rankOf(entry.label, q);
      for (const alias of entry.aliases) if (rank !== 0) rank = best(rank, rankOf(alias, q));
      if (rank >= 0) ranked.push({ entry, rank });
    }
    return ranked
      .sort((a, b) => a.rank - b.rank)
      .slice(0, max)
      .map(({ entry }) => entry.film);
  }

  /**
   * "Did you mean…" suggestions for input that find() could not resolve: the `n` films whose
   * titles share the most trigrams with it (word order does not matter). Films sharing nothing
   * are dropped when any film shares something; otherwise the first `n` films alphabetically are
   * returned, so a non-empty catalog always yields a suggestion.
   */
  closest(query: string, n = 3): F[] {
    const count = clampCount(n, this.#entries.length);
    const grams = trigrams(normalizeTitle(capQuery(query)));
    const scored = this.#entries
      .map((entry) => ({ entry, score: trigramSimilarity(grams, entry.grams) }))
      .sort((a, b) => b.score - a.score);
    const best = scored[0]?.score ?? 0;
    return scored
      .filter(({ score }) => best === 0 || score > 0)
      .slice(0, count)
      .map(({ entry }) => entry.film);
  }
}

/** 0: the text starts with the query; 1: a word of it does; 2: it merely contains it; -1: no match. */
function rankOf(text: string, q: string): number {
  return text.startsWith(q) ? 0 : ` ${text}`.includes(` ${q}`) ? 1 : text.includes(q) ? 2 : -1;
}

function best(a: number, b: number): number {
  if (a < 0) return b;
  return b < 0 ? a : Math.min(a, b);
}

/** The bundled films, found by their own title and by any translated title the dataset gives. */
export class FilmCatalog extends TitleIndex<Film> {
  constructor(films: readonly Film[]) {
    super(films, (film) => Object.values(film.translations ?? {}).flatMap((words) => (words?.title ? [words.title] : [])));
  }
}

/** Load every film file in `dir` (default: the bundled src/data/films) into a catalog. */
export function loadFilmCatalog(dir: string = FILMS_DIR): FilmCatalog {
  return new FilmCatalog(readFilmDirectory(dir));
}

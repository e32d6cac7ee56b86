// The films each server added itself (`/films`): one record per server, each film checked on read.
import * as z from 'zod';
import { normalizeTitle } from '../data/normalize';
import { FIRST_FILM_YEAR, MAX_DIRECTOR_NAME, MAX_RUNTIME_MINUTES, MAX_SERVER_FILM_DIRECTORS, MAX_SERVER_FILM_SYNOPSIS, MAX_SERVER_FILM_TITLE, MAX_SERVER_FILMS } from '../data/serverFilmLimits';
import { keys } from './keys';
import type { RecordStore, RecordType } from './records';

// MAX_SERVER_FILMS: enough for any club's list, small enough that suggestions search it in memory on each keystroke.
export { MAX_SERVER_FILMS } from '../data/serverFilmLimits';
/** Slugs stay short enough that "server:<slug>" fits every customId and choice value. */
const MAX_SLUG_WORDS_LENGTH = 60;

const text = (max: number) => z.string().trim().min(1).max(max);

export const serverFilmSchema = z.object({
  slug: z.string().regex(/^[\p{Ll}\p{Lo}\p{N}]+(-[\p{Ll}\p{Lo}\p{N}]+)*$/u).max(80),
  title: text(MAX_SERVER_FILM_TITLE),
  year: z.number().int().min(FIRST_FILM_YEAR).max(2100),
  directors: z.array(text(MAX_DIRECTOR_NAME)).max(MAX_SERVER_FILM_DIRECTORS),
  runtimeMinutes: z.number().int().min(1).max(MAX_RUNTIME_MINUTES).optional(),
  synopsis: text(MAX_SERVER_FILM_SYNOPSIS).optional(),
  addedBy: z.object({ id: z.string().min(1), name: z.string().min(1).max(100) }),
  addedAt: z.number(),
  updatedAt: z.number().optional(),
  hidden: z.boolean().default(false),
});
/** A film one server added with `/films add`. */
export type ServerFilm = z.infer<typeof serverFilmSchema>;

// Each film is checked on its own (see `list`), so one damaged film hides only itself; it is kept
// as stored, never dropped by a later change to the others.
const recordSchema = z.object({ films: z.record(z.string(), z.unknown()) });
type ServerFilmsRecord = z.infer<typeof recordSchema>;

/** What a member typed into the form, already checked (see films/serverFilmForm). */
export type ServerFilmFields = Pick<ServerFilm, 'title' | 'year' | 'directors' | 'runtimeMinutes' | 'synopsis'>;

export class ServerFilmExistsError extends Error {
  override readonly name = 'ServerFilmExistsError';
  constructor(readonly existing: Pick<ServerFilm, 'title' | 'year'>) {
    super(`the server already has ${existing.title} (${existing.year})`);
  }
}

export class ServerFilmLimitError extends Error {
  override readonly name = 'ServerFilmLimitError';
  constructor() {
    super(`a server keeps at most ${MAX_SERVER_FILMS} films`);
  }
}

export class ServerFilmMissingError extends Error {
  override readonly name = 'ServerFilmMissingError';
  constructor(readonly slug: string) {
    super(`no server film ${slug}`);
  }
}

export interface ServerFilmList {
  films: ServerFilm[];
  /** Stored films that fail their schema: left out, and left alone. */
  damaged: string[];
}

export class ServerFilmStore {
  private readonly records: RecordType<ServerFilmsRecord>;
  /**
   * Parsed lists by the record they came from: RecordStore hands out the record it remembers
   * (peek) until it changes, so suggestions on every keystroke do not check 500 films again.
   */
  private readonly parsed = new WeakMap<object, ServerFilmList>();

  constructor(records: RecordStore) {
    this.records = records.type(recordSchema);
  }

  async list(guildId: string): Promise<ServerFilmList> {
    const record = await this.records.peek(keys.serverFilms(guildId));
    if (!record) return { films: [], damaged: [] };
    let list = this.parsed.get(record);
    if (!list) this.parsed.set(record, (list = parse(record)));
    return list;
  }

  private async write(guildId: string, mutate: (current: ServerFilmsRecord | undefined) => ServerFilmsRecord): Promise<void> {
    await this.records.update(keys.serverFilms(guildId), mutate);
  }

  /** Adds a film under a new slug made from its title and year. */
  async add(guildId: string, fields: ServerFilmFields, addedBy: ServerFilm['addedBy'], now: number): Promise<ServerFilm> {
    let added: ServerFilm | undefined;
    await this.write(guildId, (current) => {
      const record = current ?? { films: {} };
      const { films } = parse(record);
      if (films.length >= MAX_SERVER_FILMS) throw new ServerFilmLimitError();
      assertNoTwin(films, fields, undefined);
      const slug = freeSlug(fields, record);
      added = serverFilmSchema.parse({ ...fields, slug, addedBy, addedAt: now, hidden: false });
      record.films[slug] = added;
      return record;
    });
    return added!;
  }

  /** Changes a film's details; its slug (and so its id, which ratings are kept by) stays. */
  async edit(guildId: string, slug: string, fields: ServerFilmFields, now: number): Promise<ServerFilm> {
    return this.change(guildId, slug, (film, others) => {
      assertNoTwin(others, fields, slug);
      // Fields left empty in the form are cleared, not kept.
      return { ...film, runtimeMinutes: undefined, synopsis: undefined, ...fields, updatedAt: now };
    });
  }

  async setHidden(guildId: string, slug: string, hidden: boolean): Promise<ServerFilm> {
    return this.change(guildId, slug, (film) => ({ ...film, hidden }));
  }

  /** Puts a removed film back as it was (see `/films remove`: something was kept about it after all). */
  async restore(guildId: string, film: ServerFilm): Promise<void> {
    await this.write(guildId, (current) => {
      const record = current ?? { films: {} };
      record.films[film.slug] ??= film;
      return record;
    });
  }

  /** Removes a film; whether it may go (nothing kept about it) is for the caller to decide first. */
  async remove(guildId: string, slug: string): Promise<void> {
    await this.write(guildId, (current) => {
      if (!current || !(slug in current.films)) throw new ServerFilmMissingError(slug);
      delete current.films[slug];
      return current;
    });
  }

  private async change(guildId: string, slug: string, edit: (film: ServerFilm, others: ServerFilm[]) => ServerFilm): Promise<ServerFilm> {
    let changed: ServerFilm | undefined;
    await this.write(guildId, (current) => {
      const films = current ? parse(current).films : [];
      const film = films.find((candidate) => candidate.slug === slug);
      if (!current || !film) throw new ServerFilmMissingError(slug);
      changed = serverFilmSchema.parse(edit(film, films.filter((other) => other.slug !== slug)));
      current.films[slug] = changed;
      return current;
    });
    return changed!;
  }

}

// Mutations parse afresh: a batch changes one record object in place, so a list parsed before
// an earlier change in the same batch would be out of date.
function parse(record: ServerFilmsRecord): ServerFilmList {
  const list: ServerFilmList = { films: [], damaged: [] };
  for (const [slug, raw] of Object.entries(record.films)) {
    const film = serverFilmSchema.safeParse(raw);
    if (film.success && film.data.slug === slug) list.films.push(film.data);
    else list.damaged.push(slug);
  }
  return list;
}

/** Two films with the same title and year are one film to a member picking from suggestions. */
function assertNoTwin(films: ServerFilm[], fields: Pick<ServerFilm, 'title' | 'year'>, except: string | undefined): void {
  const title = normalizeTitle(fields.title);
  const twin = films.find((film) => film.slug !== except && film.year === fields.year && normalizeTitle(film.title) === title);
  if (twin) throw new ServerFilmExistsError(twin);
}

/**
 * "paddington-2-2017": the title's words and the year, so a film removed and added again gets
 * its old id back. A slug already taken (by a film renamed since, or a damaged entry kept as it
 * is) gets "-2", "-3" …
 */
export function freeSlug(fields: Pick<ServerFilm, 'title' | 'year'>, record: ServerFilmsRecord): string {
  // Cut by whole characters: slicing UTF-16 could split one in half and fail the slug's check.
  const words = [...normalizeTitle(fields.title).replace(/[^\p{Ll}\p{Lo}\p{N} ]/gu, '').trim().replace(/ +/g, '-')].slice(0, MAX_SLUG_WORDS_LENGTH).join('').replace(/-+$/, '');
  const base = `${words || 'film'}-${fields.year}`;
  let slug = base;
  for (let n = 2; slug in record.films; n++) slug = `${base}-${n}`;
  return slug;
}

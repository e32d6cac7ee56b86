// Reads and validates the film data files: one *.json per film, so adding a film is adding a file.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { z } from 'zod';
import { filmSchema, type Film } from './schema';

/** The bundled dataset, resolved next to this module so it works from any working directory. */
export const FILMS_DIR = fileURLToPath(new URL('./films/', import.meta.url));

/** Thrown when a data file is unreadable, malformed or clashes with another; the message names the file. */
export class FilmDataError extends Error {
  override name = 'FilmDataError';
}

function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(root)'}: ${issue.message}`)
    .join('; ');
}

/** Parse and validate one film file. */
export function readFilmFile(path: string): Film {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new FilmDataError(`${path}: not valid JSON (${(error as Error).message})`);
  }
  const result = filmSchema.safeParse(raw);
  if (!result.success) {
    throw new FilmDataError(`${path}: invalid film data - ${describeIssues(result.error)}`);
  }
  return result.data;
}

/** Every *.json film in `dir`, in file-name order; duplicate ids are an error naming both files. */
export function readFilmDirectory(dir: string = FILMS_DIR): Film[] {
  const files = readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.json'))
    .map((entry) => entry.name)
    .sort();

  const films: Film[] = [];
  const fileById = new Map<string, string>();
  for (const name of files) {
    const path = join(dir, name);
    const film = readFilmFile(path);
    const previous = fileById.get(film.id);
    if (previous !== undefined) {
      throw new FilmDataError(`${path}: duplicate film id "${film.id}" (already defined in ${previous})`);
    }
    fileById.set(film.id, path);
    films.push(film);
  }
  return films;
}

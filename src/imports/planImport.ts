// What an import would save, one entry per film: the newest rating and the newest review among
// the member's rows for it (a diary lists a film once per watch; the export repeats it across files).
import type { LetterboxdRow, ParsedCsv, RowProblem } from './letterboxdCsv';
import { filmKey, type LetterboxdFilm } from './matchFilms';

export interface PlannedFilm extends LetterboxdFilm {
  key: string;
  rating?: { stars: number; at: number };
  review?: { text: string; spoiler: boolean; at: number; stars?: number };
}

export interface ImportPlan {
  /** In the order the files first list them. */
  films: PlannedFilm[];
  rows: number;
  problems: RowProblem[];
  empty: number;
}

/**
 * `files` in EXPORT_FILES order, so on the same day ratings.csv (the member's rating now) wins
 * over a diary entry. A date after `now` (a clock gone wrong somewhere) counts as `now`.
 */
export function planImport(files: ParsedCsv[], now: number): ImportPlan {
  const byKey = new Map<string, PlannedFilm>();
  const plan: ImportPlan = { films: [], rows: 0, problems: [], empty: 0 };
  for (const file of files) {
    plan.rows += file.rows.length + file.problems.length + file.empty;
    plan.problems.push(...file.problems);
    plan.empty += file.empty;
    for (const row of file.rows) addRow(byKey, plan, { ...row, at: Math.min(row.at, now) });
  }
  return plan;
}

function addRow(byKey: Map<string, PlannedFilm>, plan: ImportPlan, row: LetterboxdRow): void {
  const key = filmKey(row);
  let film = byKey.get(key);
  if (!film) {
    film = { key, name: row.name, ...(row.year === undefined ? {} : { year: row.year }) };
    byKey.set(key, film);
    plan.films.push(film);
  }
  if (row.stars !== undefined && (!film.rating || film.rating.at <= row.at)) film.rating = { stars: row.stars, at: row.at };
  if (row.review !== undefined && (!film.review || film.review.at <= row.at)) {
    film.review = { text: row.review, spoiler: row.spoiler, at: row.at, ...(row.stars === undefined ? {} : { stars: row.stars }) };
  }
}

// Letterboxd's export CSVs (ratings.csv, reviews.csv, diary.csv), read by header name, since the
// columns' order differs between files and may change. A row that can't be used is reported
// with its line; a file that isn't such a CSV is refused whole.
import { CsvError, type Info, parse } from 'csv-parse/sync';
import { isStarValue } from '../stars';
import { ImportRefusedError } from './errors';
import { MAX_RECORD_CHARACTERS, MAX_ROWS } from './limits';

export interface LetterboxdRow {
  file: string;
  /** The line the row starts on, counting the header as line 1. */
  line: number;
  name: string;
  year?: number;
  /** Blank in the file: not rated. */
  stars?: number;
  /** The Watched Date, or else the Date, as midnight UTC of that day. */
  at: number;
  review?: string;
  spoiler: boolean;
}

export interface RowProblem {
  file: string;
  line: number;
  name: string;
  reason: 'name' | 'year' | 'rating' | 'date';
}

export interface ParsedCsv {
  rows: LetterboxdRow[];
  problems: RowProblem[];
  /** Rows with neither a rating nor a review (a diary entry logged without one): nothing to import. */
  empty: number;
}

const COLUMNS = ['date', 'name', 'year', 'letterboxd uri', 'rating', 'rewatch', 'review', 'tags', 'watched date', 'spoilers'] as const;
type Column = (typeof COLUMNS)[number];

/** Reads one export CSV; `maxRows` is what is left of the import's MAX_ROWS. */
export function parseLetterboxdCsv(bytes: Uint8Array, file: string, maxRows: number = MAX_ROWS): ParsedCsv {
  const text = decodeUtf8(bytes, file);
  let records: { record: string[]; info: Info }[];
  try {
    // `to` stops reading one record past the limit: a 100,000-row file is refused after 20,001.
    // With `info: true` each record comes wrapped with its line numbers, which the types leave out.
    records = parse(text, { bom: true, skip_empty_lines: true, info: true, to: maxRows + 2, max_record_size: MAX_RECORD_CHARACTERS }) as unknown as typeof records;
  } catch (error) {
    if (error instanceof CsvError) throw new ImportRefusedError({ reason: 'malformed-csv', fileName: file, line: (error as CsvError & { lines?: number }).lines });
    throw error;
  }
  const [header, ...body] = records;
  if (!header) throw new ImportRefusedError({ reason: 'wrong-headers', fileName: file, missing: ['Name', 'Year', 'Date', 'Rating'] });
  const at = columnsOf(header.record, file);
  if (body.length > maxRows) throw new ImportRefusedError({ reason: 'too-many-rows' });

  const parsed: ParsedCsv = { rows: [], problems: [], empty: 0 };
  for (const { record, info } of body) {
    // csv-parse counts lines to a record's end; a quoted review can span several.
    const line = info.lines - record.reduce((breaks, value) => breaks + (value.match(/\n/g)?.length ?? 0), 0);
    const field = (column: Column) => {
      const index = at.get(column);
      return index === undefined ? '' : (record[index] ?? '').trim();
    };
    const name = field('name');
    const problem = (reason: RowProblem['reason']) => parsed.problems.push({ file, line, name, reason });
    if (name === '') {
      problem('name');
      continue;
    }
    const year = readYear(field('year'));
    if (year === null) {
      problem('year');
      continue;
    }
    const stars = readStars(field('rating'));
    if (stars === null) {
      problem('rating');
      continue;
    }
    const date = readDate(field('watched date')) ?? readDate(field('date'));
    if (date === undefined) {
      problem('date');
      continue;
    }
    const review = field('review');
    if (stars === undefined && review === '') {
      parsed.empty += 1;
      continue;
    }
    // Letterboxd's export has no spoiler flag; members who mark spoilers do so with a tag.
    const spoiler = /^(yes|true)$/i.test(field('spoilers')) || field('tags').split(',').some((tag) => /^spoilers?$/i.test(tag.trim()));
    parsed.rows.push({ file, line, name, ...(year === undefined ? {} : { year }), ...(stars === undefined ? {} : { stars }), at: date, ...(review === '' ? {} : { review }), spoiler });
  }
  return parsed;
}

function decodeUtf8(bytes: Uint8Array, file: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new ImportRefusedError({ reason: 'not-text', fileName: file });
  }
}

/** Each known column's index; refuses a file without what an import needs. */
function columnsOf(header: string[], file: string): Map<Column, number> {
  const at = new Map<Column, number>();
  header.forEach((raw, index) => {
    const name = raw.trim().toLowerCase() as Column;
    if (COLUMNS.includes(name) && !at.has(name)) at.set(name, index);
  });
  const missing = [
    ...(at.has('name') ? [] : ['Name']),
    ...(at.has('year') ? [] : ['Year']),
    ...(at.has('date') || at.has('watched date') ? [] : ['Date']),
    ...(at.has('rating') || at.has('review') ? [] : ['Rating']),
  ];
  if (missing.length > 0) throw new ImportRefusedError({ reason: 'wrong-headers', fileName: file, missing });
  return at;
}

/** A four-digit year, undefined when blank, null when it is something else. */
function readYear(text: string): number | undefined | null {
  if (text === '') return undefined;
  return /^\d{4}$/.test(text) ? Number(text) : null;
}

/** Half stars from 0.5 to 5, undefined when blank (not rated), null for anything else (7, 2.3). */
function readStars(text: string): number | undefined | null {
  if (text === '') return undefined;
  if (!/^\d(\.\d+)?$/.test(text)) return null;
  const stars = Number(text);
  return isStarValue(stars) ? stars : null;
}

/** "2024-03-09" as midnight UTC of that day; undefined for blank or anything else. */
function readDate(text: string): number | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return undefined;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const at = Date.UTC(year, month - 1, day);
  const date = new Date(at);
  // Date.UTC rolls 2024-02-31 over into March: only a real day is taken.
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day ? at : undefined;
}

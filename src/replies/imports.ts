// Words for a Letterboxd import: why a file was refused, and the summary of what was imported.
import { type InteractionReplyOptions, MessageFlags } from 'discord.js';
import { filmLabel } from '../data/catalog';
import { MAX_REVIEW_LENGTH, MIN_REVIEW_LENGTH } from '../data/reviewLimits';
import { NO_MENTIONS, quoteUserText, truncate } from '../discord/payload';
import type { FilmName } from '../films/model';
import type { ImportRefusal } from '../imports/errors';
import type { ImportResult } from '../imports/letterboxdImport';
import { DOWNLOAD_TIMEOUT_MS, MAX_FILE_BYTES, MAX_ROWS, MAX_TMDB_LOOKUPS, MAX_UNZIPPED_BYTES, MAX_ZIP_ENTRIES } from '../imports/limits';
import type { LetterboxdFilm } from '../imports/matchFilms';
import { countOf } from './plural';
import type { Translator } from '../i18n';

/** Names listed of the films not found (and not saved); the rest are counted. */
export const LISTED_FILMS = 10;
const LISTED_PROBLEMS = 5;
const MESSAGE_LIMIT = 2_000;

const megabytes = (bytes: number) => `${Math.round(bytes / (1024 * 1024))} MB`;
const fileName = (name: string) => `**${quoteUserText(name, 60)}**`;
/** "Name, Year or Rating". */
const orList = (t: Translator, words: string[]) => (words.length < 2 ? words.join('') : t('import.or', { list: words.slice(0, -1).join(', '), last: words.at(-1) }));

/** Why a file was refused, in `t` (the member's language). */
export function describeImportRefusal(t: Translator, refusal: ImportRefusal): string {
  switch (refusal.reason) {
    case 'not-csv-or-zip':
      return t('import.refused.notCsvOrZip', { file: fileName(refusal.fileName) });
    case 'too-large':
      return t('import.refused.tooLarge', { size: megabytes(MAX_FILE_BYTES) });
    case 'download-failed':
      return t('import.refused.downloadFailed');
    case 'download-timed-out':
      return t('import.refused.downloadTimedOut', { seconds: DOWNLOAD_TIMEOUT_MS / 1000 });
    case 'corrupt-zip':
      return t('import.refused.corruptZip');
    case 'zip-too-large':
      return t('import.refused.zipTooLarge', { size: megabytes(MAX_UNZIPPED_BYTES) });
    case 'zip-too-many-entries':
      return t('import.refused.zipTooManyEntries', { max: MAX_ZIP_ENTRIES });
    case 'zip-without-csv':
      return t('import.refused.zipWithoutCsv');
    case 'not-text':
      return t('import.refused.notText', { file: fileName(refusal.fileName) });
    case 'malformed-csv':
      return refusal.line ? t('import.refused.malformedCsvAt', { file: fileName(refusal.fileName), line: refusal.line }) : t('import.refused.malformedCsv', { file: fileName(refusal.fileName) });
    case 'wrong-headers':
      return t('import.refused.wrongHeaders', { file: fileName(refusal.fileName), columns: orList(t, refusal.missing) });
    case 'too-many-rows':
      return t('import.refused.tooManyRows', { max: MAX_ROWS });
    case 'busy':
      return t('import.refused.busy');
  }
}

const label = (film: FilmName) => quoteUserText(filmLabel(film), 80);
const letterboxdLabel = (film: LetterboxdFilm) => quoteUserText(film.year === undefined ? film.name : `${film.name} (${film.year})`, 80);

/** "A, B, C and 4 more": the first LISTED_FILMS. */
function listed(t: Translator, labels: string[]): string {
  const shown = labels.slice(0, LISTED_FILMS).join(', ');
  return labels.length > LISTED_FILMS ? t('import.andMore', { films: shown, more: labels.length - LISTED_FILMS }) : shown;
}

/** The summary, in `t` (the member's language): it is theirs alone. */
export function buildImportSummary(t: Translator, { files, plan, matching, outcome }: ImportResult): InteractionReplyOptions {
  const { ratings, reviews } = outcome;
  const lines = [t('import.heading', { files: files.map((name) => quoteUserText(name, 60)).join(', '), rows: countOf(t, plan.rows, 'row') })];
  if (plan.films.length === 0) lines.push(t('import.nothingToImport'));
  lines.push(t('import.imported', { ratings: countOf(t, ratings.saved.length, 'rating'), reviews: countOf(t, reviews.saved.length, 'review') }));
  const newer = ratings.newerHere.length + reviews.newerHere.length;
  if (newer > 0) {
    const films = listed(t, [...new Set([...ratings.newerHere, ...reviews.newerHere].map(label))]);
    lines.push(t('import.newerHere', { ratings: countOf(t, ratings.newerHere.length, 'rating'), reviews: countOf(t, reviews.newerHere.length, 'review'), films }));
  }
  if (matching.notFound.length > 0) {
    lines.push(t('import.notFound', { found: countOf(t, matching.notFound.length, 'film'), films: listed(t, matching.notFound.map(letterboxdLabel)) }));
  }
  const notAsked = matching.tmdb.notAsked;
  if (matching.tmdb.unavailable) lines.push(t('import.tmdbUnavailable', { count: notAsked, films: countOf(t, notAsked, 'film') }));
  else if (notAsked > 0) lines.push(t('import.tmdbCapped', { count: notAsked, max: MAX_TMDB_LOOKUPS, films: countOf(t, notAsked, 'more film') }));
  if (reviews.shortened > 0) lines.push(t('import.shortened', { count: reviews.shortened, reviews: countOf(t, reviews.shortened, 'review'), max: MAX_REVIEW_LENGTH }));
  if (reviews.tooShort > 0) lines.push(t('import.tooShort', { count: reviews.tooShort, reviews: countOf(t, reviews.tooShort, 'review'), min: MIN_REVIEW_LENGTH }));
  if (reviews.withoutRating > 0) lines.push(t('import.withoutRating', { count: reviews.withoutRating, reviews: countOf(t, reviews.withoutRating, 'review') }));
  if (plan.problems.length > 0) {
    const shown = plan.problems.slice(0, LISTED_PROBLEMS).map((problem) => t('import.problem', { file: quoteUserText(problem.file, 40), line: problem.line, reason: t(`import.reasons.${problem.reason}`) }));
    const problems = `${shown.join('; ')}${plan.problems.length > LISTED_PROBLEMS ? '; …' : ''}`;
    lines.push(t('import.skipped', { count: plan.problems.length, rows: countOf(t, plan.problems.length, 'row'), problems }));
  }
  if (plan.empty > 0) lines.push(t('import.empty', { count: plan.empty, rows: countOf(t, plan.empty, 'row') }));
  if (outcome.damaged > 0) lines.push(t('import.damaged', { count: outcome.damaged }));
  if (outcome.stopped === 'storage') lines.push(t('import.storageStopped'));
  if (outcome.stopped === 'error') lines.push(t('import.errorStopped'));
  if (ratings.notSaved.length > 0) lines.push(t('import.ratingsNotSaved', { films: countOf(t, ratings.notSaved.length, 'film'), list: listed(t, ratings.notSaved.map(label)) }));
  if (reviews.notSaved.length > 0) lines.push(t('import.reviewsNotSaved', { films: countOf(t, reviews.notSaved.length, 'film'), list: listed(t, reviews.notSaved.map(label)) }));
  if (outcome.stopped) lines.push(t('import.importAgain'));
  return { content: truncate(lines.join('\n'), MESSAGE_LIMIT), flags: MessageFlags.Ephemeral, allowedMentions: NO_MENTIONS };
}

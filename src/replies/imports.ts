// Words for a Letterboxd import: why a file was refused, and the summary of what was imported.
import { type InteractionReplyOptions, MessageFlags } from 'discord.js';
import { filmLabel } from '../data/catalog';
import { MAX_REVIEW_LENGTH, MIN_REVIEW_LENGTH } from '../data/reviewLimits';
import { NO_MENTIONS, quoteUserText, truncate } from '../discord/payload';
import type { FilmName } from '../films/model';
import type { ImportRefusal } from '../imports/errors';
import type { ImportResult } from '../imports/letterboxdImport';
import { DOWNLOAD_TIMEOUT_MS, MAX_FILE_BYTES, MAX_ROWS, MAX_TMDB_LOOKUPS, MAX_UNZIPPED_BYTES, MAX_ZIP_ENTRIES } from '../imports/limits';
import type { RowProblem } from '../imports/letterboxdCsv';
import type { LetterboxdFilm } from '../imports/matchFilms';
import { countOf } from './plural';

/** Names listed of the films not found (and not saved); the rest are counted. */
export const LISTED_FILMS = 10;
const LISTED_PROBLEMS = 5;
const MESSAGE_LIMIT = 2_000;

const NOTHING = 'Nothing was imported.';
const EXPORT_HOW = 'Letterboxd gives it under Settings → Data → Export your data.';
const megabytes = (bytes: number) => `${Math.round(bytes / (1024 * 1024))} MB`;
const fileName = (name: string) => `**${quoteUserText(name, 60)}**`;
const were = (n: number) => (n === 1 ? 'was' : 'were');
/** "Name, Year or Rating". */
const orList = (words: string[]) => (words.length < 2 ? words.join('') : `${words.slice(0, -1).join(', ')} or ${words.at(-1)}`);

export function describeImportRefusal(refusal: ImportRefusal): string {
  switch (refusal.reason) {
    case 'not-csv-or-zip':
      return `${fileName(refusal.fileName)} is neither a .csv nor a .zip. Upload Letterboxd’s \`ratings.csv\`, \`reviews.csv\` or \`diary.csv\`, or the whole export .zip (${EXPORT_HOW}) ${NOTHING}`;
    case 'too-large':
      return `That file is larger than ${megabytes(MAX_FILE_BYTES)}, the most an import takes. Letterboxd’s export .zip is far smaller: try it, or \`ratings.csv\` alone. ${NOTHING}`;
    case 'download-failed':
      return `Reelside could not download that file from Discord. ${NOTHING} Please try again.`;
    case 'download-timed-out':
      return `Downloading that file took longer than ${DOWNLOAD_TIMEOUT_MS / 1000} seconds, so Reelside gave up. ${NOTHING} Please try again.`;
    case 'corrupt-zip':
      return `That .zip can’t be read: it is damaged, cut short, or not a zip. Download your export from Letterboxd again (${EXPORT_HOW}) ${NOTHING}`;
    case 'zip-too-large':
      return `That .zip unpacks to more than ${megabytes(MAX_UNZIPPED_BYTES)}, far more than a Letterboxd export, so Reelside stopped reading it. ${NOTHING}`;
    case 'zip-too-many-entries':
      return `That .zip holds more than ${MAX_ZIP_ENTRIES.toLocaleString('en')} files, far more than a Letterboxd export. ${NOTHING}`;
    case 'zip-without-csv':
      return `That .zip has no \`ratings.csv\`, \`reviews.csv\` or \`diary.csv\`: is it Letterboxd’s export? ${NOTHING}`;
    case 'not-text':
      return `${fileName(refusal.fileName)} is not a text file (UTF-8), as Letterboxd’s CSVs are. ${NOTHING}`;
    case 'malformed-csv':
      return `${fileName(refusal.fileName)} is not a well-formed CSV${refusal.line ? ` (the trouble is at line ${refusal.line})` : ''}. Upload the file as Letterboxd exported it. ${NOTHING}`;
    case 'wrong-headers':
      return `${fileName(refusal.fileName)} is not a Letterboxd export: its first line has no ${orList(refusal.missing)} column. Letterboxd’s files start with \`Date,Name,Year,Letterboxd URI,Rating\`. ${NOTHING}`;
    case 'too-many-rows':
      return `That import has more than ${MAX_ROWS.toLocaleString('en')} rows, the most one import takes. Import \`ratings.csv\` alone, or split the file. ${NOTHING}`;
    case 'busy':
      return `An import of yours is still running, or Reelside is busy with others’. ${NOTHING} Please try again in a minute.`;
  }
}

const label = (film: FilmName) => quoteUserText(filmLabel(film), 80);
const letterboxdLabel = (film: LetterboxdFilm) => quoteUserText(film.year === undefined ? film.name : `${film.name} (${film.year})`, 80);

/** "A, B, C and 4 more": the first LISTED_FILMS. */
function listed(labels: string[]): string {
  const shown = labels.slice(0, LISTED_FILMS).join(', ');
  return labels.length > LISTED_FILMS ? `${shown} and ${labels.length - LISTED_FILMS} more` : shown;
}

const REASONS: Record<RowProblem['reason'], string> = {
  name: 'no name',
  year: 'the year is not four digits',
  rating: 'the rating is not 0.5 to 5 in half steps',
  date: 'the date is not YYYY-MM-DD',
};

export function buildImportSummary({ files, plan, matching, outcome }: ImportResult): InteractionReplyOptions {
  const { ratings, reviews } = outcome;
  const lines = [`**Letterboxd import** · ${files.map((name) => quoteUserText(name, 60)).join(', ')} · ${countOf(plan.rows, 'row')}`];
  if (plan.films.length === 0) lines.push('There was no rating or review to import.');
  lines.push(`Imported: ${countOf(ratings.saved.length, 'rating')}, ${countOf(reviews.saved.length, 'review')}.`);
  const newer = ratings.newerHere.length + reviews.newerHere.length;
  if (newer > 0) {
    lines.push(`Already newer here: ${countOf(ratings.newerHere.length, 'rating')}, ${countOf(reviews.newerHere.length, 'review')} (yours here are more recent, so they stay): ${listed([...new Set([...ratings.newerHere, ...reviews.newerHere].map(label))])}.`);
  }
  if (matching.notFound.length > 0) {
    lines.push(`Not found: ${countOf(matching.notFound.length, 'film')} (matched by title and year): ${listed(matching.notFound.map(letterboxdLabel))}.`);
  }
  if (matching.tmdb.unavailable) lines.push(`TMDB could not be reached, so ${countOf(matching.tmdb.notAsked, 'film')} ${were(matching.tmdb.notAsked)} not looked up there.`);
  else if (matching.tmdb.notAsked > 0) {
    lines.push(`TMDB is asked about at most ${MAX_TMDB_LOOKUPS} films an import, so ${countOf(matching.tmdb.notAsked, 'more film')} ${were(matching.tmdb.notAsked)} not looked up there. Import the same file again within the hour to look up the next ones.`);
  }
  if (reviews.shortened > 0) lines.push(`${countOf(reviews.shortened, 'review')} longer than ${MAX_REVIEW_LENGTH.toLocaleString('en')} characters ${were(reviews.shortened)} cut to fit, ending with “…”.`);
  if (reviews.tooShort > 0) lines.push(`${countOf(reviews.tooShort, 'review')} shorter than ${MIN_REVIEW_LENGTH} characters ${were(reviews.tooShort)} left out (the rating still counts).`);
  if (reviews.withoutRating > 0) lines.push(`${countOf(reviews.withoutRating, 'review')} without a rating ${were(reviews.withoutRating)} left out: a review here comes with stars.`);
  if (plan.problems.length > 0) {
    const shown = plan.problems.slice(0, LISTED_PROBLEMS).map((problem) => `${quoteUserText(problem.file, 40)} line ${problem.line} (${REASONS[problem.reason]})`);
    lines.push(`Skipped ${countOf(plan.problems.length, 'row')} that could not be read: ${shown.join('; ')}${plan.problems.length > LISTED_PROBLEMS ? '; …' : ''}.`);
  }
  if (plan.empty > 0) lines.push(`${countOf(plan.empty, 'row')} had neither a rating nor a review.`);
  if (outcome.damaged > 0) {
    lines.push(`${outcome.damaged === 1 ? 'One rating or review was' : `${outcome.damaged} ratings or reviews were`} not saved because the stored record is damaged; a moderator can check the logs.`);
  }
  if (outcome.stopped === 'storage') lines.push('**Storage stopped answering, so the import stopped.** Only what is counted as imported above was saved.');
  if (outcome.stopped === 'error') lines.push('**Something went wrong on our side (it has been logged), so the import stopped.** Only what is counted as imported above was saved.');
  if (ratings.notSaved.length > 0) lines.push(`Ratings not saved: ${countOf(ratings.notSaved.length, 'film')}: ${listed(ratings.notSaved.map(label))}.`);
  if (reviews.notSaved.length > 0) lines.push(`Reviews not saved: ${countOf(reviews.notSaved.length, 'film')}: ${listed(reviews.notSaved.map(label))}.`);
  if (outcome.stopped) lines.push('Importing the same file again saves the rest and leaves what was saved as it is.');
  return { content: truncate(lines.join('\n'), MESSAGE_LIMIT), flags: MessageFlags.Ephemeral, allowedMentions: NO_MENTIONS };
}

// Reads the add/edit film form: every problem found is reported at once, worded for the member.
import { FIRST_FILM_YEAR, MAX_DIRECTOR_NAME, MAX_RUNTIME_MINUTES, MAX_SERVER_FILM_DIRECTORS, MAX_SERVER_FILM_SYNOPSIS, MAX_SERVER_FILM_TITLE } from '../data/serverFilmLimits';
import type { ServerFilmFields } from '../storage/serverFilms';

/** Films announced a few years ahead can be added; a typo like 20017 cannot. */
const YEARS_AHEAD = 10;

/** The form's inputs, by custom_id. */
export const FORM_FIELDS = { title: 'title', year: 'year', directors: 'directors', runtime: 'runtime', synopsis: 'synopsis' } as const;

export type FormValues = Partial<Record<keyof typeof FORM_FIELDS, string>>;

export type FormResult = { ok: true; fields: ServerFilmFields } | { ok: false; problems: string[] };

export function readFilmForm(values: FormValues, now: Date = new Date()): FormResult {
  const problems: string[] = [];
  const title = collapse(values.title);
  if (title === '') problems.push('The title is required.');
  else if (title.length > MAX_SERVER_FILM_TITLE) problems.push(`The title can be at most ${MAX_SERVER_FILM_TITLE} characters.`);

  const lastYear = now.getUTCFullYear() + YEARS_AHEAD;
  const yearText = collapse(values.year);
  const year = /^\d{4}$/.test(yearText) ? Number(yearText) : NaN;
  if (!(year >= FIRST_FILM_YEAR && year <= lastYear)) problems.push(`The year is four digits from ${FIRST_FILM_YEAR} to ${lastYear}, e.g. 2017.`);

  const directors = (values.directors ?? '').split(/[,\n]/).map(collapse).filter((name) => name !== '');
  if (directors.length > MAX_SERVER_FILM_DIRECTORS) problems.push(`List at most ${MAX_SERVER_FILM_DIRECTORS} directors.`);
  if (directors.some((name) => name.length > MAX_DIRECTOR_NAME)) problems.push(`A director's name can be at most ${MAX_DIRECTOR_NAME} characters.`);

  const runtimeText = collapse(values.runtime);
  const runtimeMinutes = runtimeText === '' ? undefined : /^\d{1,4}$/.test(runtimeText) ? Number(runtimeText) : NaN;
  if (runtimeMinutes !== undefined && !(runtimeMinutes >= 1 && runtimeMinutes <= MAX_RUNTIME_MINUTES)) problems.push(`The runtime is a whole number of minutes from 1 to ${MAX_RUNTIME_MINUTES}, e.g. 103.`);

  // Paragraph breaks are kept; only the ends are trimmed.
  const synopsis = (values.synopsis ?? '').trim();
  if (synopsis.length > MAX_SERVER_FILM_SYNOPSIS) problems.push(`The synopsis can be at most ${MAX_SERVER_FILM_SYNOPSIS} characters.`);

  if (problems.length > 0) return { ok: false, problems };
  return {
    ok: true,
    fields: { title, year, directors, ...(runtimeMinutes === undefined ? {} : { runtimeMinutes }), ...(synopsis === '' ? {} : { synopsis }) },
  };
}

function collapse(text: string | undefined): string {
  return (text ?? '').replace(/\s+/g, ' ').trim();
}

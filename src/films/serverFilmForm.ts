// Reads the add/edit film form: every problem found is reported at once, worded for the member.
import { FIRST_FILM_YEAR, MAX_DIRECTOR_NAME, MAX_RUNTIME_MINUTES, MAX_SERVER_FILM_DIRECTORS, MAX_SERVER_FILM_SYNOPSIS, MAX_SERVER_FILM_TITLE } from '../data/serverFilmLimits';
import type { Translator } from '../i18n';
import type { ServerFilmFields } from '../storage/serverFilms';

/** Films announced a few years ahead can be added; a typo like 20017 cannot. */
const YEARS_AHEAD = 10;

/** The form's inputs, by custom_id. */
export const FORM_FIELDS = { title: 'title', year: 'year', directors: 'directors', runtime: 'runtime', synopsis: 'synopsis' } as const;

export type FormValues = Partial<Record<keyof typeof FORM_FIELDS, string>>;

export type FormResult = { ok: true; fields: ServerFilmFields } | { ok: false; problems: string[] };

/** `t`: the language the problems are worded in (the member's). */
export function readFilmForm(t: Translator, values: FormValues, now: Date = new Date()): FormResult {
  const problems: string[] = [];
  const title = collapse(values.title);
  if (title === '') problems.push(t('films.form.titleRequired'));
  else if (title.length > MAX_SERVER_FILM_TITLE) problems.push(t('films.form.titleTooLong', { max: MAX_SERVER_FILM_TITLE }));

  const lastYear = now.getUTCFullYear() + YEARS_AHEAD;
  const yearText = collapse(values.year);
  const year = /^\d{4}$/.test(yearText) ? Number(yearText) : NaN;
  if (!(year >= FIRST_FILM_YEAR && year <= lastYear)) problems.push(t('films.form.year', { first: FIRST_FILM_YEAR, last: lastYear }));

  const directors = (values.directors ?? '').split(/[,\n]/).map(collapse).filter((name) => name !== '');
  if (directors.length > MAX_SERVER_FILM_DIRECTORS) problems.push(t('films.form.tooManyDirectors', { max: MAX_SERVER_FILM_DIRECTORS }));
  if (directors.some((name) => name.length > MAX_DIRECTOR_NAME)) problems.push(t('films.form.directorTooLong', { max: MAX_DIRECTOR_NAME }));

  const runtimeText = collapse(values.runtime);
  const runtimeMinutes = runtimeText === '' ? undefined : /^\d{1,4}$/.test(runtimeText) ? Number(runtimeText) : NaN;
  if (runtimeMinutes !== undefined && !(runtimeMinutes >= 1 && runtimeMinutes <= MAX_RUNTIME_MINUTES)) problems.push(t('films.form.runtime', { max: MAX_RUNTIME_MINUTES }));

  // Paragraph breaks are kept; only the ends are trimmed.
  const synopsis = (values.synopsis ?? '').trim();
  if (synopsis.length > MAX_SERVER_FILM_SYNOPSIS) problems.push(t('films.form.synopsisTooLong', { max: MAX_SERVER_FILM_SYNOPSIS }));

  if (problems.length > 0) return { ok: false, problems };
  return {
    ok: true,
    fields: { title, year, directors, ...(runtimeMinutes === undefined ? {} : { runtimeMinutes }), ...(synopsis === '' ? {} : { synopsis }) },
  };
}

function collapse(text: string | undefined): string {
  return (text ?? '').replace(/\s+/g, ' ').trim();
}

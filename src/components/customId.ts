// One codec for component and modal customIds: readable, versioned by shape, at most 100 characters.
// Everything a component needs after a restart is in its id or in storage, never in memory.

export type ComponentId =
  | { kind: 'poll-vote'; pollId: string }
  | { kind: 'poll-end'; pollId: string }
  | { kind: 'film-add' }
  | { kind: 'film-edit'; slug: string }
  | { kind: 'review-form'; filmId: string }
  | { kind: 'reviews-page'; filmId: string; page: number }
  /** Pages of the server's watchlist and history. */
  | { kind: 'watchlist-page'; page: number }
  | { kind: 'history-page'; page: number }
  /** "Schedule it" under a chosen film, and the form it opens. */
  | { kind: 'schedule-film'; filmId: string }
  | { kind: 'schedule-form'; filmId: string };

const POLL_ID = /^[a-z0-9]{6,32}$/;
const FILM_SLUG = /^[\p{Ll}\p{Lo}\p{N}]+(-[\p{Ll}\p{Lo}\p{N}]+)*$/u;
/** Any film id: a bundled slug, server:<slug> or tmdb:<id> (see films/model). */
const FILM_ID = /^(?:server:)?[\p{Ll}\p{Lo}\p{N}]+(-[\p{Ll}\p{Lo}\p{N}]+)*$|^tmdb:[1-9]\d{0,11}$/u;
/** Pages a film's reviews can have (a server's 10,000 reviews of one film, five a page). */
const MAX_PAGE = 9_999;

export function buildCustomId(id: ComponentId): string {
  switch (id.kind) {
    case 'poll-vote':
      return `poll:vote:${id.pollId}`;
    case 'poll-end':
      return `poll:end:${id.pollId}`;
    case 'film-add':
      return 'films:add';
    case 'film-edit':
      return `films:edit:${id.slug}`;
    case 'review-form':
      return `review:${id.filmId}`;
    case 'reviews-page':
      return `reviews:${id.page}:${id.filmId}`;
    case 'watchlist-page':
      return `watchlist:page:${id.page}`;
    case 'history-page':
      return `history:page:${id.page}`;
    case 'schedule-film':
      return `schedule:${id.filmId}`;
    case 'schedule-form':
      return `schedule-form:${id.filmId}`;
  }
}

/** Parses a customId, or returns undefined for one this version does not know (an older message). */
export function parseCustomId(customId: string): ComponentId | undefined {
  // Film ids may hold a colon themselves (server:…, tmdb:…), so these are read whole.
  const review = /^review:(.+)$/u.exec(customId);
  if (review && FILM_ID.test(review[1]!)) return { kind: 'review-form', filmId: review[1]! };
  const schedule = /^(schedule|schedule-form):(.+)$/u.exec(customId);
  if (schedule && FILM_ID.test(schedule[2]!)) return { kind: schedule[1] === 'schedule' ? 'schedule-film' : 'schedule-form', filmId: schedule[2]! };
  const page = /^reviews:(\d{1,4}):(.+)$/u.exec(customId);
  if (page && FILM_ID.test(page[2]!) && Number(page[1]) <= MAX_PAGE) return { kind: 'reviews-page', page: Number(page[1]), filmId: page[2]! };
  const [scope, action, subject, ...rest] = customId.split(':');
  if (rest.length > 0) return undefined;
  if (scope === 'poll' && subject && POLL_ID.test(subject)) {
    if (action === 'vote') return { kind: 'poll-vote', pollId: subject };
    if (action === 'end') return { kind: 'poll-end', pollId: subject };
  }
  if ((scope === 'watchlist' || scope === 'history') && action === 'page' && subject && /^\d{1,4}$/.test(subject) && Number(subject) <= MAX_PAGE) {
    return { kind: scope === 'watchlist' ? 'watchlist-page' : 'history-page', page: Number(subject) };
  }
  if (scope === 'films') {
    if (action === 'add' && subject === undefined) return { kind: 'film-add' };
    if (action === 'edit' && subject && FILM_SLUG.test(subject)) return { kind: 'film-edit', slug: subject };
  }
  return undefined;
}

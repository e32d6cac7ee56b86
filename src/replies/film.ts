// Pure builders for the film card and the film-not-found message.
import { countBar } from './bars';
import type { APIEmbed, InteractionReplyOptions } from 'discord.js';
import type { Film } from '../data/schema';
import { filmLabel, type Titled } from '../data/catalog';
import type { TmdbMovieCard } from '../data/tmdb/model';
import type { AnyFilm, ServerFilm } from '../films/model';
import { NO_MENTIONS, quoteUserText, safeEmbed } from '../discord/payload';
import { formatCriticRating, formatStars, starBar } from '../stars';
import { countOf } from './plural';
import type { RatingSummary } from '../ratingSummary';

export const FILM_COLOUR = 0xc0392b;

/** `'unavailable'` when storage could not be read: the card is shown without the server's rating. */
export type ServerRating = RatingSummary | undefined | 'unavailable';

/** TMDB's terms ask every app that uses its API to say so, in these words. */
export const TMDB_ATTRIBUTION = 'This product uses the TMDB API but is not endorsed or certified by TMDB.';
export const TMDB_UNAVAILABLE = 'Online film lookups (TMDB) are unavailable right now. Reelside’s own films and this server’s films still work: try again in a few minutes for the others.';

/** `memberReviews`: how many of this server's members reviewed it (undefined outside a server, or when unknown). */
export function buildFilmReply(film: AnyFilm, serverRating: ServerRating, memberReviews?: number): InteractionReplyOptions {
  return { embeds: [buildAnyFilmEmbed(film, serverRating, memberReviews)], allowedMentions: NO_MENTIONS };
}

export function buildAnyFilmEmbed(film: AnyFilm, serverRating: ServerRating, memberReviews?: number): APIEmbed {
  switch (film.source) {
    case 'bundled':
      return buildFilmEmbed(film.film, serverRating, memberReviews);
    case 'server':
      return buildServerFilmEmbed(film.film, serverRating, memberReviews);
    case 'tmdb':
      return buildTmdbFilmEmbed(film.film, serverRating, memberReviews);
  }
}

function memberReviewsLine(count: number, film: Pick<Titled, 'title'>): string {
  return count > 0 ? `📝 ${countOf(count, 'member review')}: \`/reviews film:${film.title}\`` : `📝 No member reviews yet: \`/review film:${film.title}\` writes one.`;
}

/** A film a server added: what its members typed in, and who added it. */
export function buildServerFilmEmbed(film: ServerFilm, serverRating: ServerRating, memberReviews?: number): APIEmbed {
  const fields = [
    ...(film.runtimeMinutes ? [{ name: 'Runtime', value: `${film.runtimeMinutes} min`, inline: true }] : []),
    ...(film.directors.length > 0 ? [{ name: plural('Director', film.directors), value: film.directors.join(', '), inline: true }] : []),
    { name: 'This server', value: serverRatingText(film, serverRating, memberReviews) },
  ];
  return safeEmbed({
    title: filmLabel(film),
    description: film.synopsis ?? 'No synopsis yet: a moderator can add one with `/films edit`.',
    color: FILM_COLOUR,
    fields,
    footer: { text: `Added to this server by ${film.addedBy.name}` },
  });
}

/** A film from TMDB: its credits and overview, TMDB's users' average labelled as theirs, and TMDB's credit line. */
export function buildTmdbFilmEmbed(film: TmdbMovieCard, serverRating: ServerRating, memberReviews?: number): APIEmbed {
  const fields = [
    ...(film.runtimeMinutes ? [{ name: 'Runtime', value: `${film.runtimeMinutes} min`, inline: true }] : []),
    ...(film.directors.length > 0 ? [{ name: plural('Director', film.directors), value: film.directors.join(', '), inline: true }] : []),
    ...(film.genres.length > 0 ? [{ name: plural('Genre', film.genres), value: film.genres.join(', '), inline: true }] : []),
    ...(film.cast.length > 0 ? [{ name: 'Cast', value: film.cast.map((member) => (member.role ? `**${member.name}** as ${member.role}` : `**${member.name}**`)).join('\n') }] : []),
    { name: 'TMDB users', value: film.voteCount > 0 ? `${film.voteAverage.toFixed(1)}/10 from ${countOf(film.voteCount, 'vote')}` : 'No votes on TMDB yet' },
    { name: 'This server', value: serverRatingText(film, serverRating, memberReviews) },
  ];
  return safeEmbed({
    title: filmLabel(film),
    url: `https://www.themoviedb.org/movie/${film.tmdbId}`,
    description: film.synopsis ?? 'TMDB has no overview of this film yet.',
    color: FILM_COLOUR,
    fields,
    footer: { text: TMDB_ATTRIBUTION },
  });
}

export function buildFilmEmbed(film: Film, serverRating: ServerRating, memberReviews?: number): APIEmbed {
  const fields = [
    { name: 'Runtime', value: `${film.runtimeMinutes} min`, inline: true },
    { name: plural('Director', film.directors), value: film.directors.join(', '), inline: true },
    { name: plural('Writer', film.writers), value: film.writers.join(', '), inline: true },
    { name: 'Cast', value: film.cast.map((member) => (member.role ? `**${member.name}** as ${member.role}` : `**${member.name}**`)).join('\n') },
  ];
  const crew = crewLines(film);
  if (crew.length > 0) fields.push({ name: 'Crew', value: crew.join('\n') });
  const access = accessibilityLine(film);
  if (access) fields.push({ name: 'Accessibility', value: access });
  if (film.reviews.length > 0) fields.push({ name: 'Critics', value: film.reviews.map(criticLine).join('\n') });
  fields.push({ name: 'This server', value: serverRatingText(film, serverRating, memberReviews) });

  const footer = [film.rating && `Rated ${film.rating}`, ...(film.format ?? []), film.releaseNote].filter(Boolean).join(' · ');
  return safeEmbed({
    title: filmLabel(film),
    description: `*${film.logline}*\n\n${film.synopsis}`,
    color: FILM_COLOUR,
    fields,
    ...(footer ? { footer: { text: footer } } : {}),
  });
}

/** `memberReviews`: how many of this server's members reviewed it (undefined outside a server, or when unknown). */
export function serverRatingText(film: Pick<Titled, 'title'>, summary: ServerRating, memberReviews?: number): string {
  const reviews = memberReviews === undefined ? '' : `\n${memberReviewsLine(memberReviews, film)}`;
  if (summary === 'unavailable') return `Ratings can’t be read right now: try again in a moment.${reviews}`;
  if (!summary) return `Not rated here yet: be the first with \`/rate film:${film.title}\`.${reviews}`;
  return `${starBar(summary.average)} **${summary.average.toFixed(1)}** from ${countOf(summary.count, 'rating')}\n${histogram(summary)}${reviews}`;
}

/** A text histogram, 5★ at the top, bars scaled to the most common rating. */
export function histogram(summary: RatingSummary): string {
  const most = Math.max(...summary.histogram.map((row) => row.count));
  const rows = [...summary.histogram].reverse().map(({ stars, count }) => {
    const bar = countBar(count, most);
    return `${formatStars(stars).padStart(3)} ${bar.padEnd(10)} ${count}`;
  });
  return `\`\`\`\n${rows.join('\n')}\n\`\`\``;
}

export function buildUnknownFilmMessage(typed: string, suggestions: Pick<Titled, 'title' | 'year'>[], tmdbUnavailable = false): string {
  const text = typed.trim();
  if (text === '') return 'Type a film title, for example `/film title:Her Smell`, and pick it from the suggestions.';
  const ideas = suggestions.map((film) => `**${filmLabel(film)}**`).join(', ');
  const offline = tmdbUnavailable ? ' Online film lookups (TMDB) are unavailable right now, so only Reelside’s own films and this server’s were searched.' : '';
  return `I don't know a film called “${quoteUserText(text, 80)}”.${ideas ? ` Did you mean ${ideas}?` : ''} Pick a title from the suggestions as you type.${offline}`;
}

function crewLines(film: Film): string[] {
  const crew = film.crew ?? {};
  const roles: [string, string | string[] | undefined][] = [
    ['Original score', crew.composer],
    ['Cinematography', crew.cinematographer],
    ['Editing', crew.editor],
  ];
  return roles.filter(([, who]) => who && who.length > 0).map(([role, who]) => `${role}: ${[who].flat().join(', ')}`);
}

function accessibilityLine(film: Film): string | undefined {
  return film.accessibility?.closedCaptions ? 'Closed captions available' : undefined;
}

function criticLine(review: Film['reviews'][number]): string {
  const rating = review.rating ? formatCriticRating(review.rating, { withScale: true }) : 'no star rating';
  return `${rating} · ${reviewCredit(review)}`;
}

export function reviewCredit(review: Film['reviews'][number]): string {
  if (review.unsigned || !review.author) return review.outlet ? `Unsigned review, ${review.outlet}` : 'Unsigned review';
  return review.outlet ? `${review.author}, ${review.outlet}` : review.author;
}

function plural(word: string, list: unknown[]): string {
  return list.length === 1 ? word : `${word}s`;
}

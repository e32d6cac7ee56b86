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
import { formatNumber, type Translator } from '../i18n';
import type { RatingSummary } from '../ratingSummary';

export const FILM_COLOUR = 0xc0392b;

/**
 * `'unavailable'` when storage could not be read: the card is shown without the server's rating.
 * `'no-server'` where no server that added Reelside is (a DM, a server where Reelside is only
 * user-installed): ratings are kept by servers, so the card has no "This server" field at all.
 */
export type ServerRating = RatingSummary | undefined | 'unavailable' | 'no-server';

/** TMDB's terms ask every app that uses its API to say so, in these words. */
export const TMDB_ATTRIBUTION = 'This product uses the TMDB API but is not endorsed or certified by TMDB.';

/** `memberReviews`: how many of this server's members reviewed it (undefined outside a server, or when unknown). */
export function buildFilmReply(t: Translator, film: AnyFilm, serverRating: ServerRating, memberReviews?: number): InteractionReplyOptions {
  return { embeds: [buildAnyFilmEmbed(t, film, serverRating, memberReviews)], allowedMentions: NO_MENTIONS };
}

export function buildAnyFilmEmbed(t: Translator, film: AnyFilm, serverRating: ServerRating, memberReviews?: number): APIEmbed {
  switch (film.source) {
    case 'bundled':
      return buildFilmEmbed(t, film.film, serverRating, memberReviews);
    case 'server':
      return buildServerFilmEmbed(t, film.film, serverRating, memberReviews);
    case 'tmdb':
      return buildTmdbFilmEmbed(t, film.film, serverRating, memberReviews);
  }
}

function memberReviewsLine(t: Translator, count: number, film: Pick<Titled, 'title'>): string {
  return count > 0 ? `📝 ${t('film.memberReviews', { reviews: countOf(t, count, 'member review'), title: film.title })}` : `📝 ${t('film.noMemberReviews', { title: film.title })}`;
}

const runtime = (t: Translator, minutes: number) => t('film.minutes', { minutes });
const castLine = (t: Translator, member: { name: string; role?: string | undefined }) => (member.role ? t('film.castAs', { name: member.name, role: member.role }) : `**${member.name}**`);

/** A film a server added: what its members typed in, and who added it. */
export function buildServerFilmEmbed(t: Translator, film: ServerFilm, serverRating: ServerRating, memberReviews?: number): APIEmbed {
  const fields = [
    ...(film.runtimeMinutes ? [{ name: t('film.runtime'), value: runtime(t, film.runtimeMinutes), inline: true }] : []),
    ...(film.directors.length > 0 ? [{ name: t('film.directors', { count: film.directors.length }), value: film.directors.join(', '), inline: true }] : []),
    ...serverField(t, film, serverRating, memberReviews),
  ];
  return safeEmbed({
    title: filmLabel(film),
    description: film.synopsis ?? t('film.noSynopsis'),
    color: FILM_COLOUR,
    fields,
    footer: { text: t('film.addedBy', { name: film.addedBy.name }) },
  });
}

/** A film from TMDB: its credits and overview, TMDB's users' average labelled as theirs, and TMDB's credit line. */
export function buildTmdbFilmEmbed(t: Translator, film: TmdbMovieCard, serverRating: ServerRating, memberReviews?: number): APIEmbed {
  const fields = [
    ...(film.runtimeMinutes ? [{ name: t('film.runtime'), value: runtime(t, film.runtimeMinutes), inline: true }] : []),
    ...(film.directors.length > 0 ? [{ name: t('film.directors', { count: film.directors.length }), value: film.directors.join(', '), inline: true }] : []),
    ...(film.genres.length > 0 ? [{ name: t('film.genres', { count: film.genres.length }), value: film.genres.join(', '), inline: true }] : []),
    ...(film.cast.length > 0 ? [{ name: t('film.cast'), value: film.cast.map((member) => castLine(t, member)).join('\n') }] : []),
    {
      name: t('film.tmdbUsers'),
      value: film.voteCount > 0 ? t('film.tmdbAverage', { average: formatNumber(t, film.voteAverage, 1), votes: countOf(t, film.voteCount, 'vote') }) : t('film.tmdbNoVotes'),
    },
    ...serverField(t, film, serverRating, memberReviews),
  ];
  return safeEmbed({
    title: filmLabel(film),
    url: `https://www.themoviedb.org/movie/${film.tmdbId}`,
    description: film.synopsis ?? t('film.tmdbNoOverview'),
    color: FILM_COLOUR,
    fields,
    footer: { text: TMDB_ATTRIBUTION },
  });
}

export function buildFilmEmbed(t: Translator, film: Film, serverRating: ServerRating, memberReviews?: number): APIEmbed {
  const fields = [
    { name: t('film.runtime'), value: runtime(t, film.runtimeMinutes), inline: true },
    { name: t('film.directors', { count: film.directors.length }), value: film.directors.join(', '), inline: true },
    { name: t('film.writers', { count: film.writers.length }), value: film.writers.join(', '), inline: true },
    { name: t('film.cast'), value: film.cast.map((member) => castLine(t, member)).join('\n') },
  ];
  const crew = crewLines(t, film);
  if (crew.length > 0) fields.push({ name: t('film.crew'), value: crew.join('\n') });
  if (film.accessibility?.closedCaptions) fields.push({ name: t('film.accessibility'), value: t('film.closedCaptions') });
  if (film.reviews.length > 0) fields.push({ name: t('film.critics'), value: film.reviews.map((review) => criticLine(t, review)).join('\n') });
  fields.push(...serverField(t, film, serverRating, memberReviews));

  const footer = [film.rating && t('film.rated', { rating: film.rating }), ...(film.format ?? []), film.releaseNote].filter(Boolean).join(' · ');
  // A translated logline and synopsis where the dataset gives them; English otherwise.
  const words = t.locale === 'en' ? undefined : film.translations?.[t.locale];
  return safeEmbed({
    title: filmLabel(film),
    description: `*${words?.logline ?? film.logline}*\n\n${words?.synopsis ?? film.synopsis}`,
    color: FILM_COLOUR,
    fields,
    ...(footer ? { footer: { text: footer } } : {}),
  });
}

function serverField(t: Translator, film: Pick<Titled, 'title'>, summary: ServerRating, memberReviews?: number): { name: string; value: string }[] {
  return summary === 'no-server' ? [] : [{ name: t('film.thisServer'), value: serverRatingText(t, film, summary, memberReviews) }];
}

/** `memberReviews`: how many of this server's members reviewed it (undefined outside a server, or when unknown). */
export function serverRatingText(t: Translator, film: Pick<Titled, 'title'>, summary: Exclude<ServerRating, 'no-server'>, memberReviews?: number): string {
  const reviews = memberReviews === undefined ? '' : `\n${memberReviewsLine(t, memberReviews, film)}`;
  if (summary === 'unavailable') return `${t('film.ratingsUnavailable')}${reviews}`;
  if (!summary) return `${t('film.notRated', { title: film.title })}${reviews}`;
  return `${starBar(summary.average)} ${t('film.averageFrom', { average: formatNumber(t, summary.average, 1), ratings: countOf(t, summary.count, 'rating') })}\n${histogram(summary)}${reviews}`;
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

export function buildUnknownFilmMessage(t: Translator, typed: string, suggestions: Pick<Titled, 'title' | 'year'>[], tmdbUnavailable = false): string {
  const text = typed.trim();
  if (text === '') return t('film.typeATitle');
  const ideas = suggestions.map((film) => `**${filmLabel(film)}**`).join(', ');
  return [
    t('film.unknown', { typed: quoteUserText(text, 80) }),
    ...(ideas ? [t('film.didYouMean', { ideas })] : []),
    t('film.pickFromSuggestions'),
    ...(tmdbUnavailable ? [t('film.tmdbOfflineSearched')] : []),
  ].join(' ');
}

function crewLines(t: Translator, film: Film): string[] {
  const crew = film.crew ?? {};
  const roles: [string, string | string[] | undefined][] = [
    ['film.score', crew.composer],
    ['film.cinematography', crew.cinematographer],
    ['film.editing', crew.editor],
  ];
  return roles.filter(([, who]) => who && who.length > 0).map(([role, who]) => t(role, { names: [who].flat().join(', ') }));
}

function criticLine(t: Translator, review: Film['reviews'][number]): string {
  const rating = review.rating ? formatCriticRating(review.rating, { withScale: true }) : t('film.noStarRating');
  return `${rating} · ${reviewCredit(t, review)}`;
}

export function reviewCredit(t: Translator, review: Film['reviews'][number]): string {
  if (review.unsigned || !review.author) return review.outlet ? t('film.unsignedIn', { outlet: review.outlet }) : t('film.unsigned');
  return review.outlet ? `${review.author}, ${review.outlet}` : review.author;
}

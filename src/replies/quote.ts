// Pure builder for a posted critic's excerpt.
import type { APIEmbed } from 'discord.js';
import type { DrawnQuote } from '../films/quotes';
import type { Film } from '../data/schema';
import { filmLabel, type Titled } from '../data/catalog';
import { NO_MENTIONS, safeEmbed } from '../discord/payload';
import { formatCriticRating, formatStars } from '../stars';
import { FILM_COLOUR, reviewCredit } from './film';
import { asWritten } from './reviews';
import type { Translator } from '../i18n';

/**
 * Also posted by itself as the daily quote, so it is plain embeds, usable as either. `t`: the
 * language the credit and footer are in (the server's; the critic's excerpt is never translated).
 */
export function buildQuoteReply(t: Translator, film: Film, review: Film['reviews'][number], excerpt: string): { embeds: APIEmbed[]; allowedMentions: typeof NO_MENTIONS } {
  const rating = review.rating ? ` · ${formatCriticRating(review.rating)}` : '';
  return {
    embeds: [
      safeEmbed({
        author: { name: `${reviewCredit(t, review)}${rating}` },
        description: excerpt.split('\n').map((line) => `> ${line}`).join('\n'),
        color: FILM_COLOUR,
        footer: { text: t('quote.on', { film: filmLabel(film) }) },
      }),
    ],
    allowedMentions: NO_MENTIONS,
  };
}

/** A film without critics' excerpts: say so, and name the films that have them. */
export function buildNoQuotesMessage(t: Translator, film: Pick<Titled, 'title' | 'year'> | undefined, quotable: Pick<Titled, 'title' | 'year'>[], memberQuotes = false): string {
  const which = film ? t(memberQuotes ? 'quote.noneForFilmYet' : 'quote.noneForFilm', { label: filmLabel(film) }) : t('quote.noneAtAll');
  if (quotable.length === 0) return which;
  const shown = quotable.slice(0, 10);
  const names = shown.map((candidate) => `**${filmLabel(candidate)}**`).join(', ');
  const more = quotable.length - shown.length;
  const kept = more > 0 ? t('quote.keptForMore', { names, more, title: shown[0]!.title }) : t('quote.keptFor', { names, title: shown[0]!.title });
  return `${which} ${kept}`;
}

/** Either kind of quote: a critic's excerpt, or a line from a member's review credited to them by name. */
export function buildDrawnQuote(t: Translator, drawn: DrawnQuote): { embeds: APIEmbed[]; allowedMentions: typeof NO_MENTIONS } {
  if (drawn.kind === 'critic') return buildQuoteReply(t, drawn.film, drawn.review, drawn.excerpt);
  return {
    embeds: [
      safeEmbed({
        // A display name is the member's own words: shown as written, never as markdown or a mention.
        author: { name: t('quote.memberCredit', { name: drawn.review.displayName, stars: formatStars(drawn.review.stars) }) },
        description: asWritten(drawn.excerpt).split('\n').map((line) => `> ${line}`).join('\n'),
        color: FILM_COLOUR,
        footer: { text: t('quote.on', { film: filmLabel(drawn.film) }) },
      }),
    ],
    allowedMentions: NO_MENTIONS,
  };
}

// Pure builder for a posted critic's excerpt.
import type { APIEmbed } from 'discord.js';
import type { DrawnQuote } from '../films/quotes';
import type { Film } from '../data/schema';
import { filmLabel, type Titled } from '../data/catalog';
import { NO_MENTIONS, safeEmbed } from '../discord/payload';
import { formatCriticRating, formatStars } from '../stars';
import { FILM_COLOUR, reviewCredit } from './film';
import { asWritten } from './reviews';

/** Also posted by itself as the daily quote, so it is plain embeds, usable as either. */
export function buildQuoteReply(film: Film, review: Film['reviews'][number], excerpt: string): { embeds: APIEmbed[]; allowedMentions: typeof NO_MENTIONS } {
  const rating = review.rating ? ` · ${formatCriticRating(review.rating)}` : '';
  return {
    embeds: [
      safeEmbed({
        author: { name: `${reviewCredit(review)}${rating}` },
        description: excerpt.split('\n').map((line) => `> ${line}`).join('\n'),
        color: FILM_COLOUR,
        footer: { text: `on ${filmLabel(film)}` },
      }),
    ],
    allowedMentions: NO_MENTIONS,
  };
}

/** A film without critics' excerpts: say so, and name the films that have them. */
export function buildNoQuotesMessage(film: Pick<Titled, 'title' | 'year'> | undefined, quotable: Pick<Titled, 'title' | 'year'>[], memberQuotes = false): string {
  const which = film
    ? memberQuotes
      ? `**${filmLabel(film)}** has no critics’ quotes in Reelside and no member review to quote yet (\`/review\` writes one).`
      : `**${filmLabel(film)}** has no critics’ quotes in Reelside.`
    : 'Reelside has no critics’ quotes yet.';
  if (quotable.length === 0) return which;
  const shown = quotable.slice(0, 10);
  const names = shown.map((candidate) => `**${filmLabel(candidate)}**`).join(', ');
  const more = quotable.length > shown.length ? ` and ${quotable.length - shown.length} more` : '';
  return `${which} Quotes are kept for ${names}${more}: try \`/quote film:${shown[0]!.title}\`.`;
}

/** Either kind of quote: a critic's excerpt, or a line from a member's review credited to them by name. */
export function buildDrawnQuote(drawn: DrawnQuote): { embeds: APIEmbed[]; allowedMentions: typeof NO_MENTIONS } {
  if (drawn.kind === 'critic') return buildQuoteReply(drawn.film, drawn.review, drawn.excerpt);
  return {
    embeds: [
      safeEmbed({
        // A display name is the member's own words: shown as written, never as markdown or a mention.
        author: { name: `${drawn.review.displayName} · ${formatStars(drawn.review.stars)} · a member of this server` },
        description: asWritten(drawn.excerpt).split('\n').map((line) => `> ${line}`).join('\n'),
        color: FILM_COLOUR,
        footer: { text: `on ${filmLabel(drawn.film)}` },
      }),
    ],
    allowedMentions: NO_MENTIONS,
  };
}

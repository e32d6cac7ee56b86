// Pure builder for a posted critic's excerpt.
import type { APIEmbed } from 'discord.js';
import type { Film } from '../data/schema';
import { filmLabel, type Titled } from '../data/catalog';
import { NO_MENTIONS, safeEmbed } from '../discord/payload';
import { formatCriticRating } from '../stars';
import { FILM_COLOUR, reviewCredit } from './film';

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
export function buildNoQuotesMessage(film: Pick<Titled, 'title' | 'year'> | undefined, quotable: Pick<Titled, 'title' | 'year'>[]): string {
  const which = film ? `**${filmLabel(film)}** has no critics’ quotes in Reelside.` : 'Reelside has no critics’ quotes yet.';
  if (quotable.length === 0) return which;
  const shown = quotable.slice(0, 10);
  const names = shown.map((candidate) => `**${filmLabel(candidate)}**`).join(', ');
  const more = quotable.length > shown.length ? ` and ${quotable.length - shown.length} more` : '';
  return `${which} Quotes are kept for ${names}${more}: try \`/quote film:${shown[0]!.title}\`.`;
}

// Pure builder for a posted critic's excerpt.
import type { InteractionReplyOptions } from 'discord.js';
import type { Film } from '../data/schema';
import { filmLabel } from '../data/catalog';
import { NO_MENTIONS, safeEmbed } from '../discord/payload';
import { formatStars } from '../stars';
import { FILM_COLOUR, reviewCredit } from './film';

export function buildQuoteReply(film: Film, review: Film['reviews'][number], excerpt: string): InteractionReplyOptions {
  const rating = review.rating ? ` · ${formatStars((review.rating.stars / review.rating.outOf) * 5)}` : '';
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

// Pure builder for a posted critic's excerpt.
import type { InteractionReplyOptions } from 'discord.js';
import type { Film } from '../data/schema';
import { filmLabel } from '../data/catalog';
import { NO_MENTIONS, safeEmbed } from '../discord/payload';
import { formatCriticRating } from '../stars';
import { FILM_COLOUR, reviewCredit } from './film';

export function buildQuoteReply(film: Film, review: Film['reviews'][number], excerpt: string): InteractionReplyOptions {
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

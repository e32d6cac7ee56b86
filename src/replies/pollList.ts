// Pure builder for `/watchparty status`: the open polls with links and their tallies.
import type { InteractionReplyOptions } from 'discord.js';
import { filmLabel } from '../data/catalog';
import { NO_MENTIONS, safeEmbed } from '../discord/payload';
import type { AnyPoll, Poll } from '../storage/polls';
import { ratingCount } from '../ratingSummary';
import { FILM_COLOUR } from './film';
import type { FilmTitle } from './poll';
import { countOf } from './plural';

export function buildOpenPollsList(polls: AnyPoll[], filmOf: (poll: Poll) => FilmTitle): InteractionReplyOptions {
  if (polls.length === 0) {
    return { content: 'No polls are open in this server. Start one with `/watchparty start film:`.', allowedMentions: NO_MENTIONS };
  }
  const lines = polls.map((poll) => {
    const where = poll.messageId ? `https://discord.com/channels/${poll.guildId}/${poll.channelId}/${poll.messageId}` : `<#${poll.channelId}>`;
    const votes = countOf(ratingCount(poll.tally), 'vote');
    const what = 'candidates' in poll ? `**Vote on the next film** (${countOf(poll.candidates.length, 'film')}) · ${votes}` : `**${filmLabel(filmOf(poll))}** · ${votes}${poll.blind ? ' (blind)' : ''}`;
    return `${what} · closes <t:${Math.floor(poll.closesAt / 1000)}:R> · ${where}`;
  });
  return { embeds: [safeEmbed({ title: 'Open polls', description: lines.join('\n'), color: FILM_COLOUR })], allowedMentions: NO_MENTIONS };
}

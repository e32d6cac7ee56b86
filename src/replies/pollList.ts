// Pure builder for `/watchparty status`: the open polls with links and their tallies.
import type { InteractionReplyOptions } from 'discord.js';
import { filmLabel } from '../data/catalog';
import { NO_MENTIONS, safeEmbed } from '../discord/payload';
import type { AnyPoll, Poll } from '../storage/polls';
import { ratingCount } from '../ratingSummary';
import { FILM_COLOUR } from './film';
import type { FilmTitle } from './poll';
import type { Translator } from '../i18n';
import { countOf } from './plural';

export function buildOpenPollsList(t: Translator, polls: AnyPoll[], filmOf: (poll: Poll) => FilmTitle): InteractionReplyOptions {
  if (polls.length === 0) {
    return { content: t('poll.list.none'), allowedMentions: NO_MENTIONS };
  }
  const lines = polls.map((poll) => {
    const where = poll.messageId ? `https://discord.com/channels/${poll.guildId}/${poll.channelId}/${poll.messageId}` : `<#${poll.channelId}>`;
    const votes = countOf(t, ratingCount(poll.tally), 'vote');
    const what =
      'candidates' in poll
        ? t('poll.list.pick', { films: countOf(t, poll.candidates.length, 'film'), votes })
        : t(poll.blind ? 'poll.list.blind' : 'poll.list.rating', { film: filmLabel(filmOf(poll)), votes });
    return t('poll.list.line', { what, at: Math.floor(poll.closesAt / 1000), where });
  });
  return { embeds: [safeEmbed({ title: t('poll.list.title'), description: lines.join('\n'), color: FILM_COLOUR })], allowedMentions: NO_MENTIONS };
}

// Pure builders for watch-party poll messages: open (live tally or blind) and closed (results).
import {
  type APIActionRowComponent,
  type APIComponentInMessageActionRow,
  type APIEmbed,
  ButtonStyle,
  ComponentType,
} from 'discord.js';
import { buildCustomId } from '../components/customId';
import { filmLabel, type Titled } from '../data/catalog';
import { NO_MENTIONS, safeEmbed } from '../discord/payload';
import { formatStars, STAR_VALUES, starBar, starOptionValue } from '../stars';
import type { Poll } from '../storage/polls';
import { ratingCount, summariseTally } from '../ratingSummary';
import { formatNumber, type Translator } from '../i18n';
import { FILM_COLOUR, histogram } from './film';
import { countOf } from './plural';

export interface PollMessage {
  embeds: APIEmbed[];
  components: APIActionRowComponent<APIComponentInMessageActionRow>[];
  allowedMentions: typeof NO_MENTIONS;
}

/** A time as Discord's `<t:…>` timestamps take it. */
export const seconds = (ms: number) => Math.floor(ms / 1000);

/** A poll names its film as it was called when the poll opened. */
export type FilmTitle = Pick<Titled, 'title' | 'year'>;

/** Drawn in `t`'s language: the one the poll was posted in, kept with it, so every edit keeps it. */
export function buildPollMessage(t: Translator, poll: Poll, film: FilmTitle): PollMessage {
  return poll.status === 'open' ? buildOpenPoll(t, poll, film) : buildClosedPoll(t, poll, film);
}

function buildOpenPoll(t: Translator, poll: Poll, film: FilmTitle): PollMessage {
  const summary = summariseTally(poll.tally);
  const tally = poll.blind
    ? t('poll.blindSoFar', { votes: countOf(t, ratingCount(poll.tally), 'vote') })
    : summary
      ? t('poll.soFar', { votes: countOf(t, summary.count, 'vote'), bar: starBar(summary.average), average: formatNumber(t, summary.average, 1) })
      : t('poll.noVotes');
  return {
    embeds: [
      safeEmbed({
        title: t('poll.title', { title: film.title }),
        description: [
          t('poll.howDidYouLike', { film: filmLabel(film) }),
          t('poll.closesHostedBy', { at: seconds(poll.closesAt), host: poll.hostId }),
          '',
          tally,
        ].join('\n'),
        color: FILM_COLOUR,
        footer: { text: t('poll.footer', { id: poll.id }) },
      }),
    ],
    components: [
      {
        type: ComponentType.ActionRow,
        components: [
          {
            type: ComponentType.StringSelect,
            custom_id: buildCustomId({ kind: 'poll-vote', pollId: poll.id }),
            placeholder: t('poll.yourRating'),
            options: [...STAR_VALUES].reverse().map((stars) => ({ label: `${formatStars(stars)} ${starBar(stars)}`, value: starOptionValue(stars) })),
          },
        ],
      },
      {
        type: ComponentType.ActionRow,
        components: [{ type: ComponentType.Button, style: ButtonStyle.Danger, label: t('poll.endButton'), custom_id: buildCustomId({ kind: 'poll-end', pollId: poll.id }) }],
      },
    ],
    allowedMentions: NO_MENTIONS,
  };
}

function buildClosedPoll(t: Translator, poll: Poll, film: FilmTitle): PollMessage {
  const summary = summariseTally(poll.tally);
  const closedAt = seconds(poll.closedAt ?? poll.closesAt);
  const result = summary
    ? `${t('poll.averageFrom', { bar: starBar(summary.average), average: formatNumber(t, summary.average, 1), votes: countOf(t, summary.count, 'vote') })}\n${histogram(summary)}`
    : t('poll.nobodyVoted');
  return {
    embeds: [
      safeEmbed({
        title: t('poll.resultsTitle', { title: film.title }),
        description: [t('poll.closedOn', { film: filmLabel(film), at: closedAt }), '', result].join('\n'),
        color: FILM_COLOUR,
        footer: { text: t('poll.footer', { id: poll.id }) },
      }),
    ],
    components: [],
    allowedMentions: NO_MENTIONS,
  };
}

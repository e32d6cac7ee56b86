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
import { FILM_COLOUR, histogram } from './film';
import { countOf } from './plural';

export interface PollMessage {
  embeds: APIEmbed[];
  components: APIActionRowComponent<APIComponentInMessageActionRow>[];
  allowedMentions: typeof NO_MENTIONS;
}

const seconds = (ms: number) => Math.floor(ms / 1000);

/** A poll names its film as it was called when the poll opened. */
export type FilmTitle = Pick<Titled, 'title' | 'year'>;

export function buildPollMessage(poll: Poll, film: FilmTitle): PollMessage {
  return poll.status === 'open' ? buildOpenPoll(poll, film) : buildClosedPoll(poll, film);
}

function buildOpenPoll(poll: Poll, film: FilmTitle): PollMessage {
  const summary = summariseTally(poll.tally);
  const tally = poll.blind
    ? `${count(ratingCount(poll.tally))} so far. This is a blind poll: the ratings are revealed when it closes.`
    : summary
      ? `${count(summary.count)} so far · ${starBar(summary.average)} **${summary.average.toFixed(1)}** average`
      : 'No votes yet: be the first.';
  return {
    embeds: [
      safeEmbed({
        title: `Rate ${film.title}`,
        description: [
          `How did you like **${filmLabel(film)}**? Pick your rating below; you can change it until the poll closes.`,
          `Closes <t:${seconds(poll.closesAt)}:R> (<t:${seconds(poll.closesAt)}:f>) · hosted by <@${poll.hostId}>`,
          '',
          tally,
        ].join('\n'),
        color: FILM_COLOUR,
        footer: { text: `Poll ${poll.id}` },
      }),
    ],
    components: [
      {
        type: ComponentType.ActionRow,
        components: [
          {
            type: ComponentType.StringSelect,
            custom_id: buildCustomId({ kind: 'poll-vote', pollId: poll.id }),
            placeholder: 'Your rating',
            options: [...STAR_VALUES].reverse().map((stars) => ({ label: `${formatStars(stars)} ${starBar(stars)}`, value: starOptionValue(stars) })),
          },
        ],
      },
      {
        type: ComponentType.ActionRow,
        components: [{ type: ComponentType.Button, style: ButtonStyle.Danger, label: 'End poll', custom_id: buildCustomId({ kind: 'poll-end', pollId: poll.id }) }],
      },
    ],
    allowedMentions: NO_MENTIONS,
  };
}

function buildClosedPoll(poll: Poll, film: FilmTitle): PollMessage {
  const summary = summariseTally(poll.tally);
  const closedAt = seconds(poll.closedAt ?? poll.closesAt);
  const result = summary
    ? `${starBar(summary.average)} **${summary.average.toFixed(1)}** average from ${count(summary.count)}\n${histogram(summary)}`
    : 'Nobody voted.';
  return {
    embeds: [
      safeEmbed({
        title: `Results: ${film.title}`,
        description: [`The watch-party poll on **${filmLabel(film)}** closed <t:${closedAt}:R>.`, '', result].join('\n'),
        color: FILM_COLOUR,
        footer: { text: `Poll ${poll.id}` },
      }),
    ],
    components: [],
    allowedMentions: NO_MENTIONS,
  };
}

const count = (n: number) => countOf(n, 'vote');

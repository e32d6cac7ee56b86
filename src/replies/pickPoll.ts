// Pure builders for pick poll messages: the open vote on the next film, and its result.
import { ButtonStyle, ComponentType } from 'discord.js';
import { buildCustomId } from '../components/customId';
import { filmLabel } from '../data/catalog';
import { NO_MENTIONS, safeEmbed, truncate } from '../discord/payload';
import { pickOutcome, runoffIdOf } from '../polls/pickOutcome';
import type { PickPoll } from '../storage/pickPolls';
import { ratingCount as votesIn } from '../ratingSummary';
import type { Translator } from '../i18n';
import { countBar } from './bars';
import { FILM_COLOUR } from './film';
import { scheduleItRow } from './pick';
import { countOf } from './plural';
import { type PollMessage, seconds } from './poll';


/** Drawn in `t`'s language: the one the vote was posted in, kept with it. */
export function buildPickMessage(t: Translator, poll: PickPoll): PollMessage {
  return poll.status === 'open' ? buildOpenPick(t, poll) : buildClosedPick(t, poll);
}

function buildOpenPick(t: Translator, poll: PickPoll): PollMessage {
  return {
    embeds: [
      safeEmbed({
        title: poll.runoffOf ? t('pick.runoffTitle') : t('pick.title'),
        description: [
          poll.runoffOf ? t('pick.runoffIntro') : t('pick.intro'),
          t('poll.closesHostedBy', { at: seconds(poll.closesAt), host: poll.hostId }),
          '',
          ranking(t, poll),
        ].join('\n'),
        color: FILM_COLOUR,
        footer: { text: t('pick.openFooter', { votes: countOf(t, votesIn(poll.tally), 'vote'), id: poll.id }) },
      }),
    ],
    components: [
      {
        type: ComponentType.ActionRow,
        components: [
          {
            type: ComponentType.StringSelect,
            custom_id: buildCustomId({ kind: 'poll-vote', pollId: poll.id }),
            placeholder: t('pick.yourPick'),
            options: poll.candidates.map((candidate, index) => ({ label: truncate(`${index + 1}. ${filmLabel(candidate.film)}`, 100), value: String(index) })),
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

function buildClosedPick(t: Translator, poll: PickPoll): PollMessage {
  const outcome = pickOutcome(poll);
  const closedAt = t('pick.closedWith', { at: seconds(poll.closedAt ?? poll.closesAt), votes: countOf(t, votesIn(poll.tally), 'vote') });
  const headline =
    outcome.kind === 'winner'
      ? t(outcome.byRunoffRule ? 'pick.winsByRunoffRule' : 'pick.wins', { film: filmLabel(outcome.candidate.film) })
      : outcome.kind === 'tie'
        ? t('pick.tie', { films: outcome.tied.map((candidate) => `**${filmLabel(candidate.film)}**`).join(', '), id: runoffIdOf(poll.id) })
        : t('pick.nobodyVoted');
  return {
    embeds: [
      safeEmbed({
        title: outcome.kind === 'winner' ? t('pick.nextFilm', { title: outcome.candidate.film.title }) : poll.runoffOf ? t('pick.runoffResults') : t('pick.results'),
        description: [headline, closedAt, '', ranking(t, poll)].join('\n'),
        color: FILM_COLOUR,
        footer: { text: t('poll.footer', { id: poll.id }) },
      }),
    ],
    // The winner can go straight onto the calendar.
    components: outcome.kind === 'winner' ? [scheduleItRow(t, outcome.candidate.filmId) as PollMessage['components'][number]] : [],
    allowedMentions: NO_MENTIONS,
  };
}

/** The candidates in their listed order, numbered as in the menu, each with its votes. */
function ranking(t: Translator, poll: PickPoll): string {
  const most = Math.max(...poll.tally);
  return poll.candidates
    .map((candidate, index) => {
      const votes = poll.tally[index] ?? 0;
      return `${index + 1}. **${filmLabel(candidate.film)}** ${countBar(votes, most)} ${countOf(t, votes, 'vote')}`;
    })
    .join('\n');
}

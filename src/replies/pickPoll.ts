// Pure builders for pick poll messages: the open vote on the next film, and its result.
import { ButtonStyle, ComponentType } from 'discord.js';
import { buildCustomId } from '../components/customId';
import { filmLabel } from '../data/catalog';
import { NO_MENTIONS, safeEmbed, truncate } from '../discord/payload';
import { pickOutcome, runoffIdOf } from '../polls/pickOutcome';
import type { PickPoll } from '../storage/pickPolls';
import { ratingCount as votesIn } from '../ratingSummary';
import { countBar } from './bars';
import { FILM_COLOUR } from './film';
import { scheduleItRow } from './pick';
import { countOf } from './plural';
import type { PollMessage } from './poll';

const seconds = (ms: number) => Math.floor(ms / 1000);

export function buildPickMessage(poll: PickPoll): PollMessage {
  return poll.status === 'open' ? buildOpenPick(poll) : buildClosedPick(poll);
}

function buildOpenPick(poll: PickPoll): PollMessage {
  const intro = poll.runoffOf ? 'The vote tied. Pick one of the tied films; if this ties too, the one suggested first wins.' : 'Pick the film you most want to watch next.';
  return {
    embeds: [
      safeEmbed({
        title: poll.runoffOf ? 'Runoff: what do we watch next?' : 'What do we watch next?',
        description: [
          `${intro} You can change your pick until the poll closes.`,
          `Closes <t:${seconds(poll.closesAt)}:R> (<t:${seconds(poll.closesAt)}:f>) · hosted by <@${poll.hostId}>`,
          '',
          ranking(poll),
        ].join('\n'),
        color: FILM_COLOUR,
        footer: { text: `${countOf(votesIn(poll.tally), 'vote')} · Poll ${poll.id}` },
      }),
    ],
    components: [
      {
        type: ComponentType.ActionRow,
        components: [
          {
            type: ComponentType.StringSelect,
            custom_id: buildCustomId({ kind: 'poll-vote', pollId: poll.id }),
            placeholder: 'Your pick',
            options: poll.candidates.map((candidate, index) => ({ label: truncate(`${index + 1}. ${filmLabel(candidate.film)}`, 100), value: String(index) })),
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

function buildClosedPick(poll: PickPoll): PollMessage {
  const outcome = pickOutcome(poll);
  const closedAt = `Closed <t:${seconds(poll.closedAt ?? poll.closesAt)}:R> with ${countOf(votesIn(poll.tally), 'vote')}.`;
  const headline =
    outcome.kind === 'winner'
      ? `**${filmLabel(outcome.candidate.film)}** wins${outcome.byRunoffRule ? ': the runoff tied too, and it was suggested first' : ''}.`
      : outcome.kind === 'tie'
        ? `A tie between ${outcome.tied.map((candidate) => `**${filmLabel(candidate.film)}**`).join(', ')}: a runoff among them is open below (poll ${runoffIdOf(poll.id)}).`
        : 'Nobody voted, so there is no winner.';
  return {
    embeds: [
      safeEmbed({
        title: outcome.kind === 'winner' ? `Next film: ${outcome.candidate.film.title}` : poll.runoffOf ? 'Runoff results' : 'Pick results',
        description: [headline, closedAt, '', ranking(poll)].join('\n'),
        color: FILM_COLOUR,
        footer: { text: `Poll ${poll.id}` },
      }),
    ],
    // The winner can go straight onto the calendar.
    components: outcome.kind === 'winner' ? [scheduleItRow(outcome.candidate.filmId) as PollMessage['components'][number]] : [],
    allowedMentions: NO_MENTIONS,
  };
}

/** The candidates in their listed order, numbered as in the menu, each with its votes. */
function ranking(poll: PickPoll): string {
  const most = Math.max(...poll.tally);
  return poll.candidates
    .map((candidate, index) => {
      const votes = poll.tally[index] ?? 0;
      return `${index + 1}. **${filmLabel(candidate.film)}** ${countBar(votes, most)} ${countOf(votes, 'vote')}`;
    })
    .join('\n');
}

// Pure builders for choosing the next film: the "Schedule it" form, and a film drawn at random.
import { type APIModalInteractionResponseCallbackData, ButtonStyle, ComponentType, type InteractionReplyOptions, TextInputStyle } from 'discord.js';
import { buildCustomId } from '../components/customId';
import { filmLabel, type Titled } from '../data/catalog';
import { NO_MENTIONS, safeEmbed } from '../discord/payload';
import { FILM_COLOUR } from './film';

/** The inputs of the "Schedule it" form. */
export const SCHEDULE_FIELDS = { when: 'when', length: 'length' } as const;

export function buildScheduleModal(filmId: string): APIModalInteractionResponseCallbackData {
  return {
    custom_id: buildCustomId({ kind: 'schedule-form', filmId }),
    title: 'Schedule the watch party',
    components: [
      {
        type: ComponentType.Label,
        label: 'When',
        description: 'In the server’s time zone: friday 20:30, tomorrow 8pm, 2026-12-05 20:30, in 2h',
        component: { type: ComponentType.TextInput, custom_id: SCHEDULE_FIELDS.when, style: TextInputStyle.Short, required: true, min_length: 1, max_length: 100, placeholder: 'friday 20:30' },
      },
      {
        type: ComponentType.Label,
        label: 'Minutes until the rating poll opens',
        description: 'Leave empty for the film’s runtime',
        component: { type: ComponentType.TextInput, custom_id: SCHEDULE_FIELDS.length, style: TextInputStyle.Short, required: false, max_length: 3, placeholder: '120' },
      },
    ],
  };
}

/** A "Schedule it" button row for a chosen film. */
export function scheduleItRow(filmId: string): NonNullable<InteractionReplyOptions['components']>[number] {
  return {
    type: ComponentType.ActionRow,
    components: [{ type: ComponentType.Button, style: ButtonStyle.Primary, label: 'Schedule it', custom_id: buildCustomId({ kind: 'schedule-film', filmId }) }],
  };
}

export function buildRandomPick(film: Pick<Titled, 'title' | 'year'>, filmId: string, suggestedBy: string, unwatched: number): InteractionReplyOptions {
  return {
    embeds: [
      safeEmbed({
        title: `Next film: ${film.title}`,
        description: `Drawn at random from ${unwatched === 1 ? 'the one unwatched film' : `${unwatched} unwatched films`} on the watchlist: **${filmLabel(film)}**, suggested by <@${suggestedBy}>.`,
        color: FILM_COLOUR,
      }),
    ],
    components: [scheduleItRow(filmId)],
    allowedMentions: NO_MENTIONS,
  };
}

// Pure builders for choosing the next film: the "Schedule it" form, and a film drawn at random.
import { type APIModalInteractionResponseCallbackData, ButtonStyle, ComponentType, type InteractionReplyOptions, TextInputStyle } from 'discord.js';
import { buildCustomId } from '../components/customId';
import { filmLabel, type Titled } from '../data/catalog';
import { NO_MENTIONS, safeEmbed } from '../discord/payload';
import type { Translator } from '../i18n';
import { FILM_COLOUR } from './film';

/** The inputs of the "Schedule it" form. */
export const SCHEDULE_FIELDS = { when: 'when', length: 'length' } as const;

/** The form only the member fills in: in their language, which `when` is read in too (or English, see schedule/time). */
export function buildScheduleModal(t: Translator, filmId: string): APIModalInteractionResponseCallbackData {
  return {
    custom_id: buildCustomId({ kind: 'schedule-form', filmId }),
    title: t('pick.form.title'),
    components: [
      {
        type: ComponentType.Label,
        label: t('pick.form.when'),
        description: t('pick.form.whenHelp'),
        component: { type: ComponentType.TextInput, custom_id: SCHEDULE_FIELDS.when, style: TextInputStyle.Short, required: true, min_length: 1, max_length: 100, placeholder: t('pick.form.whenPlaceholder') },
      },
      {
        type: ComponentType.Label,
        label: t('pick.form.length'),
        description: t('pick.form.lengthHelp'),
        component: { type: ComponentType.TextInput, custom_id: SCHEDULE_FIELDS.length, style: TextInputStyle.Short, required: false, max_length: 3, placeholder: '120' },
      },
    ],
  };
}

/** A "Schedule it" button row for a chosen film. */
export function scheduleItRow(t: Translator, filmId: string): NonNullable<InteractionReplyOptions['components']>[number] {
  return {
    type: ComponentType.ActionRow,
    components: [{ type: ComponentType.Button, style: ButtonStyle.Primary, label: t('pick.scheduleIt'), custom_id: buildCustomId({ kind: 'schedule-film', filmId }) }],
  };
}

export function buildRandomPick(t: Translator, film: Pick<Titled, 'title' | 'year'>, filmId: string, suggestedBy: string, unwatched: number): InteractionReplyOptions {
  return {
    embeds: [
      safeEmbed({
        title: t('pick.nextFilm', { title: film.title }),
        description: t('pick.drawnAtRandom', { count: unwatched, film: filmLabel(film), member: suggestedBy }),
        color: FILM_COLOUR,
      }),
    ],
    components: [scheduleItRow(t, filmId)],
    allowedMentions: NO_MENTIONS,
  };
}

// Pure builders for `/films`: the add/edit form, and what members are told about a server's films.
import type { APILabelComponent, APIModalInteractionResponseCallbackData, APITextInputComponent, InteractionReplyOptions } from 'discord.js';
import { ComponentType, escapeMarkdown, MessageFlags, TextInputStyle } from 'discord.js';
import { filmLabel } from '../data/catalog';
import { NO_MENTIONS, safeEmbed, truncate } from '../discord/payload';
import { MAX_DIRECTOR_NAME, MAX_RUNTIME_MINUTES, MAX_SERVER_FILM_DIRECTORS, MAX_SERVER_FILM_SYNOPSIS, MAX_SERVER_FILM_TITLE } from '../data/serverFilmLimits';
import { FORM_FIELDS } from '../films/serverFilmForm';
import type { ServerFilm } from '../films/model';
import { buildServerFilmEmbed, FILM_COLOUR } from './film';
import { countOf } from './plural';
import type { Translator } from '../i18n';

/** Discord caps a modal's title at 45 characters. */
const MODAL_TITLE_MAX = 45;

/** The form `/films add` and `/films edit` open; `film` fills it in for an edit. */
export function buildFilmModal(t: Translator, customId: string, film?: ServerFilm): APIModalInteractionResponseCallbackData {
  const input = (label: string, description: string | undefined, text: Omit<APITextInputComponent, 'type'>): APILabelComponent => ({
    type: ComponentType.Label,
    label,
    ...(description ? { description } : {}),
    // Discord refuses an empty prefilled value or placeholder: leave them out instead.
    component: { type: ComponentType.TextInput, ...(Object.fromEntries(Object.entries(text).filter(([, value]) => value !== undefined && value !== '')) as Omit<APITextInputComponent, 'type'>) },
  });
  return {
    custom_id: customId,
    title: truncate(film ? t('films.modal.editTitle', { title: film.title }) : t('films.modal.addTitle'), MODAL_TITLE_MAX),
    components: [
      input(t('films.modal.title'), undefined, { custom_id: FORM_FIELDS.title, style: TextInputStyle.Short, required: true, min_length: 1, max_length: MAX_SERVER_FILM_TITLE, placeholder: 'Paddington 2', value: film?.title }),
      input(t('films.modal.year'), t('films.modal.yearHint'), { custom_id: FORM_FIELDS.year, style: TextInputStyle.Short, required: true, min_length: 4, max_length: 4, placeholder: '2017', value: film && String(film.year) }),
      input(t('films.modal.directors'), t('films.modal.directorsHint'), { custom_id: FORM_FIELDS.directors, style: TextInputStyle.Short, required: false, max_length: MAX_SERVER_FILM_DIRECTORS * (MAX_DIRECTOR_NAME + 2), placeholder: 'Paul King', value: film?.directors.join(', ') }),
      input(t('films.modal.runtime'), undefined, { custom_id: FORM_FIELDS.runtime, style: TextInputStyle.Short, required: false, max_length: String(MAX_RUNTIME_MINUTES).length, placeholder: '103', value: film?.runtimeMinutes === undefined ? undefined : String(film.runtimeMinutes) }),
      input(t('films.modal.synopsis'), undefined, { custom_id: FORM_FIELDS.synopsis, style: TextInputStyle.Paragraph, required: false, max_length: MAX_SERVER_FILM_SYNOPSIS, value: film?.synopsis }),
    ],
  };
}

export function buildFormProblems(t: Translator, problems: string[]): string {
  return t('films.formProblems', { problems: problems.map((problem) => `- ${problem}`).join('\n') });
}

/** The ephemeral confirmation after an add or edit: the card as members will see it. */
export function buildFilmSaved(t: Translator, film: ServerFilm, verb: 'added' | 'updated'): InteractionReplyOptions {
  const content = t(verb === 'added' ? 'films.added' : 'films.updated', { label: filmLabel(film) });
  return { content, embeds: [buildServerFilmEmbed(t, film, undefined)], flags: MessageFlags.Ephemeral, allowedMentions: NO_MENTIONS };
}

/** Why a film with history can't go, and what to do instead. */
export function buildRemovalRefused(t: Translator, film: ServerFilm, kept: { ratings: number; polls: number }): string {
  const ratings = countOf(t, kept.ratings, 'rating');
  const polls = countOf(t, kept.polls, 'poll');
  const what = kept.ratings > 0 && kept.polls > 0 ? t('films.ratingsAndPolls', { ratings, polls }) : kept.ratings > 0 ? ratings : polls;
  // The label, not the title: two films may share a title, and the label picks one.
  return t('films.removalRefused', { label: filmLabel(film), what });
}

export function buildServerFilmList(t: Translator, films: ServerFilm[], damaged: number): InteractionReplyOptions {
  if (films.length === 0 && damaged === 0) {
    return { content: t('films.noneAdded'), flags: MessageFlags.Ephemeral, allowedMentions: NO_MENTIONS };
  }
  const sorted = [...films].sort((a, b) => a.title.localeCompare(b.title, 'en') || a.year - b.year);
  // Titles and names are typed by members: shown as written, never as markdown.
  const lines = sorted.map((film) => t(film.hidden ? 'films.listedHidden' : 'films.listed', { label: escapeMarkdown(filmLabel(film)), name: escapeMarkdown(film.addedBy.name) }));
  if (damaged > 0) lines.push(t('films.unreadable', { count: damaged, films: countOf(t, damaged, 'stored film') }));
  return {
    embeds: [safeEmbed({ title: t('films.listTitle', { total: films.length }), description: fitLines(t, lines, 4096), color: FILM_COLOUR })],
    flags: MessageFlags.Ephemeral,
    allowedMentions: NO_MENTIONS,
  };
}

/** As many whole lines as fit, then how many were left out. */
function fitLines(t: Translator, lines: string[], max: number): string {
  const kept: string[] = [];
  let length = 0;
  for (const [index, line] of lines.entries()) {
    const tail = `\n${t('films.andMore', { more: lines.length - index })}`;
    if (length + line.length + 1 + tail.length > max) return `${kept.join('\n')}${tail}`;
    kept.push(line);
    length += line.length + 1;
  }
  return kept.join('\n');
}

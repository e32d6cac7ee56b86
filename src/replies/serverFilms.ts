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

/** Discord caps a modal's title at 45 characters. */
const MODAL_TITLE_MAX = 45;

/** The form `/films add` and `/films edit` open; `film` fills it in for an edit. */
export function buildFilmModal(customId: string, film?: ServerFilm): APIModalInteractionResponseCallbackData {
  const input = (label: string, description: string | undefined, text: Omit<APITextInputComponent, 'type'>): APILabelComponent => ({
    type: ComponentType.Label,
    label,
    ...(description ? { description } : {}),
    // Discord refuses an empty prefilled value or placeholder: leave them out instead.
    component: { type: ComponentType.TextInput, ...(Object.fromEntries(Object.entries(text).filter(([, value]) => value !== undefined && value !== '')) as Omit<APITextInputComponent, 'type'>) },
  });
  return {
    custom_id: customId,
    title: truncate(film ? `Edit ${film.title}` : 'Add a film to this server', MODAL_TITLE_MAX),
    components: [
      input('Title', undefined, { custom_id: FORM_FIELDS.title, style: TextInputStyle.Short, required: true, min_length: 1, max_length: MAX_SERVER_FILM_TITLE, placeholder: 'Paddington 2', value: film?.title }),
      input('Year', 'The year of its first release', { custom_id: FORM_FIELDS.year, style: TextInputStyle.Short, required: true, min_length: 4, max_length: 4, placeholder: '2017', value: film && String(film.year) }),
      input('Director(s)', 'Separate several names with commas', { custom_id: FORM_FIELDS.directors, style: TextInputStyle.Short, required: false, max_length: MAX_SERVER_FILM_DIRECTORS * (MAX_DIRECTOR_NAME + 2), placeholder: 'Paul King', value: film?.directors.join(', ') }),
      input('Runtime in minutes', undefined, { custom_id: FORM_FIELDS.runtime, style: TextInputStyle.Short, required: false, max_length: String(MAX_RUNTIME_MINUTES).length, placeholder: '103', value: film?.runtimeMinutes === undefined ? undefined : String(film.runtimeMinutes) }),
      input('Synopsis', undefined, { custom_id: FORM_FIELDS.synopsis, style: TextInputStyle.Paragraph, required: false, max_length: MAX_SERVER_FILM_SYNOPSIS, value: film?.synopsis }),
    ],
  };
}

export function buildFormProblems(problems: string[]): string {
  return `Nothing was saved:\n${problems.map((problem) => `- ${problem}`).join('\n')}\nRun the command again to fill in the form.`;
}

/** The ephemeral confirmation after an add or edit: the card as members will see it. */
export function buildFilmSaved(film: ServerFilm, verb: 'added' | 'updated'): InteractionReplyOptions {
  const label = filmLabel(film);
  const content = verb === 'added' ? `**${label}** is now one of this server’s films: \`/film\`, \`/rate\` and \`/watchparty\` suggest it.` : `**${label}** is updated.`;
  return { content, embeds: [buildServerFilmEmbed(film, undefined)], flags: MessageFlags.Ephemeral, allowedMentions: NO_MENTIONS };
}

/** Why a film with history can't go, and what to do instead. */
export function buildRemovalRefused(film: ServerFilm, kept: { ratings: number; polls: number }): string {
  const what = [kept.ratings > 0 && countOf(kept.ratings, 'rating'), kept.polls > 0 && countOf(kept.polls, 'poll')].filter(Boolean).join(' and ');
  // The label, not the title: two films may share a title, and the label picks one.
  return `**${filmLabel(film)}** has ${what} in this server, so it can't be removed: they would be lost. Hide it from suggestions instead with \`/films hide film:${filmLabel(film)}\`.`;
}

export function buildServerFilmList(films: ServerFilm[], damaged: number): InteractionReplyOptions {
  if (films.length === 0 && damaged === 0) {
    return { content: 'This server has added no films of its own. A member with Manage Events or Manage Server can add one with `/films add`.', flags: MessageFlags.Ephemeral, allowedMentions: NO_MENTIONS };
  }
  const sorted = [...films].sort((a, b) => a.title.localeCompare(b.title, 'en') || a.year - b.year);
  // Titles and names are typed by members: shown as written, never as markdown.
  const lines = sorted.map((film) => `**${escapeMarkdown(filmLabel(film))}**${film.hidden ? ' (hidden)' : ''} · added by ${escapeMarkdown(film.addedBy.name)}`);
  if (damaged > 0) lines.push(`${countOf(damaged, 'stored film')} could not be read and ${damaged === 1 ? 'is' : 'are'} left out.`);
  return {
    embeds: [safeEmbed({ title: `This server’s films (${films.length})`, description: fitLines(lines, 4096), color: FILM_COLOUR })],
    flags: MessageFlags.Ephemeral,
    allowedMentions: NO_MENTIONS,
  };
}

/** As many whole lines as fit, then how many were left out. */
function fitLines(lines: string[], max: number): string {
  const kept: string[] = [];
  let length = 0;
  for (const [index, line] of lines.entries()) {
    const tail = `\n… and ${lines.length - index} more`;
    if (length + line.length + 1 + tail.length > max) return `${kept.join('\n')}${tail}`;
    kept.push(line);
    length += line.length + 1;
  }
  return kept.join('\n');
}

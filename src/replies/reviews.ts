// Pure builders for members' reviews: the form, the pages, and what the writer is shown.
import {
  type APIActionRowComponent,
  type APIButtonComponent,
  type APIEmbed,
  type APIEmbedField,
  type APIModalInteractionResponseCallbackData,
  ButtonStyle,
  ComponentType,
  escapeMarkdown,
  type InteractionReplyOptions,
  MessageFlags,
  TextInputStyle,
} from 'discord.js';
import { filmLabel, type Titled } from '../data/catalog';
import { MAX_REVIEW_LENGTH as REVIEW_TEXT_MAX, MIN_REVIEW_LENGTH as REVIEW_TEXT_MIN } from '../data/reviewLimits';
import { LIMITS, NO_MENTIONS, safeEmbed, truncate } from '../discord/payload';
import { formatStars, STAR_VALUES, starOptionValue } from '../stars';
import { FILM_COLOUR } from './film';
import { countOf } from './plural';
import type { Translator } from '../i18n';

/** The form's inputs, by custom_id. */
export const REVIEW_FIELDS = { stars: 'stars', text: 'text', spoilers: 'spoilers' } as const;
export const REVIEWS_PER_PAGE = 5;
export { MAX_REVIEW_LENGTH as REVIEW_TEXT_MAX, MIN_REVIEW_LENGTH as REVIEW_TEXT_MIN } from '../data/reviewLimits';

/** What a page shows of one review (the store's review, as the replies need it). */
export interface ShownReview {
  userId: string;
  displayName: string;
  stars: number;
  text: string;
  spoiler: boolean;
  at: number;
}

type FilmName = Pick<Titled, 'title' | 'year'>;

export function buildReviewModal(t: Translator, customId: string, film: FilmName, existing?: ShownReview): APIModalInteractionResponseCallbackData {
  return {
    custom_id: customId,
    title: truncate(t('reviews.modal.title', { title: film.title }), 45),
    components: [
      {
        type: ComponentType.Label,
        label: t('reviews.modal.rating'),
        component: {
          type: ComponentType.RadioGroup,
          custom_id: REVIEW_FIELDS.stars,
          required: true,
          options: STAR_VALUES.map((stars) => ({ value: starOptionValue(stars), label: formatStars(stars), ...(existing?.stars === stars ? { default: true } : {}) })),
        },
      },
      {
        type: ComponentType.Label,
        label: t('reviews.modal.text'),
        description: t('reviews.modal.textHint', { min: REVIEW_TEXT_MIN, max: REVIEW_TEXT_MAX }),
        component: {
          type: ComponentType.TextInput,
          custom_id: REVIEW_FIELDS.text,
          style: TextInputStyle.Paragraph,
          required: true,
          min_length: REVIEW_TEXT_MIN,
          max_length: REVIEW_TEXT_MAX,
          ...(existing ? { value: existing.text } : {}),
        },
      },
      {
        type: ComponentType.Label,
        label: t('reviews.modal.spoilers'),
        description: t('reviews.modal.spoilersHint'),
        component: { type: ComponentType.Checkbox, custom_id: REVIEW_FIELDS.spoilers, ...(existing?.spoiler ? { default: true } : {}) },
      },
    ],
  } as APIModalInteractionResponseCallbackData;
}

/** The writer's confirmation: the review as everyone will see it. */
export function buildReviewSaved(t: Translator, film: FilmName, review: ShownReview): InteractionReplyOptions {
  return {
    content: t('reviews.saved', { label: escapeMarkdown(filmLabel(film)), stars: formatStars(review.stars) }),
    embeds: [safeEmbed({ color: FILM_COLOUR, fields: [reviewField(review, LIMITS.fieldValue)] })],
    flags: MessageFlags.Ephemeral,
    allowedMentions: NO_MENTIONS,
  };
}

export interface ReviewPage {
  film: FilmName;
  page: number;
  total: number;
  reviews: ShownReview[];
  /** The member whose review alone was asked for (their display name). */
  member?: string | undefined;
  /** The page buttons' customIds, or undefined where there is no such page. */
  previous?: string | undefined;
  next?: string | undefined;
}

/** One page, newest first. However long the reviews, the page stays inside Discord's embed limits. */
export function buildReviewPage(t: Translator, view: ReviewPage): { embeds: APIEmbed[]; components: APIActionRowComponent<APIButtonComponent>[]; allowedMentions: typeof NO_MENTIONS } {
  const pages = Math.max(1, Math.ceil(view.total / REVIEWS_PER_PAGE));
  const title = truncate(t('reviews.pageTitle', { label: filmLabel(view.film) }), LIMITS.embedTitle);
  const footer = t('reviews.footer', { page: view.page + 1, pages, reviews: countOf(t, view.total, 'review') });
  if (view.total === 0 || view.reviews.length === 0) {
    const label = escapeMarkdown(filmLabel(view.film));
    const empty = view.member
      ? t('reviews.memberHasNone', { member: escapeMarkdown(view.member), label })
      : view.total === 0 ? t('reviews.noneYet', { label, title: escapeMarkdown(view.film.title) }) : t('reviews.pageEmpty');
    return { embeds: [safeEmbed({ title, description: empty, color: FILM_COLOUR })], components: buttons(t, view), allowedMentions: NO_MENTIONS };
  }
  // Each review gets an equal share of the 6,000 characters an embed may hold, and at most 1,024.
  const overhead = title.length + footer.length;
  const share = Math.min(LIMITS.fieldValue, Math.floor((LIMITS.embedTotal - overhead) / view.reviews.length) - 120);
  return {
    embeds: [safeEmbed({ title, color: FILM_COLOUR, fields: view.reviews.map((review) => reviewField(review, share)), footer: { text: footer } })],
    components: buttons(t, view),
    allowedMentions: NO_MENTIONS,
  };
}

function buttons(t: Translator, view: ReviewPage): APIActionRowComponent<APIButtonComponent>[] {
  if (!view.previous && !view.next) return [];
  const button = (label: string, customId: string | undefined, fallback: string): APIButtonComponent => ({
    type: ComponentType.Button,
    style: ButtonStyle.Secondary,
    label,
    custom_id: customId ?? fallback,
    disabled: customId === undefined,
  });
  return [{ type: ComponentType.ActionRow, components: [button(t('reviews.previous'), view.previous, 'reviews:none:previous'), button(t('reviews.next'), view.next, 'reviews:none:next')] }];
}

/** "4½★ · Ana · 3 days ago" over the text; a spoiler behind spoiler bars that its own `||` cannot open. */
function reviewField(review: ShownReview, maxValue: number): APIEmbedField {
  const name = truncate(`${formatStars(review.stars)} · ${review.displayName}`, LIMITS.fieldName - 40);
  const when = `<t:${Math.floor(review.at / 1000)}:R>`;
  const wrap = review.spoiler ? (text: string) => `||${text}||` : (text: string) => text;
  const room = maxValue - when.length - 2 - (review.spoiler ? 4 : 0);
  return { name: `${escapeMarkdown(name)}`, value: `${when}\n${wrap(escapedWithin(review.text, room))}` };
}

/** Characters Discord's markdown gives a meaning to; a backslash before any of them shows it as it is. */
const MARKDOWN = /[\\*_~`|><#\-[\]()+]/gu;
/** "1." starting a line would be a numbered list: that dot is escaped too. Lines end at "\n" only. */
const LIST_NUMBER = /(^|\n)([^\S\n]*\d+)\./g;
/** One character of escaped text, with its backslash if it has one (every backslash left is one). */
const PIECE = /\\[\s\S]|[\s\S]/gu;

/**
 * A member's text shown exactly as written: no markdown of any kind (emphasis, spoilers, headings,
 * lists, quotes, masked links), no mention or timestamp rendering. Each character that means
 * something is escaped on its own (pairs of bars escaped as pairs would let a third close a
 * spoiler early), so the text can be cut anywhere without splitting an escape; see escapedWithin.
 */
export function asWritten(text: string): string {
  return escapedWithin(text, Number.POSITIVE_INFINITY);
}

/**
 * The text as written (see asWritten), cut to `room` characters with "…": between whole
 * characters, never inside an escape (a lone trailing backslash would escape closing spoiler bars).
 * Two replaces rather than a walk over the characters: a page shows five reviews of up to 1,000
 * characters, and building one string per character cost ten times as much.
 */
export function escapedWithin(text: string, room: number): string {
  const escaped = text.replace(MARKDOWN, '\\$&').replace(LIST_NUMBER, '$1$2\\.');
  if (escaped.length <= room) return escaped;
  let out = '';
  for (const [piece] of escaped.matchAll(PIECE)) {
    if (out.length + piece.length + 1 > room) break;
    out += piece;
  }
  return `${out.trimEnd()}…`;
}

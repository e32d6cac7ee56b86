// Pure builder for `/stats`: the server's watching and rating in figures, with text bars.
import { type APIEmbedField, escapeMarkdown, type InteractionReplyOptions } from 'discord.js';
import { NO_MENTIONS, safeEmbed, truncate } from '../discord/payload';
import { starBar } from '../stars';
import type { HistoryFigures } from '../watchStats';
import { MAX_FILMS_COMPARED, MIN_FILMS_COMPARED } from '../watchStats';
import { countBar } from './bars';
import { FILM_COLOUR } from './film';
import { pollResult } from './history';
import { countOf } from './plural';
import { listedFilm } from './watchlist';
import { formatNumber, type Translator } from '../i18n';

/** A member as shown: their display name, or a mention (which never pings) when it could not be read. */
export type ShownMember = { name: string } | { mention: string };

export interface StatsView {
  figures: HistoryFigures;
  raters: { member: ShownMember; films: number }[];
  /** Members who rated, and films rated once per member, since counting began. */
  ratedBy: { members: number; ratings: number };
  closest?: { member: ShownMember; difference: number; films: number } | undefined;
}

const shown = (member: ShownMember) => ('name' in member ? escapeMarkdown(truncate(member.name, 40)) : member.mention);

export function buildStats(t: Translator, view: StatsView): InteractionReplyOptions {
  const { figures } = view;
  const films = countOf(t, figures.films, 'film');
  const fields: APIEmbedField[] = [
    { name: t('stats.filmsWatched'), value: figures.parties === figures.films ? films : t('stats.filmsInParties', { films, parties: t('stats.watchParties', { count: figures.parties }) }), inline: true },
    {
      name: t('stats.averageRating'),
      value:
        figures.average === undefined
          ? t('stats.noVotesYet')
          : t('stats.averageOver', { bar: starBar(figures.average), average: formatNumber(t, figures.average, 1), parties: t('stats.ratedParties', { count: figures.rated }) }),
      inline: true,
    },
  ];
  if (figures.highest) fields.push({ name: t('stats.highest'), value: `${listedFilm(figures.highest.film)}\n${pollResult(t, figures.highest)}` });
  if (figures.lowest && figures.lowest !== figures.highest) fields.push({ name: t('stats.lowest'), value: `${listedFilm(figures.lowest.film)}\n${pollResult(t, figures.lowest)}` });
  const most = view.raters[0]?.films ?? 0;
  fields.push({
    name: t('stats.mostActive'),
    value:
      view.raters.length === 0
        ? t('stats.nobodyRated')
        : [
            ...view.raters.map((rater, index) => `${index + 1}. ${countBar(rater.films, most)} ${countOf(t, rater.films, 'film')} · ${shown(rater.member)}`),
            `-# ${t('stats.ratedBy', { ratings: countOf(t, view.ratedBy.ratings, 'film rating'), members: countOf(t, view.ratedBy.members, 'member') })}`,
          ].join('\n'),
  });
  const comparison = `-# ${t('stats.comparison', { max: MAX_FILMS_COMPARED, min: MIN_FILMS_COMPARED })}`;
  const closest = view.closest;
  fields.push({
    name: t('stats.closest'),
    value: closest
      ? `${t('stats.closestMember', { member: shown(closest.member), difference: formatNumber(t, closest.difference, 2), films: countOf(t, closest.films, 'film') })}\n${comparison}`
      : `${t('stats.nobodyYet')}\n${comparison}`,
  });
  const description = figures.parties === 0 ? t('stats.nothingWatched') : undefined;
  return { embeds: [safeEmbed({ title: t('stats.title'), color: FILM_COLOUR, fields, ...(description ? { description } : {}) })], allowedMentions: NO_MENTIONS };
}

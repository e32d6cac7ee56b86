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

/** A member as shown: their display name, or a mention (which never pings) when it could not be read. */
export type ShownMember = { name: string } | { mention: string };

export interface StatsView {
  figures: HistoryFigures;
  raters: { member: ShownMember; films: number }[];
  /** Members who rated, and films rated once per member, since counting began. */
  ratedBy: { members: number; ratings: number };
  closest?: { member: ShownMember; difference: number; films: number } | undefined;
}

const parties = (n: number, kind: string) => `${n} ${kind} ${n === 1 ? 'party' : 'parties'}`;

const shown = (member: ShownMember) => ('name' in member ? escapeMarkdown(truncate(member.name, 40)) : member.mention);

export function buildStats(view: StatsView): InteractionReplyOptions {
  const { figures } = view;
  const fields: APIEmbedField[] = [
    { name: 'Films watched', value: figures.parties === figures.films ? countOf(figures.films, 'film') : `${countOf(figures.films, 'film')} in ${parties(figures.parties, 'watch')}`, inline: true },
    { name: 'Average rating', value: figures.average === undefined ? 'no votes yet' : `${starBar(figures.average)} ${figures.average.toFixed(1)} over ${parties(figures.rated, 'rated')}`, inline: true },
  ];
  if (figures.highest) fields.push({ name: 'Highest rated', value: `${listedFilm(figures.highest.film)}\n${pollResult(figures.highest)}` });
  if (figures.lowest && figures.lowest !== figures.highest) fields.push({ name: 'Lowest rated', value: `${listedFilm(figures.lowest.film)}\n${pollResult(figures.lowest)}` });
  const most = view.raters[0]?.films ?? 0;
  fields.push({
    name: 'Most active raters',
    value:
      view.raters.length === 0
        ? 'Nobody has rated a film here yet.'
        : [
            ...view.raters.map((rater, index) => `${index + 1}. ${countBar(rater.films, most)} ${countOf(rater.films, 'film')} · ${shown(rater.member)}`),
            `-# ${countOf(view.ratedBy.ratings, 'film rating')} by ${countOf(view.ratedBy.members, 'member')}, counted once per member and film`,
          ].join('\n'),
  });
  const comparison = `-# Each member’s ratings of the last ${MAX_FILMS_COMPARED} films watched against the server’s average for each, among the most active raters with at least ${MIN_FILMS_COMPARED} of those films rated.`;
  fields.push({
    name: 'Closest to the server’s average',
    value: view.closest
      ? `${shown(view.closest.member)}: ${view.closest.difference.toFixed(2)}★ from the average, on average, over ${countOf(view.closest.films, 'film')}.\n${comparison}`
      : `Nobody yet.\n${comparison}`,
  });
  const description = figures.parties === 0 ? 'Nothing watched here yet: a film counts as watched when its rating poll closes.' : undefined;
  return { embeds: [safeEmbed({ title: 'This server’s film stats', color: FILM_COLOUR, fields, ...(description ? { description } : {}) })], allowedMentions: NO_MENTIONS };
}

// /stats — what the server watched and how it rated, its busiest raters, and whose ratings sit
// closest to the server's averages.
import { displayNames } from '../discord/memberNames';
import { answer } from '../discord/respond';
import { serverTranslator } from '../i18n';
import { buildStats, type ShownMember } from '../replies/stats';
import { closestToAverage, type FilmSample, filmsToCompare, historyFigures } from '../watchStats';
import { requireGuild } from './guildOnly';
import type { Command } from './types';

/** Raters shown by name; the leaderboard keeps more, and all of those are compared. */
const RATERS_SHOWN = 5;

export const statsCommand = {
  data: { name: 'stats', description: 'This server’s films in figures: ratings, raters and more' },
  visibility: 'public',
  async execute(interaction, { history, raters, ratings }) {
    const guildId = requireGuild(interaction);
    const [watched, board] = await Promise.all([history.watched(guildId), raters.board(guildId)]);
    const compared = board.top.map((rater) => rater.userId);
    // One read per film, each its server rating and the compared members' own ratings of it.
    const samples: FilmSample[] = [];
    if (compared.length > 0) {
      const read = await Promise.all(filmsToCompare(watched).map((filmId) => ratings.ratingsOf(guildId, filmId, compared)));
      for (const { summary, ratings: own } of read) if (summary) samples.push({ average: summary.average, ratings: own });
    }
    const closest = closestToAverage(compared.length, samples);
    const shownRaters = board.top.slice(0, RATERS_SHOWN);
    const named = [...shownRaters.map((rater) => rater.userId), ...(closest ? [compared[closest.member]!] : [])];
    const names = await displayNames(interaction.client.rest, guildId, named);
    const member = (userId: string): ShownMember => {
      const name = names.get(userId);
      return name ? { name } : { mention: `<@${userId}>` };
    };
    await answer(
      interaction,
      buildStats(serverTranslator(interaction), {
        figures: historyFigures(watched),
        raters: shownRaters.map((rater) => ({ member: member(rater.userId), films: rater.films })),
        ratedBy: { members: board.members, ratings: board.ratings },
        closest: closest && { member: member(compared[closest.member]!), difference: closest.difference, films: closest.films },
      }),
    );
  },
} satisfies Command;

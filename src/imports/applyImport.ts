// Saves a planned import film by film: each rating and review as the member's own in this server
// unless theirs here is newer. It stops at the first storage failure and says exactly what was
// saved, so a summary never claims more than storage confirmed.
import { MAX_REVIEW_LENGTH, MIN_REVIEW_LENGTH } from '../data/reviewLimits';
import { InvalidRecordError, RecordDamagedError, StorageUnavailableError } from '../errors';
import type { FilmName } from '../films/model';
import type { Logger } from '../log';
import type { RatingStore } from '../storage/ratings';
import type { ReviewStore } from '../storage/reviews';
import type { Matching } from './matchFilms';
import type { ImportPlan, PlannedFilm } from './planImport';

export interface Outcomes {
  saved: FilmName[];
  /** The member's rating (or review) here is newer, so it stayed. */
  newerHere: FilmName[];
  notSaved: FilmName[];
}

export interface ImportOutcome {
  ratings: Outcomes;
  reviews: Outcomes & {
    /** Longer than MAX_REVIEW_LENGTH: cut at a word and ended with "…". */
    shortened: number;
    /** Shorter than MIN_REVIEW_LENGTH: left out (the rating was still imported). */
    tooShort: number;
    /** No rating in the row nor elsewhere in the import: a review here always has stars. */
    withoutRating: number;
  };
  /** Ratings or reviews left alone because their stored record is damaged (in the log). */
  damaged: number;
  /** Why saving stopped before the end, if it did. */
  stopped?: 'storage' | 'error';
}

export interface ImportTarget {
  guildId: string;
  userId: string;
  /** The member's display name, which their reviews are shown with. */
  displayName: string;
}

export interface ImportStores {
  ratings: RatingStore;
  reviews: ReviewStore;
  log: Logger;
}

type ReviewToSave = { text: string; spoiler: boolean; at: number; stars: number };

export async function applyImport(plan: ImportPlan, matching: Matching, target: ImportTarget, { ratings, reviews, log }: ImportStores): Promise<ImportOutcome> {
  const outcome: ImportOutcome = {
    ratings: { saved: [], newerHere: [], notSaved: [] },
    reviews: { saved: [], newerHere: [], notSaved: [], shortened: 0, tooShort: 0, withoutRating: 0 },
    damaged: 0,
  };
  const { guildId, userId } = target;
  /** Runs one write, unless saving has stopped, and files the film under what came of it. */
  const attempt = async (film: FilmName, into: Outcomes, write: () => Promise<'saved' | 'newer-here' | 'damaged'>): Promise<void> => {
    if (outcome.stopped) {
      into.notSaved.push(film);
      return;
    }
    try {
      const result = await write();
      if (result === 'damaged') {
        outcome.damaged += 1;
        into.notSaved.push(film);
      } else if (result === 'saved') {
        // Two rows naming one film ("Her Smell" and "Her Smell (2018)") write it twice: it is one film saved.
        into.newerHere = into.newerHere.filter((other) => other.id !== film.id);
        if (!into.saved.some((other) => other.id === film.id)) into.saved.push(film);
      } else if (!into.saved.some((other) => other.id === film.id) && !into.newerHere.some((other) => other.id === film.id)) {
        into.newerHere.push(film);
      }
    } catch (error) {
      into.notSaved.push(film);
      if (error instanceof RecordDamagedError || error instanceof InvalidRecordError) {
        outcome.damaged += 1;
        return;
      }
      outcome.stopped = error instanceof StorageUnavailableError ? 'storage' : 'error';
      if (outcome.stopped === 'error') log.error({ err: error, guildId, filmId: film.id }, 'import stopped');
    }
  };

  for (const planned of plan.films) {
    const film = matching.found.get(planned.key);
    if (!film) continue;
    const { rating } = planned;
    // The member's rating here when it is newer than the file's: a review imported beside it shows
    // those stars, so that the review and the film card agree on what the member thinks now.
    let starsHere: number | undefined;
    if (rating) {
      await attempt(film, outcome.ratings, async () => {
        const { kept, damaged } = await ratings.rateMany(guildId, film.id, { [userId]: rating });
        starsHere = kept.find((entry) => entry.userId === userId)?.stars;
        return damaged.length > 0 ? 'damaged' : kept.length > 0 ? 'newer-here' : 'saved';
      });
    }
    const review = reviewToSave(planned, outcome.reviews);
    if (review) {
      await attempt(film, outcome.reviews, async () => {
        const written = await reviews.writeUnlessNewer(guildId, film.id, { userId, displayName: target.displayName, ...review, stars: starsHere ?? review.stars });
        if (written === 'kept') return 'newer-here';
        // Only lets quotes find the film's reviews: not worth failing an import over.
        await reviews.noteReviewed(guildId, film).catch((error: unknown) => log.warn({ err: error, guildId, filmId: film.id }, 'reviewed film not noted for quotes'));
        return 'saved';
      });
    }
  }
  return outcome;
}

/** The review as this server keeps them, or undefined (counted in `tally`) when it can't be. */
function reviewToSave(planned: PlannedFilm, tally: ImportOutcome['reviews']): ReviewToSave | undefined {
  const { review } = planned;
  if (!review) return undefined;
  const characters = [...review.text];
  if (characters.length < MIN_REVIEW_LENGTH) {
    tally.tooShort += 1;
    return undefined;
  }
  const stars = review.stars ?? planned.rating?.stars;
  if (stars === undefined) {
    tally.withoutRating += 1;
    return undefined;
  }
  if (characters.length <= MAX_REVIEW_LENGTH) return { text: review.text, spoiler: review.spoiler, at: review.at, stars };
  tally.shortened += 1;
  return { text: shorten(characters), spoiler: review.spoiler, at: review.at, stars };
}

/** MAX_REVIEW_LENGTH characters at most, cut at a word where one ends near the limit, ending with "…". */
function shorten(characters: string[]): string {
  const kept = characters.slice(0, MAX_REVIEW_LENGTH - 1).join('');
  const lastSpace = kept.search(/\s\S*$/);
  const cut = lastSpace > MAX_REVIEW_LENGTH * 0.8 ? kept.slice(0, lastSpace) : kept;
  return `${cut.trimEnd()}…`;
}

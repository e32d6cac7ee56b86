// Every storage key in one place: all per-server data lives under `guild:<id>:`, so no
// code path can read one server's records while answering another. The little kept for one person
// wherever they are (a user install's quote deck) lives under `user:<id>:` likewise.
export const keys = {
  quoteRotation: (guildId: string, filmId: string) => `guild:${guildId}:quotes:${filmId}`,
  /** A member's own deck, for /quote where no server that added Reelside is (DMs, servers without the bot). */
  userQuoteRotation: (userId: string, filmId: string) => `user:${userId}:quotes:${filmId}`,
  filmRatings: (guildId: string, filmId: string) => `guild:${guildId}:ratings:${filmId}`,
  /** One member's entry beside a record that counts them (`filmRatings`, `poll`): see storage/tally. */
  filmRating: (ratingsKey: string, userId: string) => `${ratingsKey}:member:${userId}`,
  poll: (guildId: string, pollId: string) => `guild:${guildId}:poll:${pollId}`,
  pollVote: (pollKey: string, userId: string) => `${pollKey}:vote:${userId}`,
  /** A vote on the next film (its votes are `pollVote` entries too). */
  pickPoll: (guildId: string, pollId: string) => `guild:${guildId}:pick:${pollId}`,
  openPolls: (guildId: string) => `guild:${guildId}:polls:open`,
  serverFilms: (guildId: string) => `guild:${guildId}:films`,
  settings: (guildId: string) => `guild:${guildId}:settings`,
  /** A film's review index; each review is an entry beside it (`review`). */
  reviews: (guildId: string, filmId: string) => `guild:${guildId}:reviews:${filmId}`,
  review: (reviewsKey: string, userId: string) => `${reviewsKey}:member:${userId}`,
  /** The films a server has member reviews of, for quotes drawn from any film. */
  reviewedFilms: (guildId: string) => `guild:${guildId}:reviewed`,
  parties: (guildId: string) => `guild:${guildId}:parties`,
  /** The films members suggested watching next, and the films moderators barred from it. */
  watchlist: (guildId: string) => `guild:${guildId}:watchlist`,
  /** The films the server watched: one line per closed rating poll. */
  history: (guildId: string) => `guild:${guildId}:history`,
  /** How many films each member rated here: a leaderboard, with one count per member beside it (`rater`). */
  raters: (guildId: string) => `guild:${guildId}:raters`,
  rater: (ratersKey: string, userId: string) => `${ratersKey}:member:${userId}`,
  /** TMDB answers, shared by every server: they say nothing about any of them. */
  tmdbMovie: (tmdbId: number) => `tmdb:movie:${tmdbId}`,
  tmdbSearch: (normalizedQuery: string) => `tmdb:search:${normalizedQuery}`,
  commandRegistration: (scope: string) => `registration:${scope}`,
} as const;

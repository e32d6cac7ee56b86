// The shape every slash command module has, and the dependencies handlers receive.
import type {
  AutocompleteInteraction,
  ChatInputCommandInteraction,
  RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord.js';
import type { Films } from '../films/films';
import type { Logger } from '../log';
import type { PollService } from '../polls/pollService';
import type { PollStore } from '../storage/polls';
import type { QuoteRotation } from '../storage/quoteRotation';
import type { RatingStore } from '../storage/ratings';
import type { ReviewStore } from '../storage/reviews';
import type { ServerFilmStore } from '../storage/serverFilms';
import type { SettingsStore } from '../storage/settings';
import type { HistoryStore } from '../storage/history';
import type { RaterStore } from '../storage/raters';
import type { WatchlistStore } from '../storage/watchlist';
import type { DailyQuotes } from '../schedule/dailyQuotes';
import type { PartyService } from '../schedule/partyService';

export interface Deps {
  films: Films;
  serverFilms: ServerFilmStore;
  reviews: ReviewStore;
  settings: SettingsStore;
  parties: PartyService;
  dailyQuotes: DailyQuotes;
  quotes: QuoteRotation;
  ratings: RatingStore;
  watchlist: WatchlistStore;
  history: HistoryStore;
  raters: RaterStore;
  polls: PollStore;
  pollService: PollService;
  log: Logger;
  now: () => number;
  random: () => number;
  /** Hosts a member's attachment may be downloaded from: Discord's CDN, and the REST base's host (a proxy, or a stand-in). */
  attachmentHosts: readonly string[];
}

export interface Command {
  data: RESTPostAPIChatInputApplicationCommandsJSONBody;
  /** Who sees the answer (default: only the member), so a slow answer is deferred the same way. */
  visibility?: 'public' | 'ephemeral' | ((interaction: ChatInputCommandInteraction) => 'public' | 'ephemeral');
  execute(interaction: ChatInputCommandInteraction, deps: Deps): Promise<void>;
  autocomplete?(interaction: AutocompleteInteraction, deps: Deps): Promise<void>;
}

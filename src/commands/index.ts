// The static list of slash commands: the router and the deploy script both read it.
import { filmCommand } from './film';
import { filmsCommand } from './films';
import { helpCommand } from './help';
import { importCommand } from './import';
import { quoteCommand } from './quote';
import { rateCommand } from './rate';
import { reviewCommand } from './review';
import { reviewsCommand } from './reviews';
import { settingsCommand } from './settings';
import { historyCommand } from './history';
import { statsCommand } from './stats';
import { suggestCommand } from './suggest';
import type { Command } from './types';
import { watchlistCommand } from './watchlist';
import { watchpartyCommand } from './watchparty';

export const commands: readonly Command[] = [filmCommand, filmsCommand, quoteCommand, rateCommand, reviewCommand, reviewsCommand, watchpartyCommand, suggestCommand, watchlistCommand, historyCommand, statsCommand, importCommand, settingsCommand, helpCommand(() => commands)];

export const commandDefinitions = () => commands.map((command) => command.data);

export function findCommand(name: string): Command | undefined {
  return commands.find((command) => command.data.name === name);
}

// The static list of slash commands: the router and the deploy script both read it.
import { filmCommand } from './film';
import { filmsCommand } from './films';
import { helpCommand } from './help';
import { importCommand } from './import';
import { withInstallPlaces } from './installs';
import { quoteCommand } from './quote';
import { rateCommand } from './rate';
import { reviewCommand } from './review';
import { reviewsCommand } from './reviews';
import { settingsCommand } from './settings';
import { historyCommand } from './history';
import { statsCommand } from './stats';
import { suggestCommand } from './suggest';
import { localizeDefinitions } from '../i18n/commands';
import type { Command } from './types';
import { watchlistCommand } from './watchlist';
import { watchpartyCommand } from './watchparty';

export const commands: readonly Command[] = [filmCommand, filmsCommand, quoteCommand, rateCommand, reviewCommand, reviewsCommand, watchpartyCommand, suggestCommand, watchlistCommand, historyCommand, statsCommand, importCommand, settingsCommand, helpCommand(() => commands)].map(
  // Where each command works is decided in one place (installs.ts), not in each definition.
  (command): Command => ({ ...command, data: withInstallPlaces(command.data) }),
);

/** What is registered with Discord: the definitions with every language's names and descriptions. */
export const commandDefinitions = () => localizeDefinitions(commands.map((command) => command.data)).definitions;

export function findCommand(name: string): Command | undefined {
  return commands.find((command) => command.data.name === name);
}

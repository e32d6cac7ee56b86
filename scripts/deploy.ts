// `npm run deploy [-- --dry-run]`: registers every slash command with one bulk overwrite.
import { ApplicationIntegrationType, REST } from 'discord.js';
import { commandDefinitions } from '../src/commands';
import { loadConfigOrExit } from '../src/config';
import { putCommands } from '../src/discord/registerCommands';

const dryRun = process.argv.includes('--dry-run');
const definitions = commandDefinitions();

if (dryRun) {
  console.log(JSON.stringify(definitions, null, 2));
  // Where each command works is part of its definition (integration_types, contexts): said here too.
  const anywhere = definitions.filter((definition) => definition.integration_types?.includes(ApplicationIntegrationType.UserInstall)).map((definition) => `/${definition.name}`);
  console.error(`Dry run: ${definitions.length} commands, nothing sent to Discord.`);
  console.error(`Also with a user install (DMs, servers without the bot): ${anywhere.join(', ')}. The others work only in servers that added Reelside.`);
  process.exit(0);
}

const config = loadConfigOrExit(['DISCORD_TOKEN', 'DISCORD_CLIENT_ID']);
const rest = new REST({ api: config.apiUrl }).setToken(config.token!);
const where = config.guildId ? `server ${config.guildId} (available at once)` : 'every server (global; may take up to an hour to appear)';
try {
  const registered = await putCommands(rest, config.clientId!, config.guildId, definitions);
  console.log(`Registered ${registered.length} commands for ${where}: ${registered.map((command) => `/${command.name}`).join(', ')}`);
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
}

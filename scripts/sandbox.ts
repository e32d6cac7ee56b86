// `npm run sandbox [-- --tmdb]`: the bot against a local Discord stand-in, driven from a text
// prompt; with --tmdb, against a local TMDB stand-in too.
import { createInterface } from 'node:readline';
import { startStandin } from '../harness/discord/standin';
import type { CommandOptionInput, InteractionHandle, JsonObject, StoredMessage } from '../harness/discord/types';
import { commandDefinitions } from '../src/commands';
import { startBotProcess, TEST_TOKEN } from '../harness/botProcess';
import { startTmdbStandin } from '../harness/tmdb/standin';
import { parseFormLine, parseSlashLine, renderMessage, renderModal } from './sandboxText';

const GUILD = { id: '200000000000000001', name: 'Sandbox Film Club', ownerId: '300000000000000001', channels: [{ id: '210000000000000001', name: 'screening-room' }] };
const CHANNEL = GUILD.channels[0]!.id;
/** Interaction callback type of a form. */
const MODAL = 9;
const MANAGE_SERVER = String(1n << 5n | 1n << 10n | 1n << 11n);
const OWNER = { id: GUILD.ownerId, username: 'owner', permissions: MANAGE_SERVER };
/** A few films the sandbox server added itself, as a moderator would with /films add. */
const SERVER_FILMS = [
  { title: 'Paddington 2', year: '2017', directors: 'Paul King' },
  { title: 'Withnail and I', year: '1987', directors: 'Bruce Robinson' },
  { title: 'The Red Shoes', year: '1948', directors: 'Michael Powell, Emeric Pressburger' },
];
const withTmdb = process.argv.includes('--tmdb');
const HELP = `Type a slash command as in Discord, e.g.
  /film her-smell                 /film title:her smell       /film title:paddington 2
  /quote                          /rate film:her-smell stars:4.5
  /watchparty start film:her-smell duration:5 blind:true
  /watchparty end                 /watchparty status          /help
  /films list                     /films add (as a moderator: .as 0, the owner)${withTmdb ? '\n  /film title:fight club          (from the local TMDB stand-in)' : ''}
Sandbox commands:
  .suggest <command> <text>   what autocomplete offers, e.g. .suggest film he
  .form <field>=<value>; …    fill in and send the form just shown, e.g. .form title=Local Hero; year=1983
  .pick <value>               choose in the newest poll's menu, e.g. .pick 4.5
  .press <label>              press a button on the newest message with one, e.g. .press End poll
  .as <n> [mod]               act as member n (mod: with Manage Server); the server owner is member 0
  .channel                    show the channel as it is now
  .quit                       stop`;

// The commands an earlier run registered are still known, as Discord keeps them: the bot, finding
// them unchanged in its storage, does not register them again.
const discord = await startStandin({ token: TEST_TOKEN, guilds: [GUILD], commands: structuredClone(commandDefinitions()) as unknown as JsonObject[] });
const tmdb = withTmdb ? await startTmdbStandin() : undefined;
const bot = startBotProcess({
  apiUrl: discord.apiUrl,
  storageUrl: process.env.SANDBOX_STORAGE_URL ?? `sqlite://${process.cwd()}/data/sandbox.sqlite`,
  env: { LOG_LEVEL: 'info', ...(tmdb ? { TMDB_TOKEN: tmdb.token, TMDB_API_URL: tmdb.url } : {}) },
});
process.stdout.write(`Starting Reelside against a local Discord stand-in${tmdb ? ` and a local TMDB stand-in (${tmdb.films.length} films)` : ''}…\n`);
await bot.ready(60_000).catch(async (error: unknown) => {
  process.stderr.write(`The bot did not start: ${String(error)}\n`);
  await discord.close();
  await tmdb?.close();
  process.exit(1);
});
await addServerFilms();
process.stdout.write(`Ready in #${GUILD.channels[0]!.name} of “${GUILD.name}”. ${HELP}\n`);

/** The form the bot showed last (its custom_id and inputs), for `.form`. */
let shownForm: { customId: string; inputs: string[] } | undefined;

let user = { id: '400000000000000001', username: 'member1' } as { id: string; username: string; permissions?: string };

const prompt = createInterface({ input: process.stdin, output: process.stdout, terminal: process.stdin.isTTY === true });
prompt.setPrompt('> ');
prompt.prompt();
for await (const line of prompt) {
  try {
    const done = await handle(line.trim());
    if (done) break;
  } catch (error) {
    process.stdout.write(`! ${error instanceof Error ? error.message : String(error)}\n`);
  }
  prompt.prompt();
}
await shutdown();

async function handle(line: string): Promise<boolean> {
  if (line === '' || line.startsWith('#')) return false;
  if (line === '.quit' || line === '.exit') return true;
  if (line === '.help') return print(HELP);
  if (line === '.channel') return print(discord.channelMessages(CHANNEL).map(renderMessage).join('\n\n') || '(no messages)');
  if (line.startsWith('.as ')) {
    const [, n, role] = line.split(/\s+/);
    user = n === '0' ? OWNER : { id: String(400000000000000000n + BigInt(n ?? '1')), username: `member${n}`, ...(role === 'mod' ? { permissions: MANAGE_SERVER } : {}) };
    return print(`Now acting as ${user.username}.`);
  }
  if (line.startsWith('.suggest ')) {
    const [, name, ...rest] = line.split(/\s+/);
    const option = discord.registeredCommands().find((command) => command.name === name)?.options?.find((candidate: { autocomplete?: boolean }) => candidate.autocomplete);
    if (!option) return print(`/${name} has no option with suggestions.`);
    const choices = await discord.autocomplete({ name: name!, options: [{ name: option.name, type: 3, value: rest.join(' '), focused: true }], guildId: GUILD.id, channelId: CHANNEL, user }).choices();
    return print(choices.length ? choices.map((choice) => `  ${choice.name}  (${choice.value})`).join('\n') : '  (no suggestions)');
  }
  if (line.startsWith('.form')) {
    if (!shownForm) throw new Error('No form is open: a command such as /films add opens one.');
    const fields = parseFormLine(line.slice(5), shownForm.inputs);
    const form = shownForm;
    shownForm = undefined;
    return show(discord.modalSubmit({ customId: form.customId, fields, guildId: GUILD.id, channelId: CHANNEL, user }));
  }
  if (line.startsWith('.pick ')) {
    const poll = newest((message) => message.components.some((row) => row.components.some((c: { type: number }) => c.type === 3)));
    const select = poll.components.flatMap((row) => row.components).find((c: { type: number }) => c.type === 3);
    return show(discord.component({ customId: select.custom_id, componentType: 3, values: [line.slice(6).trim()], message: poll, guildId: GUILD.id, channelId: CHANNEL, user }));
  }
  if (line.startsWith('.press ')) {
    const label = line.slice(7).trim().toLowerCase();
    const message = newest((candidate) => candidate.components.some((row) => row.components.some((c: { type: number; label?: string }) => c.type === 2 && c.label?.toLowerCase() === label)));
    const button = message.components.flatMap((row) => row.components).find((c: { type: number; label?: string }) => c.type === 2 && c.label?.toLowerCase() === label);
    return show(discord.component({ customId: button.custom_id, componentType: 2, message, guildId: GUILD.id, channelId: CHANNEL, user }));
  }
  if (line.startsWith('/')) {
    const { name, options } = parseSlashLine(line, discord.registeredCommands());
    return show(discord.slash({ name, options: options as CommandOptionInput[], guildId: GUILD.id, channelId: CHANNEL, user }));
  }
  return print('Commands start with / (try /help), sandbox commands with . (try .help).');
}

function newest(predicate: (message: StoredMessage) => boolean): StoredMessage {
  const found = discord.channelMessages(CHANNEL).filter(predicate).at(-1);
  if (!found) throw new Error('No message in the channel has that control yet.');
  return found;
}

async function show(interaction: InteractionHandle): Promise<false> {
  const response = await interaction.response(5_000);
  if (response.type === MODAL) {
    shownForm = { customId: response.data.custom_id, inputs: modalInputs(response.data) };
    return print(renderModal(response.data));
  }
  print(renderMessage(await interaction.reply(5_000)));
  return false;
}

function modalInputs(modal: { components: { component?: { custom_id: string }; components?: { custom_id: string }[] }[] }): string[] {
  return modal.components.flatMap((row) => (row.component ? [row.component.custom_id] : (row.components ?? []).map((input) => input.custom_id)));
}

/** Adds the sandbox server's own films through /films add, as its owner; ones it has already are left as they are. */
async function addServerFilms(): Promise<void> {
  const listed: string = (await discord.slash({ name: 'films', options: [{ name: 'list', type: 1, options: [] }], guildId: GUILD.id, channelId: CHANNEL, user: OWNER }).reply()).embeds[0]?.description ?? '';
  for (const film of SERVER_FILMS) {
    if (listed.includes(`**${film.title} (${film.year})**`)) continue;
    const opened = await discord.slash({ name: 'films', options: [{ name: 'add', type: 1, options: [] }], guildId: GUILD.id, channelId: CHANNEL, user: OWNER }).response();
    await discord.modalSubmit({ customId: opened.data.custom_id, fields: { runtime: '', synopsis: '', ...film }, guildId: GUILD.id, channelId: CHANNEL, user: OWNER }).reply();
  }
}

function print(text: string): false {
  process.stdout.write(`${text}\n`);
  return false;
}

async function shutdown(): Promise<void> {
  await bot.stop('SIGTERM');
  await discord.close();
  await tmdb?.close();
  process.exit(0);
}

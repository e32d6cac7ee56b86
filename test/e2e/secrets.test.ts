// The bot token never reaches a log line or an error message: every byte every process printed,
// at the chattiest log levels, through start, commands, a poll, failures, deploys and shutdown.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DiscordStandin, startStandin } from '../../harness/discord/standin';
import { type BotProcess, startBotProcess } from '../../harness/botProcess';
import { runScript } from '../support/run';
import { tempDir } from '../../harness/tmp';
import { BOOLEAN, FILM_CLUB, MANAGE_GUILD, member, NUMBER, SCREENING_ROOM, slash, str, STRING, sub } from '../../harness/world';

/** Shaped like a real token: base64 of the bot's user id, a timestamp part, then the secret HMAC part. */
const TOKEN = 'MTAwMDAwMDAwMDAwMDAwMDAx.GsEcRt.sEcReT-tHiRd-SeGmEnT_Zq8xVw3yKp0LmN4oQrStUv';
/** A token Discord does not know (another bot's id, another secret). */
const WRONG_TOKEN = 'MTAwMDAwMDAwMDAwMDAwMDk5.GwRong.wRoNg-SeCrEt-PaRt_Hj2kLm9nBv5cXz1aSdFgQw';
/** Fails the config's token pattern (a stray '!'), so the config error path is taken. */
const MALFORMED_TOKEN = 'MTAwMDAwMDAwMDAwMDAwMDc3.GmAlFo.mAlFoRmEd-SeCrEt!PaRt_Yu7iOp3lKj6hGf';

/** The whole token, and to be strict its first and (secret) third segments on their own. */
function forbidden(token: string): string[] {
  const [first, , third] = token.split('.');
  return [token, first!, third!];
}
const FORBIDDEN = [...forbidden(TOKEN), ...forbidden(WRONG_TOKEN), ...forbidden(MALFORMED_TOKEN)];

const STRING_SELECT = 3;
const BUTTON = 2;

let discord: DiscordStandin;
const data = tempDir('reelside-secrets-');
beforeAll(async () => {
  discord = await startStandin({ token: TOKEN, guilds: [FILM_CLUB] });
});
afterAll(async () => {
  await discord?.close();
  data.remove();
});

/** Everything one process printed, raw, in order. */
interface Captured {
  what: string;
  stdout: string;
  stderr: string;
}

function capture(bot: BotProcess, what: string): Captured {
  const captured: Captured = { what, stdout: '', stderr: '' };
  // startBotProcess returns before the child can have printed anything, so nothing is missed.
  bot.child.stdout!.on('data', (chunk: string) => (captured.stdout += chunk));
  bot.child.stderr!.on('data', (chunk: string) => (captured.stderr += chunk));
  return captured;
}

function leaks(outputs: Captured[]): string[] {
  const found: string[] = [];
  for (const { what, stdout, stderr } of outputs) {
    for (const [stream, text] of [['stdout', stdout], ['stderr', stderr]] as const) {
      for (const secret of FORBIDDEN) {
        const at = text.indexOf(secret);
        if (at >= 0) found.push(`${what} ${stream} contains ${secret.slice(0, 6)}…: …${text.slice(Math.max(0, at - 80), at + 20)}…`);
      }
    }
  }
  return found;
}

/** Starts the bot, uses every command, runs and breaks a poll, forces failures, and stops it with SIGTERM. */
async function runTheBot(level: string, outputs: Captured[]): Promise<BotProcess> {
  const bot = startBotProcess({ apiUrl: discord.apiUrl, token: TOKEN, storageUrl: `sqlite://${join(data.path, `${level}.sqlite`)}`, env: { LOG_LEVEL: level } });
  outputs.push(capture(bot, `bot at ${level}`));
  await bot.ready();
  await discord.waitForReady();

  // Ordinary use.
  expect((await slash(discord, 'film', [str('title', 'her-smell')]).reply()).embeds[0].title).toBe('Her Smell (2018)');
  expect((await slash(discord, 'quote').reply()).embeds[0].footer.text).toBe('on Her Smell (2018)');
  expect((await slash(discord, 'rate', [str('film', 'her-smell'), { name: 'stars', type: NUMBER, value: 4.5 }]).reply()).content).toBe('You rated Her Smell 4½★.');
  expect((await slash(discord, 'help').reply()).ephemeral).toBe(true);
  const choices = await discord.autocomplete({ name: 'film', options: [{ name: 'title', type: STRING, value: 'her', focused: true }], guildId: FILM_CLUB.id, channelId: SCREENING_ROOM }).choices();
  expect(choices).toHaveLength(1);

  // A poll: started, voted on, refused to a non-host, ended by a moderator.
  const host = member(900);
  const poll = await slash(discord, 'watchparty', [sub('start', [str('film', 'her-smell'), { name: 'blind', type: BOOLEAN, value: true }])], { user: host }).reply();
  const select = poll.components[0].components[0].custom_id as string;
  const end = poll.components[1].components[0].custom_id as string;
  for (const [i, value] of ['5', '3.5', '2'].entries()) {
    const reply = await discord.component({ customId: select, componentType: STRING_SELECT, values: [value], message: poll, guildId: FILM_CLUB.id, channelId: SCREENING_ROOM, user: member(10 + i) }).reply();
    expect(reply.content).toMatch(/^You rated Her Smell/);
  }
  expect((await discord.component({ customId: end, componentType: BUTTON, message: poll, user: member(20) }).reply()).content).toMatch(/^Only the host/);
  expect((await slash(discord, 'watchparty', [sub('status')]).reply()).embeds[0].description).toContain('3 votes (blind)');

  // Failures: options that do not match the command (a missing required option, one of the wrong
  // type), user-facing errors, and a REST call Discord refuses (the poll message deleted under the
  // bot's tally edit), which is logged with its stack.
  const thrown = await slash(discord, 'film').reply();
  expect(thrown.content).toMatch(/^Discord sent options this command does not take/);
  expect((await slash(discord, 'rate', [{ name: 'film', type: NUMBER, value: 3 }]).reply()).content).toMatch(/^Discord sent options this command does not take/);
  expect((await slash(discord, 'film', [str('title', 'no such film')]).reply()).content).toMatch(/^I don't know a film called/);
  expect((await discord.component({ customId: 'poll:vote:abcdef123456', componentType: STRING_SELECT, values: ['3'], message: poll, user: member(21) }).reply()).content).toBe('That poll no longer exists.');
  // The poll message is deleted, then the poll is ended: the edit that would show its results is refused.
  await discord.component({ customId: select, componentType: STRING_SELECT, values: ['1'], message: poll, user: member(22) }).reply();
  const deleted = await fetch(`${discord.apiUrl}/v10/channels/${SCREENING_ROOM}/messages/${poll.id}`, { method: 'DELETE', headers: { Authorization: `Bot ${TOKEN}` } });
  expect(deleted.status).toBe(204);
  expect((await slash(discord, 'watchparty', [sub('end')], { user: member(23, MANAGE_GUILD) }).reply()).content).toMatch(/^Poll on Her Smell \(2018\) ended with 4 votes/);
  await bot.waitForLog((line) => line.msg === 'poll message was deleted: its results cannot be shown', 5_000);
  const ended = await discord.component({ customId: end, componentType: BUTTON, message: { id: poll.id, channelId: SCREENING_ROOM }, user: member(23, MANAGE_GUILD) }).response();
  expect(ended.type).toBe(7);

  expect(await bot.stop('SIGTERM')).toBe(0);
  return bot;
}

describe.each(['debug', 'trace'])('at LOG_LEVEL=%s', (level) => {
  it('no process prints the token, or its first or third part, anywhere', async () => {
    const outputs: Captured[] = [];
    const bot = await runTheBot(level, outputs);

    // Deploys: a token Discord rejects, then the right one.
    const env = { DISCORD_CLIENT_ID: discord.applicationId, DISCORD_API_URL: discord.apiUrl, LOG_LEVEL: level };
    const wrongDeploy = await runScript('scripts/deploy.ts', { ...env, DISCORD_TOKEN: WRONG_TOKEN });
    outputs.push({ what: 'deploy with a wrong token', ...wrongDeploy });
    expect(wrongDeploy.code).toBe(1);
    expect(wrongDeploy.stderr).toContain('Discord rejected the token (401)');
    const deploy = await runScript('scripts/deploy.ts', { ...env, DISCORD_TOKEN: TOKEN, DISCORD_GUILD_ID: FILM_CLUB.id });
    outputs.push({ what: 'deploy', ...deploy });
    expect(deploy.code).toBe(0);

    // Starts that fail: a token Discord rejects, and one that is not shaped like a token at all.
    const startEnv = { DISCORD_API_URL: discord.apiUrl, STORAGE_URL: 'sqlite://:memory:', LOG_LEVEL: level };
    const rejected = await runScript('src/index.ts', { ...startEnv, DISCORD_TOKEN: WRONG_TOKEN });
    outputs.push({ what: 'start with a rejected token', ...rejected });
    expect(rejected.code).toBe(1);
    expect(rejected.stderr).toContain('Discord rejected DISCORD_TOKEN');
    const malformed = await runScript('src/index.ts', { ...startEnv, DISCORD_TOKEN: MALFORMED_TOKEN });
    outputs.push({ what: 'start with a malformed token', ...malformed });
    expect(malformed.code).toBe(1);
    expect(malformed.stderr).toContain('DISCORD_TOKEN does not look like a bot token');

    expect(leaks(outputs)).toEqual([]);

    // The capture is real: the bot logged at debug level throughout, errors with their stacks included.
    const [botOutput] = outputs;
    const lines = botOutput!.stdout.split('\n').filter(Boolean).map((line) => JSON.parse(line) as { level: number; msg: string; err?: { stack?: string } });
    expect(lines.length).toBe(bot.logs.length);
    expect(lines.filter((line) => line.level === 20).length).toBeGreaterThanOrEqual(15);
    expect(lines.filter((line) => line.msg === 'interaction handled').length).toBeGreaterThanOrEqual(12);
    for (const msg of ['ready', 'poll closed', 'shutting down', 'stopped', 'member told why it failed']) expect(lines.map((line) => line.msg)).toContain(msg);
    const failures = lines.filter((line) => ['interaction failed', 'poll tally edit failed', 'poll message was deleted: its results cannot be shown'].includes(line.msg));
    expect(failures.length).toBeGreaterThanOrEqual(1);
    for (const failure of failures) expect(failure.err?.stack).toBeTruthy();
    expect(botOutput!.stdout.length).toBeGreaterThan(5_000);
    // And the failed runs said why, in words, where the token would have shown up.
    expect(rejected.stdout).toContain('could not start');
  }, 60_000);
});

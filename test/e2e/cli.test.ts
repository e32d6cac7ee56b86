// What an admin sees from `npm start` and `npm run deploy`, right and wrong.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DiscordStandin, startStandin } from '../../harness/discord/standin';
import { startBotProcess, TEST_TOKEN } from '../../harness/botProcess';
import { runScript } from '../support/run';
import { FILM_CLUB } from '../../harness/world';

let discord: DiscordStandin;
beforeAll(async () => {
  discord = await startStandin({ token: TEST_TOKEN, guilds: [FILM_CLUB], missingCommandsScope: ['200000000000000009'] });
});
afterAll(async () => discord?.close());

describe('npm start', () => {
  it('without a token prints one line saying what to do, and exits 1', async () => {
    const { code, stdout, stderr } = await runScript('dist/index.js', {});
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr.trim().split('\n')).toEqual([expect.stringMatching(/^Configuration error: DISCORD_TOKEN is not set: put your bot token in \.env/)]);
  });

  it('with a token Discord rejects says so and exits 1, without printing the token', async () => {
    const wrong = 'MTAwMDAwMDAwMDAwMDAwMDAx.GwRong.this-token-is-not-the-one-discord-knows';
    const { code, stdout, stderr } = await runScript('dist/index.js', { DISCORD_TOKEN: wrong, DISCORD_API_URL: discord.apiUrl, STORAGE_URL: 'sqlite://:memory:', LOG_LEVEL: 'debug' });
    expect(code).toBe(1);
    expect(stderr).toContain('Discord rejected DISCORD_TOKEN');
    expect(stdout + stderr).not.toContain(wrong);
  });

  it('with storage it cannot reach says so and exits 1, instead of waiting forever', async () => {
    const { code, stderr } = await runScript('dist/index.js', { DISCORD_TOKEN: TEST_TOKEN, DISCORD_API_URL: discord.apiUrl, STORAGE_URL: 'redis://127.0.0.1:1' });
    expect(code).toBe(1);
    expect(stderr).toContain('Reelside could not start: could not connect to Redis at STORAGE_URL');
  });
});

describe('start-up when Discord refuses the command registration', () => {
  it('logs what to fix and keeps serving', async () => {
    const bot = startBotProcess({ apiUrl: discord.apiUrl, storageUrl: 'sqlite://:memory:', env: { DISCORD_GUILD_ID: '200000000000000009' } });
    try {
      await bot.ready();
      const failure = await bot.waitForLog((line) => line.msg === 'slash commands not registered');
      expect((failure.err as { message: string }).message).toContain('invite the bot with the "applications.commands" scope');
      const card = await discord.slash({ name: 'film', options: [{ name: 'title', type: 3, value: 'her-smell' }], guildId: FILM_CLUB.id }).reply();
      expect(card.embeds[0].title).toBe('Her Smell (2018)');
    } finally {
      await bot.stop();
    }
  });
});

describe('npm run deploy', () => {
  it('--dry-run prints the command JSON without a token or any network', async () => {
    const before = discord.requests.length;
    const { code, stdout, stderr } = await runScript('scripts/deploy.ts', { DISCORD_API_URL: discord.apiUrl }, ['--dry-run']);
    expect(code).toBe(0);
    const definitions = JSON.parse(stdout) as { name: string; integration_types: number[]; contexts: number[] }[];
    expect(definitions.map((definition) => definition.name)).toEqual(['film', 'films', 'quote', 'rate', 'review', 'reviews', 'watchparty', 'suggest', 'watchlist', 'history', 'stats', 'import', 'settings', 'help']);
    expect(stderr).toContain('nothing sent to Discord');
    // Where each command works: user installs too for /film, /quote and /help; dm_permission is deprecated and gone.
    for (const definition of definitions) {
      const anywhere = ['film', 'quote', 'help'].includes(definition.name);
      expect(definition).toMatchObject({ integration_types: anywhere ? [0, 1] : [0], contexts: anywhere ? [0, 1, 2] : [0] });
      expect(definition).not.toHaveProperty('dm_permission');
    }
    expect(stderr).toContain('Also with a user install (DMs, servers without the bot): /film, /quote, /help.');
    expect(discord.requests.length).toBe(before);
  });

  it('registers every command in the configured server with one bulk overwrite', async () => {
    const before = discord.commandRegistrations();
    const { code, stdout } = await runScript('scripts/deploy.ts', {
      DISCORD_TOKEN: TEST_TOKEN,
      DISCORD_CLIENT_ID: discord.applicationId,
      DISCORD_GUILD_ID: FILM_CLUB.id,
      DISCORD_API_URL: discord.apiUrl,
    });
    expect(code).toBe(0);
    expect(stdout).toContain(`Registered 14 commands for server ${FILM_CLUB.id}`);
    expect(discord.commandRegistrations()).toBe(before + 1);
    expect(discord.registeredCommands(FILM_CLUB.id).map((command) => command.name)).toEqual(['film', 'films', 'quote', 'rate', 'review', 'reviews', 'watchparty', 'suggest', 'watchlist', 'history', 'stats', 'import', 'settings', 'help']);
  });

  it('explains a rejected token', async () => {
    const { code, stderr } = await runScript('scripts/deploy.ts', {
      DISCORD_TOKEN: 'MTAwMDAwMDAwMDAwMDAwMDAx.GwRong.this-token-is-not-the-one-discord-knows',
      DISCORD_CLIENT_ID: discord.applicationId,
      DISCORD_API_URL: discord.apiUrl,
    });
    expect(code).toBe(1);
    expect(stderr).toContain('Discord rejected the token (401)');
  });

  it('explains a server where the bot lacks the applications.commands scope', async () => {
    const { code, stderr } = await runScript('scripts/deploy.ts', {
      DISCORD_TOKEN: TEST_TOKEN,
      DISCORD_CLIENT_ID: discord.applicationId,
      DISCORD_GUILD_ID: '200000000000000009',
      DISCORD_API_URL: discord.apiUrl,
    });
    expect(code).toBe(1);
    expect(stderr).toContain('"applications.commands" scope');
  });

  it('asks for the application id when it is missing', async () => {
    const { code, stderr } = await runScript('scripts/deploy.ts', { DISCORD_TOKEN: TEST_TOKEN });
    expect(code).toBe(1);
    expect(stderr).toContain('DISCORD_CLIENT_ID is not set');
  });
});

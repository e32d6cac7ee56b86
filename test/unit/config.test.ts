import { describe, expect, it } from 'vitest';
import { ConfigError, DEFAULT_API_URL, DEFAULT_STORAGE_URL, DEFAULT_TMDB_API_URL, parseConfig } from '../../src/config';

const TOKEN = 'MTAwMDAwMDAwMDAwMDAwMDAx.GaBcDe.abcdefghijklmnopqrstuvwxyz0123456789ABCD';

function problemsOf(env: Record<string, string>, required: Parameters<typeof parseConfig>[1] = []): string[] {
  try {
    parseConfig(env, required);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('parseConfig', () => {
  it('fills in Discord’s API and an SQLite file when only the token is given', () => {
    const config = parseConfig({ DISCORD_TOKEN: TOKEN }, ['DISCORD_TOKEN']);
    expect(config).toMatchObject({ token: TOKEN, apiUrl: DEFAULT_API_URL, storageUrl: DEFAULT_STORAGE_URL, logLevel: 'info' });
    expect(config.guildId).toBeUndefined();
  });

  it('treats empty values as unset, as an edited .env.example leaves them', () => {
    const config = parseConfig({ DISCORD_TOKEN: TOKEN, DISCORD_GUILD_ID: '', DISCORD_API_URL: '  ' });
    expect(config.guildId).toBeUndefined();
    expect(config.apiUrl).toBe(DEFAULT_API_URL);
  });

  it('takes a REST base URL without its trailing slash', () => {
    expect(parseConfig({ DISCORD_API_URL: 'http://127.0.0.1:8080/api/' }).apiUrl).toBe('http://127.0.0.1:8080/api');
  });

  it('says how to fix a missing token', () => {
    expect(problemsOf({}, ['DISCORD_TOKEN'])).toEqual([expect.stringMatching(/^DISCORD_TOKEN is not set: put your bot token in \.env/)]);
  });

  it('lists every problem at once, one line each, naming the variable', () => {
    const problems = problemsOf({ DISCORD_TOKEN: 'not-a-token', DISCORD_GUILD_ID: '12ab', STORAGE_URL: 'mysql://x', LOG_LEVEL: 'loud' }, ['DISCORD_TOKEN', 'DISCORD_CLIENT_ID']);
    expect(problems).toHaveLength(5);
    for (const name of ['DISCORD_TOKEN', 'DISCORD_GUILD_ID', 'STORAGE_URL', 'LOG_LEVEL', 'DISCORD_CLIENT_ID']) {
      expect(problems.filter((problem) => problem.startsWith(`${name} `))).toHaveLength(1);
    }
    expect(problems.every((problem) => !problem.includes('\n'))).toBe(true);
  });

  it('never echoes the token it rejects', () => {
    const secret = 'super.secret token-value';
    const problems = problemsOf({ DISCORD_TOKEN: secret }, ['DISCORD_TOKEN']);
    expect(problems.join('\n')).not.toContain(secret);
    expect(problems.join('\n')).not.toContain('super.secret');
  });

  it('looks films up on TMDB only when TMDB_TOKEN is set, at TMDB unless TMDB_API_URL says otherwise', () => {
    expect(parseConfig({}).tmdb).toBeUndefined();
    expect(parseConfig({ TMDB_TOKEN: 'eyJhbGciOiJIUzI1NiJ9.e30.abc' }).tmdb).toEqual({ token: 'eyJhbGciOiJIUzI1NiJ9.e30.abc', apiUrl: DEFAULT_TMDB_API_URL });
    expect(parseConfig({ TMDB_TOKEN: 'token', TMDB_API_URL: 'http://127.0.0.1:9000/' }).tmdb?.apiUrl).toBe('http://127.0.0.1:9000');
  });

  it('refuses TMDB’s v3 API key, a token with spaces and a URL without a token, never echoing the token', () => {
    const v3Key = '0123456789abcdef0123456789abcdef';
    const problems = problemsOf({ TMDB_TOKEN: v3Key });
    expect(problems).toEqual(['TMDB_TOKEN looks like TMDB’s v3 API Key: use the API Read Access Token from the same page instead']);
    expect(problemsOf({ TMDB_TOKEN: 'two words' })[0]).toMatch(/^TMDB_TOKEN must be TMDB’s API Read Access Token/);
    expect(problemsOf({ TMDB_API_URL: 'http://127.0.0.1:9000' })).toEqual(['TMDB_API_URL is set but TMDB_TOKEN is not: TMDB lookups need the token too']);
    expect(problemsOf({ TMDB_TOKEN: 'two words' }).join('\n')).not.toContain('two words');
  });

  it('serves health and metrics only when METRICS_PORT is set, on 127.0.0.1 unless METRICS_HOST says otherwise', () => {
    expect(parseConfig({})).toMatchObject({ metricsPort: undefined, metricsHost: '127.0.0.1' });
    expect(parseConfig({ METRICS_PORT: '', METRICS_HOST: '' })).toMatchObject({ metricsPort: undefined, metricsHost: '127.0.0.1' });
    expect(parseConfig({ METRICS_PORT: '9464', METRICS_HOST: '0.0.0.0' })).toMatchObject({ metricsPort: 9464, metricsHost: '0.0.0.0' });
  });

  it('refuses a METRICS_PORT that is not a port, and a METRICS_HOST that is not a host', () => {
    for (const port of ['http', '0', '65536', '94.64', '-1']) expect(problemsOf({ METRICS_PORT: port }), port).toEqual(['METRICS_PORT must be a TCP port number from 1 to 65535']);
    expect(problemsOf({ METRICS_HOST: 'http://user:pw@example.com' })).toEqual([expect.stringMatching(/^METRICS_HOST must be a host name or an IP address/)]);
  });
});

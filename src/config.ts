// Reads the bot's configuration from the environment (and `.env` when present), once, with zod.
import { existsSync } from 'node:fs';
import * as z from 'zod';

export const DEFAULT_API_URL = 'https://discord.com/api';
export const DEFAULT_TMDB_API_URL = 'https://api.themoviedb.org';
export const DEFAULT_STORAGE_URL = 'sqlite://data/reelside.sqlite';
// Loopback only: the endpoints are for a Prometheus or a probe on the same machine unless the operator says otherwise.
export const DEFAULT_METRICS_HOST = '127.0.0.1';

// Empty strings in .env files mean "not set", as in most dotenv tooling.
const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((value) => (typeof value === 'string' && value.trim() === '' ? undefined : value), schema.optional());

const snowflake = z.string().trim().regex(/^\d{17,20}$/, 'must be a Discord id: 17 to 20 digits (Developer Mode → right-click → Copy ID)');

const PORT = 'must be a TCP port number from 1 to 65535';

const envSchema = z.object({
  DISCORD_TOKEN: optional(
    z.string().trim().regex(/^[\w-]+\.[\w-]+\.[\w-]+$/, 'does not look like a bot token: copy it again from the Developer Portal (Bot → Reset Token)'),
  ),
  DISCORD_CLIENT_ID: optional(snowflake),
  DISCORD_GUILD_ID: optional(snowflake),
  DISCORD_API_URL: optional(z.url({ protocol: /^https?$/, error: 'must be an http(s) URL such as https://discord.com/api' })),
  STORAGE_URL: optional(
    z.string().trim().regex(/^(sqlite|redis|rediss|postgres|postgresql):\/\/.+/, 'must start with sqlite://, redis:// or postgresql://'),
  ),
  LOG_LEVEL: optional(z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])),
  SHARD_COUNT: optional(z.union([z.literal('auto'), z.coerce.number().int().min(1).max(10_000)], { error: 'must be "auto" or a whole number of shards from 1' })),
  SHARD_LIST: optional(
    z
      .string()
      .regex(/^\s*\d+(\s*,\s*\d+)*\s*$/, 'must be shard ids separated by commas, e.g. 0,1')
      .transform((list) => list.split(',').map((id) => Number(id.trim()))),
  ),
  // TMDB's "API Read Access Token" (a long JWT); the v3 "API Key" is a 32-character hex string and does not work as a bearer token.
  TMDB_TOKEN: optional(
    z
      .string()
      .trim()
      .regex(/^\S+$/, 'must be TMDB’s API Read Access Token, on one line (themoviedb.org → Settings → API)')
      .refine((token) => !/^[0-9a-f]{32}$/i.test(token), 'looks like TMDB’s v3 API Key: use the API Read Access Token from the same page instead'),
  ),
  TMDB_API_URL: optional(z.url({ protocol: /^https?$/, error: 'must be an http(s) URL such as https://api.themoviedb.org' })),
  METRICS_PORT: optional(z.coerce.number({ error: PORT }).int({ error: PORT }).min(1, { error: PORT }).max(65_535, { error: PORT })),
  // A host name or an IP address (IPv6 without brackets); never a URL, which could carry a password.
  METRICS_HOST: optional(z.string().trim().regex(/^[\w.:-]+$/, 'must be a host name or an IP address to listen on, e.g. 127.0.0.1 or 0.0.0.0')),
});

export interface Config {
  token: string | undefined;
  clientId: string | undefined;
  guildId: string | undefined;
  apiUrl: string;
  storageUrl: string;
  logLevel: string;
  shardCount: number | 'auto';
  shardList: number[] | undefined;
  /** Health and metrics over HTTP on this port; off when undefined. */
  metricsPort: number | undefined;
  metricsHost: string;
  /** TMDB as a film source; off when undefined. */
  tmdb: { token: string; apiUrl: string } | undefined;
}

export type RequiredSetting = 'DISCORD_TOKEN' | 'DISCORD_CLIENT_ID';

const HOW_TO_SET: Record<RequiredSetting, string> = {
  DISCORD_TOKEN: 'DISCORD_TOKEN is not set: put your bot token in .env (see .env.example; Developer Portal → your application → Bot → Reset Token)',
  DISCORD_CLIENT_ID: 'DISCORD_CLIENT_ID is not set: put your application id in .env (Developer Portal → your application → General Information → Application ID)',
};

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
  }
}

/** Parses an environment; throws a ConfigError listing every problem (values are never echoed). */
export function parseConfig(env: Record<string, string | undefined>, required: RequiredSetting[] = []): Config {
  const result = envSchema.safeParse(env);
  const problems: string[] = [];
  if (!result.success) {
    for (const issue of result.error.issues) problems.push(`${issue.path.join('.')} ${issue.message}`);
  }
  const values = result.success ? result.data : undefined;
  for (const name of required) {
    const failedAlready = problems.some((problem) => problem.startsWith(`${name} `));
    if (!failedAlready && !values?.[name]) problems.push(HOW_TO_SET[name]);
  }
  if (values?.SHARD_LIST && typeof values.SHARD_COUNT === 'number') {
    const count = values.SHARD_COUNT;
    if (values.SHARD_LIST.some((id) => id >= count)) problems.push(`SHARD_LIST names a shard id of ${count} or more, but SHARD_COUNT is ${count}: ids run from 0 to ${count - 1}`);
  }
  if (values?.TMDB_API_URL && !values.TMDB_TOKEN) problems.push('TMDB_API_URL is set but TMDB_TOKEN is not: TMDB lookups need the token too');
  if (values?.SHARD_LIST && values.SHARD_COUNT === undefined) problems.push('SHARD_LIST needs SHARD_COUNT too, so every machine agrees on the total');
  if (problems.length > 0 || !values) throw new ConfigError(problems);
  return {
    token: values.DISCORD_TOKEN,
    clientId: values.DISCORD_CLIENT_ID,
    guildId: values.DISCORD_GUILD_ID,
    apiUrl: (values.DISCORD_API_URL ?? DEFAULT_API_URL).replace(/\/+$/, ''),
    storageUrl: values.STORAGE_URL ?? DEFAULT_STORAGE_URL,
    logLevel: values.LOG_LEVEL ?? 'info',
    shardCount: values.SHARD_COUNT ?? 'auto',
    shardList: values.SHARD_LIST,
    metricsPort: values.METRICS_PORT,
    metricsHost: values.METRICS_HOST ?? DEFAULT_METRICS_HOST,
    tmdb: values.TMDB_TOKEN ? { token: values.TMDB_TOKEN, apiUrl: (values.TMDB_API_URL ?? DEFAULT_TMDB_API_URL).replace(/\/+$/, '') } : undefined,
  };
}

/** Loads `.env` (without overriding what the shell set) and parses; on problems prints them and exits 1. */
export function loadConfigOrExit(required: RequiredSetting[] = []): Config {
  const envFile = process.env.REELSIDE_ENV_FILE ?? '.env';
  if (existsSync(envFile)) process.loadEnvFile(envFile);
  try {
    return parseConfig(process.env, required);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    for (const problem of error.problems) console.error(`Configuration error: ${problem}`);
    process.exit(1);
  }
}

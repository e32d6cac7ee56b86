// Connects to Redis the way every part of the bot needs: fail fast at start-up, fail at once while disconnected.
import { createClient } from '@keyv/redis';
import type { Logger } from '../log';
import { STORAGE_TIMEOUT_MS } from './timeouts';

export interface RedisConnectOptions {
  /** Longest wait between reconnection attempts. */
  maxReconnectDelayMs: number;
  /** Told once when the connection breaks and once when it is back; silent without. */
  log?: Logger;
}

export async function connectRedis(url: string, { maxReconnectDelayMs, log }: RedisConnectOptions) {
  // Retrying forever makes sense once connected (Redis restarts, the bot waits); at start-up it
  // would leave the bot hanging silently, so a first connection that fails is an error.
  let connectedOnce = false;
  const client = createClient({
    url,
    // While disconnected, node-redis would queue commands and run them on reconnect: a vote the
    // member was told to retry, or a lease renewal, could then land late. Fail at once instead.
    disableOfflineQueue: true,
    socket: {
      connectTimeout: STORAGE_TIMEOUT_MS,
      reconnectStrategy: (attempts: number, cause: Error) =>
        connectedOnce ? Math.min(100 * 2 ** attempts, maxReconnectDelayMs) : new Error(`could not connect to Redis at STORAGE_URL: ${cause.message}`),
    },
  });
  // Without a listener an 'error' event would crash the process; reconnection is automatic.
  let reported = false;
  client.on('error', (error: unknown) => {
    if (!reported) log?.warn({ err: error }, 'redis connection error; reconnecting');
    reported = true;
  });
  client.on('ready', () => {
    connectedOnce = true;
    if (reported) log?.info('redis connection restored');
    reported = false;
  });
  await client.connect();
  return client;
}

export type RedisClient = Awaited<ReturnType<typeof connectRedis>>;

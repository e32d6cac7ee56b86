// Structured logging (pino) that can never print the bot token.
import pino, { type Logger } from 'pino';

export type { Logger };

/** A logger whose every output line has the given secrets replaced, whatever logged them. */
export function createLogger(level: string, secrets: (string | undefined)[] = [], destination?: pino.DestinationStream): Logger {
  const hidden = secrets.filter((secret): secret is string => Boolean(secret && secret.length >= 8));
  return pino(
    {
      level,
      base: undefined,
      hooks: {
        streamWrite: (line) => hidden.reduce((text, secret) => text.replaceAll(secret, '[redacted]'), line),
      },
    },
    destination,
  );
}

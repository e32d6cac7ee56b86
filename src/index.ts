// Entry point of `npm start`: reads the configuration, starts the bot, stops cleanly on signals.
import { startBot } from './bot';
import { loadConfigOrExit } from './config';
import { createLogger } from './log';

const config = loadConfigOrExit(['DISCORD_TOKEN']);
const log = createLogger(config.logLevel, [config.token]);

try {
  const bot = await startBot({ ...config, token: config.token! }, log);
  let stopping = false;
  const stop = async (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    await bot.stop();
    process.exit(0);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
} catch (error) {
  log.fatal({ err: error }, 'could not start');
  console.error(`Reelside could not start: ${describeStartFailure(error)}`);
  process.exit(1);
}

function describeStartFailure(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  if (code === 'TokenInvalid' || (error as { status?: number }).status === 401) {
    return 'Discord rejected DISCORD_TOKEN. Copy a fresh token from the Developer Portal (Bot → Reset Token) into .env.';
  }
  return error instanceof Error ? error.message : String(error);
}

// A stray rejection is a bug to log, not a reason to take every server's bot offline.
process.on('unhandledRejection', (reason) => log.error({ err: reason }, 'unhandled rejection'));

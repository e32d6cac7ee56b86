// Entry point of `npm start`: reads the configuration, starts the bot, stops cleanly on signals.
import { type RunningBot, startBot } from './bot';
import { loadConfigOrExit } from './config';
import { createLogger } from './log';
import type { BotMetrics } from './metrics/instruments';
import { notReady } from './metrics/readiness';
import { BOT_STOP_DEADLINE_MS, handleShutdown } from './shutdown';

const config = loadConfigOrExit(['DISCORD_TOKEN']);
const log = createLogger(config.logLevel, [config.token, config.tmdb?.token]);
// Before start-up, so that a signal or a crash while starting is handled too.
const shutdown = handleShutdown(process, { log, exit: (code) => process.exit(code), deadlineMs: BOT_STOP_DEADLINE_MS });

// Off unless METRICS_PORT is set, and then loaded (prom-client with it) only then: memory counts.
// Started before the bot, so /healthz answers while it starts.
let metrics: BotMetrics | undefined;
let bot: RunningBot | undefined;
let metricsServer: { close(): Promise<void> } | undefined;
if (config.metricsPort !== undefined) {
  const [{ createBotMetrics }, { serveMetrics }] = await Promise.all([import('./metrics/instruments'), import('./metrics/serve')]);
  metrics = createBotMetrics();
  metricsServer = await serveMetrics(
    { ...config, metricsPort: config.metricsPort },
    { registry: metrics.registry, readiness: () => bot?.readiness() ?? Promise.resolve(notReady(shutdown.requested.aborted ? 'stopping' : 'starting')) },
    log,
  );
}

try {
  const running = await startBot({ ...config, token: config.token! }, log, { signal: shutdown.requested, metrics });
  bot = running;
  shutdown.running(async () => {
    try {
      await running.stop();
    } finally {
      // Last, so that /healthz still answers while interactions in flight finish.
      await metricsServer?.close();
    }
  });
  // Another process serves our shard now: exiting 1 lets whatever runs the bot start it again,
  // to wait for the lease like any second copy.
  void bot.leaseLost.then(() => shutdown.abandon());
} catch (error) {
  if (shutdown.requested.aborted) {
    // Stopped while waiting for a shard lease: nothing ran, nothing to stop.
    log.info('stopped before serving');
    process.exit(0);
  }
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

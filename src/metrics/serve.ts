// Where a bot process's figures go: its own HTTP endpoint, or, as a shard under the manager, to the manager.
import type { Registry } from 'prom-client';
import type { Logger } from '../log';
import type { Readiness } from './readiness';
import { startMetricsServerOrLog } from './server';
import { answerShardManager } from './shards';

export interface BotFigures {
  registry: Registry;
  readiness(): Promise<Readiness>;
}

/** discord.js's ShardingManager starts each shard process with these set. */
function runsUnderShardManager(): boolean {
  return process.env.SHARDING_MANAGER === 'true' && process.env.SHARDING_MANAGER_MODE === 'process' && typeof process.send === 'function';
}

/**
 * Serves /healthz, /readyz and /metrics on METRICS_HOST:METRICS_PORT; a shard process instead
 * answers its manager, which serves every shard on that port (one scrape target per machine).
 * A port that cannot be bound is logged and the bot runs on without: metrics never stop the bot.
 */
export async function serveMetrics(
  config: { metricsHost: string; metricsPort: number },
  figures: BotFigures,
  log: Logger,
): Promise<{ close(): Promise<void> } | undefined> {
  if (runsUnderShardManager()) {
    const stop = answerShardManager(process, { metrics: () => figures.registry.getMetricsAsJSON(), readiness: figures.readiness });
    return { close: async () => stop() };
  }
  return startMetricsServerOrLog(
    { readiness: figures.readiness, metrics: async () => ({ contentType: figures.registry.contentType, body: await figures.registry.metrics() }) },
    { host: config.metricsHost, port: config.metricsPort, log },
  );
}

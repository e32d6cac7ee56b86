// The shard manager's endpoint: one scrape target for every shard this machine runs.
import type { ShardingManager } from 'discord.js';
import type { Logger } from '../log';
import { createProcessRegistry } from './instruments';
import { startMetricsServerOrLog } from './server';
import { ShardFigures } from './shards';

/**
 * Serves /healthz, /readyz and /metrics for `shardIds`, asking each shard process over IPC.
 * Call before `manager.spawn`, so every shard's answers are heard from its first start on.
 * A port that cannot be bound is logged and the shards run on without: metrics never stop the bot.
 */
export async function serveShardFigures(
  manager: ShardingManager,
  shardIds: readonly number[],
  config: { metricsHost: string; metricsPort: number },
  log: Logger,
): Promise<{ close(): Promise<void> } | undefined> {
  const figures = new ShardFigures(shardIds, (shardId) => {
    const shard = manager.shards.get(shardId);
    // A dead shard (being respawned, or given up on) has no one to ask.
    return shard?.process?.connected ? shard : undefined;
  });
  // A respawned shard keeps its Shard object, so one listener per shard is enough.
  manager.on('shardCreate', (shard) => shard.on('message', (message) => figures.receive(message)));
  // The manager process's own CPU and memory, added to the shards' (process_* series are sums over the machine's bot processes).
  const own = createProcessRegistry();
  return startMetricsServerOrLog({ readiness: () => figures.readiness(), metrics: () => figures.metrics(own) }, { host: config.metricsHost, port: config.metricsPort, log });
}

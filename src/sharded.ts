// Entry point of `npm run start:sharded`: runs the bot as several gateway shards, one process each.
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { REST, Routes, ShardingManager } from 'discord.js';
import { loadConfigOrExit } from './config';
import { createLogger } from './log';
import { handleShutdown, SHARDS_STOP_DEADLINE_MS } from './shutdown';

const config = loadConfigOrExit(['DISCORD_TOKEN']);
const log = createLogger(config.logLevel, [config.token, config.tmdb?.token]).child({ role: 'shard-manager' });
const token = config.token!;

let manager: ShardingManager | undefined;
// Shards left running without a manager would be started a second time by a restarted one.
const killShards = () => {
  if (!manager) return;
  manager.respawn = false;
  for (const shard of manager.shards.values()) shard.process?.kill('SIGKILL');
};
// Before start-up, so that a signal or a crash while the shards start is handled too.
const shutdown = handleShutdown(process, { log, exit: (code) => process.exit(code), deadlineMs: SHARDS_STOP_DEADLINE_MS, onForcedExit: killShards });

// discord.js's own 'auto' asks discord.com directly and ignores a configured REST base URL,
// so the recommended count is asked of DISCORD_API_URL here.
async function recommendedShardCount(): Promise<number> {
  const gateway = (await new REST({ api: config.apiUrl }).setToken(token).get(Routes.gatewayBot())) as { shards: number };
  return Math.max(1, gateway.shards);
}

try {
  const totalShards = config.shardCount === 'auto' ? await recommendedShardCount() : config.shardCount;
  // Compiled next to this file (npm run build): shards run plain JavaScript, as this process does.
  manager = new ShardingManager(fileURLToPath(new URL('./index.js', import.meta.url)), {
    token,
    totalShards,
    shardList: config.shardList ?? 'auto',
    mode: 'process',
    respawn: true,
    execArgv: ['--enable-source-maps'],
  });
  const shards = manager;
  // One endpoint for the machine: the shard processes answer it over IPC and never bind the port themselves.
  // Loaded only when metrics are on (prom-client with them), as in index.ts.
  const { metricsPort } = config;
  const metricsServer =
    metricsPort === undefined
      ? undefined
      : await (await import('./metrics/manager')).serveShardFigures(shards, config.shardList ?? Array.from({ length: totalShards }, (_, id) => id), { ...config, metricsPort }, log);
  shards.on('shardCreate', (shard) => {
    log.info({ shardId: shard.id, totalShards }, 'shard started');
    shard.on('death', () => log.warn({ shardId: shard.id }, 'shard process exited'));
  });

  // A container stop signals only this process: pass it on and wait, so each shard finishes
  // its in-flight interactions and closes storage before we exit.
  shutdown.running(async () => {
    log.info('stopping every shard');
    shards.respawn = false;
    const failures = await Promise.all(
      shards.shards.map(async (shard) => {
        const child = shard.process;
        if (!child || child.exitCode !== null || child.signalCode !== null) return undefined;
        const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
        child.kill('SIGTERM');
        const [code, signal] = await exited;
        return code === 0 ? undefined : { shardId: shard.id, code, signal };
      }),
    );
    const failed = failures.filter((failure) => failure !== undefined);
    await metricsServer?.close();
    if (failed.length > 0) throw new Error(`shards did not stop cleanly: ${JSON.stringify(failed)}`);
    log.info('all shards stopped');
  });

  await shards.spawn({ amount: totalShards, timeout: 60_000 });
  log.info({ shards: shards.shards.map((shard) => shard.id), totalShards }, 'all shards ready');
} catch (error) {
  // A stop under way kills shards that are still starting; it reports and exits by itself.
  if (!shutdown.stopping) failedToStart(error);
}

function failedToStart(error: unknown): void {
  // Shards already started would otherwise live on without a manager, and a restarted manager
  // would start second copies of them: two processes writing one server's records.
  if (manager) {
    manager.respawn = false;
    for (const shard of manager.shards.values()) shard.kill();
  }
  log.fatal({ err: error }, 'could not start the shards');
  console.error(`Reelside could not start its shards: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}

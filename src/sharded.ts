// Entry point of `npm run start:sharded`: runs the bot as several gateway shards, one process each.
import { once } from 'node:events';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { REST, Routes, ShardingManager } from 'discord.js';
import { loadConfigOrExit } from './config';
import { createLogger } from './log';

const config = loadConfigOrExit(['DISCORD_TOKEN']);
const log = createLogger(config.logLevel, [config.token]).child({ role: 'shard-manager' });
const token = config.token!;

// discord.js's own 'auto' asks discord.com directly and ignores a configured REST base URL,
// so the recommended count is asked of DISCORD_API_URL here.
async function recommendedShardCount(): Promise<number> {
  const gateway = (await new REST({ api: config.apiUrl }).setToken(token).get(Routes.gatewayBot())) as { shards: number };
  return Math.max(1, gateway.shards);
}

let manager: ShardingManager | undefined;
try {
  const totalShards = config.shardCount === 'auto' ? await recommendedShardCount() : config.shardCount;
  manager = new ShardingManager(fileURLToPath(new URL('./index.ts', import.meta.url)), {
    token,
    totalShards,
    shardList: config.shardList ?? 'auto',
    mode: 'process',
    respawn: true,
    // Shards run the same TypeScript entry point, so they load tsx the way this process did.
    execArgv: ['--import', createRequire(import.meta.url).resolve('tsx')],
  });
  const shards = manager;
  shards.on('shardCreate', (shard) => {
    log.info({ shardId: shard.id, totalShards }, 'shard started');
    shard.on('death', () => log.warn({ shardId: shard.id }, 'shard process exited'));
  });

  let stopping = false;
  const stop = async (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'stopping every shard');
    // A container stop signals only this process: pass it on and wait, so each shard finishes
    // its in-flight interactions and closes storage before we exit.
    shards.respawn = false;
    await Promise.all(
      shards.shards.map(async (shard) => {
        const child = shard.process;
        if (!child || child.exitCode !== null || child.signalCode !== null) return;
        const exited = once(child, 'exit');
        child.kill('SIGTERM');
        await exited;
      }),
    );
    log.info('all shards stopped');
    process.exit(0);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);

  await shards.spawn({ amount: totalShards, timeout: 60_000 });
  log.info({ shards: shards.shards.map((shard) => shard.id), totalShards }, 'all shards ready');
} catch (error) {
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

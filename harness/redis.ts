// A throwaway redis-server on 127.0.0.1 for tests and benchmarks (Debian's redis-server package).
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { freePort, type StorageServer } from './servers';
import { tempDir } from './tmp';

export function redisAvailable(): boolean {
  try {
    execFileSync('redis-server', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** CI installs Redis and sets REQUIRE_REDIS=1: there, a missing server fails instead of skipping. */
export function redisRequired(): boolean {
  return process.env.REQUIRE_REDIS === '1';
}

export async function startRedis(): Promise<StorageServer & { port: number }> {
  if (!redisAvailable()) throw new Error('redis-server is not installed (Debian package redis-server)');
  const dir = tempDir('reelside-redis-');
  const port = await freePort();
  let child: ChildProcess | undefined;
  const start = async () => {
    // Append-only with fsync per write, so a stopped and restarted server still has every
    // acknowledged write, like a production Redis configured for durability.
    child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir.path, '--appendonly', 'yes', '--appendfsync', 'always', '--save', '', '--databases', '256'], { stdio: 'ignore' });
    const deadline = Date.now() + 10_000;
    for (;;) {
      try {
        execFileSync('redis-cli', ['-p', String(port), 'ping'], { stdio: 'ignore' });
        return;
      } catch {
        if (Date.now() > deadline) throw new Error('redis-server did not start');
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
  };
  const stop = async () => {
    const running = child;
    if (!running || running.exitCode !== null) return;
    await new Promise((resolve) => {
      running.once('exit', resolve);
      running.kill('SIGTERM');
    });
  };
  await start();
  let databases = 0;
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    async newDatabase() {
      databases += 1;
      if (databases > 255) throw new Error('this Redis server has no unused database left');
      return `redis://127.0.0.1:${port}/${databases}`;
    },
    stop,
    start,
    async close() {
      await stop();
      dir.remove();
    },
  };
}

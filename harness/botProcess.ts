// Runs the real bot entry point (what `npm start` runs) as a child process, and reads its logs.
import { type ChildProcess, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { tempDir } from './tmp';

const require = createRequire(import.meta.url);
export const TSX_LOADER = require.resolve('tsx');
// What `npm start` and `npm run start:sharded` run: the compiled bot (see scripts/build.ts, which
// the test suite, the sandbox and the bench run first).
export const ENTRY_POINT = fileURLToPath(new URL('../dist/index.js', import.meta.url));
export const SHARDED_ENTRY_POINT = fileURLToPath(new URL('../dist/sharded.js', import.meta.url));

/** Shaped like a real bot token (three base64url parts), as the config demands. */
export const TEST_TOKEN = 'MTAwMDAwMDAwMDAwMDAwMDAx.GstAnd.in-test-token-not-a-secret-0123456789';

export interface LogLine {
  level: number;
  msg: string;
  [field: string]: unknown;
}

export interface BotProcess {
  child: ChildProcess;
  logs: LogLine[];
  stderr: () => string;
  waitForLog(predicate: (line: LogLine) => boolean, timeoutMs?: number): Promise<LogLine>;
  /** Resolves once the bot is connected, its commands registered and its poll timers set. */
  ready(timeoutMs?: number): Promise<void>;
  exited: Promise<number | null>;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export interface BotProcessOptions {
  apiUrl: string;
  storageUrl?: string;
  token?: string;
  env?: Record<string, string>;
  entry?: string;
  args?: string[];
}

export function startBotProcess(options: BotProcessOptions): BotProcess {
  // A temporary working folder keeps a developer's own .env and data/ out of the test.
  const cwd = tempDir('reelside-bot-');
  const child = spawn(process.execPath, ['--enable-source-maps', options.entry ?? ENTRY_POINT, ...(options.args ?? [])], {
    cwd: cwd.path,
    env: {
      PATH: process.env.PATH ?? '',
      DISCORD_TOKEN: options.token ?? TEST_TOKEN,
      DISCORD_API_URL: options.apiUrl,
      STORAGE_URL: options.storageUrl ?? 'sqlite://data/reelside.sqlite',
      LOG_LEVEL: 'debug',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: LogLine[] = [];
  const waiters = new Set<{ predicate: (line: LogLine) => boolean; resolve: (line: LogLine) => void }>();
  let stderr = '';
  let buffered = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    buffered += chunk;
    const lines = buffered.split('\n');
    buffered = lines.pop() ?? '';
    for (const text of lines) {
      if (!text.trim()) continue;
      let line: LogLine;
      try {
        line = JSON.parse(text) as LogLine;
      } catch {
        line = { level: 30, msg: text };
      }
      logs.push(line);
      for (const waiter of waiters) {
        if (waiter.predicate(line)) {
          waiters.delete(waiter);
          waiter.resolve(line);
        }
      }
    }
  });
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => {
      cwd.remove();
      resolve(code);
    });
  });

  const waitForLog = (predicate: (line: LogLine) => boolean, timeoutMs = 20_000) => {
    const seen = logs.find(predicate);
    if (seen) return Promise.resolve(seen);
    return new Promise<LogLine>((resolve, reject) => {
      const waiter = { predicate, resolve };
      waiters.add(waiter);
      const timer = setTimeout(() => {
        waiters.delete(waiter);
        reject(new Error(`no matching log line within ${timeoutMs} ms; stderr: ${stderr.slice(-2000)}; last logs: ${JSON.stringify(logs.slice(-5))}`));
      }, timeoutMs);
      void exited.then(() => {
        if (!waiters.has(waiter)) return;
        clearTimeout(timer);
        waiters.delete(waiter);
        reject(new Error(`bot exited before the expected log line; stderr: ${stderr.slice(-2000)}`));
      });
      const originalResolve = waiter.resolve;
      waiter.resolve = (line) => {
        clearTimeout(timer);
        originalResolve(line);
      };
    });
  };

  return {
    child,
    logs,
    stderr: () => stderr,
    waitForLog,
    exited,
    async ready(timeoutMs = 30_000) {
      await waitForLog((line) => line.msg === 'serving', timeoutMs);
    },
    async stop(signal: NodeJS.Signals = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

// What the throwaway database servers of the tests (redis.ts, postgres.ts) have in common.
import { createServer } from 'node:net';

/** A database server a test can stop and start, as an outage would; data survives a restart. */
export interface StorageServer {
  url: string;
  /** The URL of a new, empty database on this server. */
  newDatabase(): Promise<string>;
  stop(): Promise<void>;
  start(): Promise<void>;
  close(): Promise<void>;
}

/** A TCP port on 127.0.0.1 that nothing listens on right now. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

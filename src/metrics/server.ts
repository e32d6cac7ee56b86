// The HTTP endpoints /healthz, /readyz and /metrics: small, read-only, and unable to hold the bot up.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Logger } from '../log';
import type { Readiness } from './readiness';

export interface MetricsEndpoints {
  readiness(): Promise<Readiness>;
  metrics(): Promise<{ contentType: string; body: string }>;
}

export interface MetricsServerOptions {
  host: string;
  port: number;
  log: Logger;
}

export interface MetricsServer {
  /** Where it listens, e.g. http://127.0.0.1:9464 */
  url: string;
  close(): Promise<void>;
}

// Long enough for a readiness check (a storage probe of up to 2 s, or a shard's answer to its
// manager); short enough that a client that trickles its request or idles holds nothing for long.
const HEADERS_TIMEOUT_MS = 3_000;
const REQUEST_TIMEOUT_MS = 4_000;
const SOCKET_IDLE_TIMEOUT_MS = 6_000;
// A scraper or probe needs a handful of connections at most.
const MAX_CONNECTIONS = 32;

/** Listens on host:port; rejects if it cannot (the port is taken, say). */
export async function startMetricsServer(endpoints: MetricsEndpoints, { host, port, log }: MetricsServerOptions): Promise<MetricsServer> {
  // Concurrent requests share one check: a client hammering /readyz costs one storage probe at a time.
  const readiness = shared(endpoints.readiness);
  const metrics = shared(endpoints.metrics);

  const server = createServer(
    // Node only enforces the request timeouts when it checks, every 30 s by default.
    { maxHeaderSize: 8 * 1024, connectionsCheckingInterval: 1_000, requestTimeout: REQUEST_TIMEOUT_MS, headersTimeout: HEADERS_TIMEOUT_MS },
    (request, response) => {
      handle(request, response).catch((error: unknown) => {
        log.warn({ err: error }, 'metrics request failed');
        response.destroy();
      });
    },
  );
  server.timeout = SOCKET_IDLE_TIMEOUT_MS;
  server.keepAliveTimeout = SOCKET_IDLE_TIMEOUT_MS;
  server.maxConnections = MAX_CONNECTIONS;
  server.maxHeadersCount = 64;

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    // The body is never read: the connection is closed after the answer instead of draining it.
    if (hasBody(request)) response.setHeader('Connection', 'close');
    response.setHeader('Cache-Control', 'no-store');
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      send(response, 405, 'text/plain; charset=utf-8', 'method not allowed\n', { Allow: 'GET, HEAD', Connection: 'close' });
      return;
    }
    switch (pathOf(request.url)) {
      case '/healthz':
        // The process is up and its event loop turns: that is all liveness means.
        send(response, 200, 'text/plain; charset=utf-8', 'ok\n');
        return;
      case '/readyz': {
        const state = await readiness().catch(() => ({ ready: false, reason: 'readiness could not be checked' }) as const);
        send(response, state.ready ? 200 : 503, 'application/json', `${JSON.stringify(state)}\n`);
        return;
      }
      case '/metrics': {
        let figures: { contentType: string; body: string };
        try {
          figures = await metrics();
        } catch (error) {
          log.warn({ err: error }, 'metrics could not be collected');
          send(response, 500, 'text/plain; charset=utf-8', 'metrics could not be collected\n');
          return;
        }
        send(response, 200, figures.contentType, figures.body);
        return;
      }
      default:
        send(response, 404, 'text/plain; charset=utf-8', 'not found\n');
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.on('error', (error) => log.error({ err: error }, 'metrics server error'));
  const address = server.address();
  const bound = typeof address === 'object' && address ? address : { address: host, port };
  const url = `http://${bound.address.includes(':') ? `[${bound.address}]` : bound.address}:${bound.port}`;
  log.info({ url }, 'health and metrics served');

  let closed: Promise<void> | undefined;
  return {
    url,
    close: () =>
      (closed ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        // A scraper's keep-alive connection would otherwise hold the close open.
        server.closeAllConnections();
      })),
  };
}

function send(response: ServerResponse, status: number, contentType: string, body: string, headers: Record<string, string> = {}): void {
  response.writeHead(status, { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(body), ...headers });
  // For HEAD, Node sends the headers only.
  response.end(body);
}

function hasBody(request: IncomingMessage): boolean {
  const length = request.headers['content-length'];
  return request.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

function pathOf(url: string | undefined): string | undefined {
  try {
    return new URL(url ?? '/', 'http://localhost').pathname;
  } catch {
    return undefined;
  }
}

/** Calls `work` once for any number of callers waiting at the same time. */
function shared<T>(work: () => Promise<T>): () => Promise<T> {
  let inFlight: Promise<T> | undefined;
  return () => {
    if (inFlight) return inFlight;
    const started = Promise.resolve().then(work);
    inFlight = started;
    void started.finally(() => (inFlight = undefined)).catch(() => undefined);
    return started;
  };
}

/** Starts the server, or logs why it could not (a port taken, say): metrics never stop the bot. */
export async function startMetricsServerOrLog(endpoints: MetricsEndpoints, options: MetricsServerOptions): Promise<MetricsServer | undefined> {
  try {
    return await startMetricsServer(endpoints, options);
  } catch (error) {
    options.log.error({ err: error, host: options.host, port: options.port }, 'health and metrics not served: could not listen');
    return undefined;
  }
}

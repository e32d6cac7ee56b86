// The health and metrics endpoint as a probe or a scraper sees it, and as a rude client finds it.
import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { checkReadiness, notReady, type Readiness } from '../../src/metrics/readiness';
import { type MetricsServer, startMetricsServer } from '../../src/metrics/server';
import { silentLog } from '../../harness/storage';

const servers: MetricsServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function serve(readiness: () => Promise<Readiness> = async () => ({ ready: true })): Promise<MetricsServer> {
  const server = await startMetricsServer(
    { readiness, metrics: async () => ({ contentType: 'text/plain; version=0.0.4; charset=utf-8', body: 'reelside_up 1\n' }) },
    { host: '127.0.0.1', port: 0, log: silentLog },
  );
  servers.push(server);
  return server;
}

/** Writes `request` as raw bytes and collects whatever comes back until the server closes the connection. */
function raw(server: MetricsServer, request: string): { socket: Socket; closed: Promise<string> } {
  const { hostname, port } = new URL(server.url);
  const socket = connect(Number(port), hostname);
  let received = '';
  socket.setEncoding('utf8').on('data', (chunk: string) => (received += chunk));
  socket.on('error', () => undefined);
  socket.write(request);
  return { socket, closed: new Promise((resolve) => socket.on('close', () => resolve(received))) };
}

describe('the metrics HTTP server', () => {
  it('answers /healthz with 200 while the process is up', async () => {
    const server = await serve();
    const response = await fetch(`${server.url}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('ok\n');
  });

  it('answers /readyz with 200 and {"ready":true} when ready', async () => {
    const server = await serve();
    const response = await fetch(`${server.url}/readyz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ready: true });
  });

  it('answers /readyz with 503 and a short reason when not ready', async () => {
    const server = await serve(async () => notReady('storage is not answering'));
    const response = await fetch(`${server.url}/readyz`);
    expect(response.status).toBe(503);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(await response.json()).toEqual({ ready: false, reason: 'storage is not answering' });
  });

  it('answers /readyz with 503 when the check itself throws, without repeating the error', async () => {
    const server = await serve(async () => {
      throw new Error('connect ECONNREFUSED redis://default:hunter2@db');
    });
    const response = await fetch(`${server.url}/readyz`);
    expect(response.status).toBe(503);
    const body = await response.text();
    expect(JSON.parse(body)).toEqual({ ready: false, reason: 'readiness could not be checked' });
    expect(body).not.toContain('hunter2');
  });

  it('serves /metrics in Prometheus text format, also with a query string', async () => {
    const server = await serve();
    const response = await fetch(`${server.url}/metrics?name[]=x`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(await response.text()).toBe('reelside_up 1\n');
  });

  it('answers an unknown path with 404', async () => {
    const server = await serve();
    for (const path of ['/', '/metricsx', '/healthz/extra', '/.env']) expect((await fetch(`${server.url}${path}`)).status, path).toBe(404);
  });

  it('answers HEAD with the headers only', async () => {
    const server = await serve();
    const response = await fetch(`${server.url}/healthz`, { method: 'HEAD' });
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('');
  });

  it('refuses every method but GET and HEAD with 405 and an Allow header', async () => {
    const server = await serve();
    for (const method of ['POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS']) {
      const response = await fetch(`${server.url}/metrics`, { method });
      expect(response.status, method).toBe(405);
      expect(response.headers.get('allow')).toBe('GET, HEAD');
    }
  });

  it('answers a POST without reading its body, and closes the connection', async () => {
    const server = await serve();
    // Announces a megabyte and sends three bytes: a server that read bodies would wait for the rest.
    const { closed } = raw(server, 'POST /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000\r\n\r\nabc');
    const answer = await closed;
    expect(answer).toMatch(/^HTTP\/1\.1 405 /);
    expect(answer.toLowerCase()).toContain('connection: close');
  });

  it('answers a GET that announces a body without reading it, and closes the connection', async () => {
    const server = await serve();
    const { closed } = raw(server, 'GET /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000\r\n\r\nabc');
    const answer = await closed;
    expect(answer).toMatch(/^HTTP\/1\.1 200 /);
    expect(answer.toLowerCase()).toContain('connection: close');
  });

  it('disconnects a client that never finishes its request, and serves others meanwhile', async () => {
    const server = await serve();
    const slow = raw(server, 'GET /metrics HTTP/1.1\r\nHost: x\r\n');
    const trickle = setInterval(() => slow.socket.write('X-Slow: 1\r\n'), 200);
    try {
      expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
      const answer = await slow.closed;
      // Dropped with a 408 or without a word, but never answered as if the request were whole.
      expect(answer).not.toMatch(/^HTTP\/1\.1 200/);
    } finally {
      clearInterval(trickle);
    }
  }, 20_000);

  it('stops listening when closed, even with a keep-alive connection open', async () => {
    const server = await serve();
    const { socket } = raw(server, 'GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n');
    await new Promise((resolve) => socket.once('data', resolve));
    await server.close();
    await expect(fetch(`${server.url}/healthz`)).rejects.toThrow();
  });
});

describe('readiness of a bot process', () => {
  const shards = (...states: boolean[]) => () => states.map((ready, id) => ({ id, ready }));

  it('is ready when every shard is READY and storage answers', async () => {
    expect(await checkReadiness({ shards: shards(true, true), probeStorage: async () => undefined })).toEqual({ ready: true });
  });

  it('names the shard that is not ready', async () => {
    expect(await checkReadiness({ shards: shards(true, false), probeStorage: async () => undefined })).toEqual({ ready: false, reason: 'gateway shard 1 is not ready' });
    expect(await checkReadiness({ shards: shards(), probeStorage: async () => undefined })).toEqual({ ready: false, reason: 'not connected to Discord yet' });
  });

  it('says storage is not answering when the probe fails, without its error message', async () => {
    const state = await checkReadiness({
      shards: shards(true),
      probeStorage: async () => {
        throw new Error('password authentication failed for postgresql://bot:hunter2@db/reelside');
      },
    });
    expect(state).toEqual({ ready: false, reason: 'storage is not answering' });
  });

  it('says storage is not answering when the probe hangs past the storage timeout', async () => {
    const state = await checkReadiness({ shards: shards(true), probeStorage: () => new Promise(() => undefined) }, 50);
    expect(state).toEqual({ ready: false, reason: 'storage is not answering' });
  });
});

/**
 * A loopback TMDB v3 stand-in (node:http on 127.0.0.1, random port) answering GET /3/search/movie
 * and GET /3/movie/{id}?append_to_response=credits in TMDB's JSON shapes, with controls for the
 * failures a client must survive: latency, injected 429/5xx answers, malformed bodies and outages.
 *
 *   const tmdb = await startTmdbStandin();
 *   const client = new TmdbClient({ token: tmdb.token, apiUrl: tmdb.url, timeoutMs: 5_000 });
 *   tmdb.failNext(429, { retryAfter: 1 });
 *   await client.searchMovies('fight club');   // 429, then the retry a second later
 *   tmdb.requests.length;                      // 2
 *   await tmdb.close();
 *
 * Modules: films.ts (the films it knows), routes.ts (what it answers), payloads.ts (TMDB's JSON).
 */
import { EventEmitter } from 'node:events';
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import { STANDIN_FILMS, type StandinFilm } from './films';
import { type Answer, route } from './routes';
import { errorBody, malformFields } from './payloads';

export { STANDIN_FILMS, type StandinCredit, type StandinFilm } from './films';

export interface TmdbStandinOptions {
  /** The API read access token it accepts (default "tmdb-test-token"). */
  token?: string;
  /** Delay before every answer; can be changed later through `latencyMs`. */
  latencyMs?: number;
  /** The films it knows (default STANDIN_FILMS). */
  films?: readonly StandinFilm[];
  port?: number;
}

/** One request as received. Path and query only: the Authorization header is never kept. */
export interface TmdbRequestLogEntry {
  method: string;
  path: string;
  /** Query parameters; an `api_key` one is kept as "[redacted]". */
  query: Record<string, string>;
  /** Date.now() when the request arrived. */
  at: number;
  /** Set once answered; stays unset for a request dropped by stop() or given up by the client. */
  status?: number;
  answeredAt?: number;
}

export interface FailOptions {
  /** Sent as the Retry-After header (seconds), e.g. with 429. */
  retryAfter?: number | string;
}

type Malformation = 'fields' | 'json';

interface Failure {
  status: number;
  retryAfter?: string;
}

export async function startTmdbStandin(options: TmdbStandinOptions = {}): Promise<TmdbStandin> {
  const standin = new TmdbStandin(options);
  await standin.start();
  return standin;
}

export class TmdbStandin extends EventEmitter<{ request: [TmdbRequestLogEntry] }> {
  readonly token: string;
  readonly films: readonly StandinFilm[];
  /** Applies to requests arriving from now on. */
  latencyMs: number;
  /** Every request, in order of arrival. */
  readonly requests: TmdbRequestLogEntry[] = [];

  private server: Server | undefined;
  private port: number | undefined;
  private closed = false;
  private readonly failures: Failure[] = [];
  private readonly malformations: Malformation[] = [];
  private readonly delayed = new Set<NodeJS.Timeout>();

  /** Use startTmdbStandin(), which listens first so `url` is known. */
  constructor(private readonly options: TmdbStandinOptions = {}) {
    super();
    this.token = options.token ?? 'tmdb-test-token';
    this.films = options.films ?? STANDIN_FILMS;
    this.latencyMs = options.latencyMs ?? 0;
  }

  /** The client's apiUrl (no /3): the same across stop() and start(). */
  get url(): string {
    if (this.port === undefined) throw new Error('The TMDB stand-in has not started yet');
    return `http://127.0.0.1:${this.port}`;
  }

  get running(): boolean {
    return this.server !== undefined;
  }

  /** The next request, whatever it asks, gets `status` with TMDB's error body for it. Calls queue up. */
  failNext(status: number, { retryAfter }: FailOptions = {}): void {
    this.failures.push({ status, ...(retryAfter === undefined ? {} : { retryAfter: String(retryAfter) }) });
  }

  /**
   * The next successful answer is unusable: 'fields' keeps valid JSON with fields of the wrong
   * type (runtime, vote_average, a cast member's character; a search result's id), 'json' cuts the
   * body in half. Calls queue up.
   */
  malformNext(kind: Malformation = 'fields'): void {
    this.malformations.push(kind);
  }

  /** Resolves once `count` requests in all have arrived. */
  async waitForRequests(count: number, timeoutMs = 5_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.requests.length < count) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`Expected ${count} TMDB requests within ${timeoutMs} ms, got ${this.requests.length}`);
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          this.off('request', done);
          resolve();
        };
        const timer = setTimeout(done, left);
        this.once('request', done);
      });
    }
  }

  /** (Re)starts listening on the same port: the end of a simulated outage. */
  async start(): Promise<void> {
    if (this.closed) throw new Error('The TMDB stand-in was closed');
    if (this.server) return;
    const server = createServer(this.listener);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port ?? this.options.port ?? 0, '127.0.0.1', () => resolve());
    });
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('The TMDB stand-in must listen on TCP');
    this.port = address.port;
    this.server = server;
  }

  /** Stops listening and drops every connection and pending answer: TMDB is unreachable until start(). */
  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    for (const timer of this.delayed) clearTimeout(timer);
    this.delayed.clear();
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
    await closed;
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.stop();
  }

  private readonly listener = (req: IncomingMessage, res: ServerResponse): void => {
    req.resume();
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const entry: TmdbRequestLogEntry = { method: req.method ?? 'GET', path: url.pathname, query: loggedQuery(url.searchParams), at: Date.now() };
    this.requests.push(entry);
    // What to answer is settled on arrival, so queued failures go to requests in arrival order.
    const failure = this.failures.shift();
    const answer: Answer = failure ? { status: failure.status, body: errorBody(failure.status) } : route(entry.method, url, req.headers.authorization, this.token, this.films);
    const malformation = answer.status === 200 ? this.malformations.shift() : undefined;
    this.emit('request', entry);

    const send = () => {
      const json = JSON.stringify(malformation === 'fields' ? malformFields(answer.body) : answer.body);
      const text = malformation === 'json' ? json.slice(0, Math.floor(json.length / 2)) : json;
      res.writeHead(answer.status, {
        'Content-Type': 'application/json;charset=utf-8',
        'Content-Length': Buffer.byteLength(text),
        ...(failure?.retryAfter === undefined ? {} : { 'Retry-After': failure.retryAfter }),
      });
      res.end(text);
      entry.status = answer.status;
      entry.answeredAt = Date.now();
    };
    if (this.latencyMs <= 0) {
      send();
      return;
    }
    const timer = setTimeout(() => {
      this.delayed.delete(timer);
      if (!res.destroyed) send();
    }, this.latencyMs);
    this.delayed.add(timer);
    // A client that gives up closes the connection; nothing is left waiting to answer it.
    res.once('close', () => {
      clearTimeout(timer);
      this.delayed.delete(timer);
    });
  };
}

function loggedQuery(params: URLSearchParams): Record<string, string> {
  const query: Record<string, string> = {};
  for (const [name, value] of params) query[name] = name === 'api_key' ? '[redacted]' : value;
  return query;
}

/**
 * A small TMDB v3 client: movie search and movie details with credits, checked with zod.
 *
 * Why global fetch + zod rather than a TMDB package: the kept npm clients (tmdb-ts,
 * @lorenzopant/tmdb) both hard-code https://api.themoviedb.org, so neither can be pointed at a
 * proxy or at the loopback stand-in the tests use (short of rewriting URLs in a custom fetch);
 * neither passes an AbortSignal to its requests; their types are declarations only, nothing
 * checks an answer at run time, and some are wrong about nulls (runtime, backdrop_path); and one
 * of them puts a non-JWT key in the query string, where proxy and access logs would keep it. Two
 * GET endpoints do not justify that: fetch (Node 20) and zod (already a dependency) give us a
 * base URL, cancellation and checked answers.
 *
 * Every call has one time budget, `timeoutMs`, covering its retries and Retry-After waits. A 429
 * is retried at most MAX_RATE_LIMIT_RETRIES times, after the wait TMDB asks for, and only when the
 * wait ends inside the budget; the wait is a timer of that call alone, so other calls go on. 5xx
 * answers are not retried: the callers (autocomplete, a film card) would rather fail fast.
 * A caller's AbortSignal ends the call at once and rejects with the signal's reason, so a caller
 * can tell its own give-up from TMDB failing; every other failure is a TmdbError (see errors.ts).
 *
 * The token goes in the Authorization header only: never in a URL, an error or a log line.
 */
import type { z } from 'zod';
import type { Logger } from '../../log';
import { TmdbAuthError, TmdbMalformedError, TmdbNotFoundError, TmdbUnavailableError } from './errors';
import { type TmdbMovieCard, type TmdbSearchResult, toMovieCard, toSearchResult } from './model';
import { describeIssues, errorBodySchema, movieDetailsSchema, searchResponseSchema } from './schemas';

export { TmdbAuthError, TmdbError, TmdbMalformedError, TmdbNotFoundError, TmdbUnavailableError } from './errors';
export { TOP_BILLED_CAST, type TmdbCastMember, type TmdbMovieCard, type TmdbSearchResult } from './model';

/** "A couple of times": enough to ride out a burst, few enough not to hammer TMDB. */
export const MAX_RATE_LIMIT_RETRIES = 2;
/** When a 429 comes without a usable Retry-After. */
const DEFAULT_RETRY_AFTER_MS = 1_000;

export interface TmdbClientOptions {
  /** TMDB "API Read Access Token" (v4 auth bearer token), sent as `Authorization: Bearer …`. */
  token: string;
  /** Base URL without /3: https://api.themoviedb.org (config's default), a proxy, or the test stand-in. */
  apiUrl: string;
  /** Time budget of one call, retries and waits included. */
  timeoutMs: number;
  log?: Logger;
}

export interface TmdbCallOptions {
  /** Ends the call when it fires; the call then rejects with `signal.reason`. */
  signal?: AbortSignal;
}

/** One HTTP exchange, body read in full. */
interface Exchange {
  status: number;
  retryAfter: string | null;
  text: string;
}

export class TmdbClient {
  // Private fields stay out of util.inspect and JSON, so logging the client cannot print the token.
  readonly #token: string;
  readonly #apiUrl: string;
  readonly #timeoutMs: number;
  readonly #log: Logger | undefined;

  constructor({ token, apiUrl, timeoutMs, log }: TmdbClientOptions) {
    if (token.trim() === '') throw new TypeError('TmdbClient needs a TMDB API read access token');
    const parsed = URL.canParse(apiUrl) ? new URL(apiUrl) : undefined;
    if (!parsed || (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')) throw new TypeError(`TMDB apiUrl must be an http(s) URL (got "${apiUrl}")`);
    if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) throw new RangeError(`TMDB timeoutMs must be a positive number (got ${timeoutMs})`);
    this.#token = token;
    this.#apiUrl = apiUrl.replace(/\/+$/, '');
    this.#timeoutMs = timeoutMs;
    this.#log = log;
  }

  /** Films whose title matches `query` (TMDB's first page, at most 20), adult titles excluded. A blank query asks nothing. */
  async searchMovies(query: string, { signal }: TmdbCallOptions = {}): Promise<TmdbSearchResult[]> {
    const trimmed = query.trim();
    if (trimmed === '') return [];
    const params = new URLSearchParams({ query: trimmed, include_adult: 'false' });
    const body = await this.#get('/3/search/movie', params, searchResponseSchema, signal);
    return body.results.map(toSearchResult);
  }

  /** The card model of one film. TmdbNotFoundError for an id TMDB does not know; RangeError for one that cannot be an id. */
  async movieDetails(tmdbId: number, { signal }: TmdbCallOptions = {}): Promise<TmdbMovieCard> {
    if (!Number.isSafeInteger(tmdbId) || tmdbId <= 0) throw new RangeError(`a TMDB movie id is a positive integer (got ${tmdbId})`);
    const params = new URLSearchParams({ append_to_response: 'credits' });
    const body = await this.#get(`/3/movie/${tmdbId}`, params, movieDetailsSchema, signal);
    return toMovieCard(body);
  }

  async #get<T>(path: string, params: URLSearchParams, schema: z.ZodType<T>, signal: AbortSignal | undefined): Promise<T> {
    signal?.throwIfAborted();
    const deadline = Date.now() + this.#timeoutMs;
    const url = `${this.#apiUrl}${path}?${params}`;
    for (let retries = 0; ; retries++) {
      const exchange = await this.#exchange(url, path, deadline, signal);
      if (exchange.status === 429 && retries < MAX_RATE_LIMIT_RETRIES) {
        const waitMs = retryAfterMs(exchange.retryAfter);
        if (Date.now() + waitMs > deadline) throw new TmdbUnavailableError(`TMDB rate-limited ${path} for longer than the call may take`, 429);
        this.#log?.warn({ path, waitMs, retry: retries + 1 }, 'TMDB rate-limited a request; retrying after its Retry-After');
        await wait(waitMs, signal);
        continue;
      }
      return this.#interpret(exchange, path, schema);
    }
  }

  /** One request under the call's deadline and the caller's signal; network trouble and timeouts become TmdbUnavailableError. */
  async #exchange(url: string, path: string, deadline: number, signal: AbortSignal | undefined): Promise<Exchange> {
    // A signal that fired between two attempts never fires 'abort' again, so check it here.
    signal?.throwIfAborted();
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(new TmdbUnavailableError(`TMDB did not answer ${path} within ${this.#timeoutMs} ms`)), Math.max(0, deadline - Date.now()));
    const forward = () => controller.abort(signal?.reason);
    signal?.addEventListener('abort', forward, { once: true });
    const started = performance.now();
    try {
      const response = await fetch(url, {
        headers: { Authorization: `Bearer ${this.#token}`, Accept: 'application/json' },
        // The token is meant for apiUrl alone; a redirect elsewhere is an error, not a place to send it.
        redirect: 'error',
        signal: controller.signal,
      });
      const text = await response.text();
      this.#log?.debug({ path, status: response.status, ms: Math.round(performance.now() - started) }, 'TMDB request');
      return { status: response.status, retryAfter: response.headers.get('retry-after'), text };
    } catch (error) {
      // The caller's reason as is (AbortError, TimeoutError…), or our own timeout's TmdbUnavailableError.
      if (controller.signal.aborted) throw controller.signal.reason;
      throw new TmdbUnavailableError(`TMDB could not be reached for ${path}`, undefined, { cause: error });
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', forward);
    }
  }

  #interpret<T>(exchange: Exchange, path: string, schema: z.ZodType<T>): T {
    const { status } = exchange;
    if (status >= 200 && status < 300) return this.#parse(exchange.text, path, schema);
    if (status === 401 || status === 403) throw new TmdbAuthError(status, tmdbStatusCode(exchange.text));
    if (status === 404) throw new TmdbNotFoundError(path);
    if (status === 429) throw new TmdbUnavailableError(`TMDB kept rate-limiting ${path}`, status);
    // 5xx, and anything else TMDB should not send for these GETs: either way it cannot help now.
    throw new TmdbUnavailableError(`TMDB answered HTTP ${status} for ${path}`, status);
  }

  #parse<T>(text: string, path: string, schema: z.ZodType<T>): T {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw this.#malformed(path, ['the body is not JSON']);
    }
    const result = schema.safeParse(json);
    if (!result.success) throw this.#malformed(path, describeIssues(result.error));
    return result.data;
  }

  #malformed(path: string, issues: string[]): TmdbMalformedError {
    this.#log?.warn({ path, issues }, 'TMDB sent an unusable answer');
    return new TmdbMalformedError(path, issues);
  }
}

/** Retry-After in seconds (TMDB's form) or as an HTTP date; a missing or unreadable one means DEFAULT_RETRY_AFTER_MS. */
export function retryAfterMs(header: string | null, now = Date.now()): number {
  if (header === null || header.trim() === '') return DEFAULT_RETRY_AFTER_MS;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, Math.ceil(seconds * 1000));
  const date = Date.parse(header);
  return Number.isNaN(date) ? DEFAULT_RETRY_AFTER_MS : Math.max(0, date - now);
}

function tmdbStatusCode(text: string): number | undefined {
  try {
    const parsed = errorBodySchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data.status_code : undefined;
  } catch {
    return undefined;
  }
}

/** An abortable timer: resolves after `ms`, or rejects with the signal's reason as soon as it fires. */
function wait(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

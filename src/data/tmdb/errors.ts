// Typed TMDB failures, so callers can tell "TMDB is down" from "we are misconfigured" from "no such film".
// Messages name the endpoint path and status only: never the token, a query string or a response body.

/** Every failure the TMDB client throws (a caller's own abort is rethrown as its signal's reason instead). */
export class TmdbError extends Error {
  override readonly name: string = 'TmdbError';
}

/** TMDB could not be reached, did not answer in time, answered 5xx, or kept rate-limiting us. Worth retrying later. */
export class TmdbUnavailableError extends TmdbError {
  override readonly name = 'TmdbUnavailableError';
  constructor(
    message: string,
    /** The HTTP status when TMDB answered at all. */
    readonly status?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** TMDB refused the token (401/403): a configuration problem, not something a retry fixes. */
export class TmdbAuthError extends TmdbError {
  override readonly name = 'TmdbAuthError';
  constructor(
    readonly status: number,
    /** TMDB's own `status_code` (7: invalid API key, 10: suspended…), when its error body had one. */
    readonly tmdbStatusCode?: number,
  ) {
    super(`TMDB refused the API read access token (HTTP ${status}${tmdbStatusCode === undefined ? '' : `, TMDB code ${tmdbStatusCode}`})`);
  }
}

/** TMDB has no such resource (404), e.g. a movie id that was removed or never existed. */
export class TmdbNotFoundError extends TmdbError {
  override readonly name = 'TmdbNotFoundError';
  constructor(readonly path: string) {
    super(`TMDB has nothing at ${path}`);
  }
}

/**
 * TMDB answered 2xx with a body we cannot use (not JSON, or a field we rely on missing or of the
 * wrong type). `issues` says which fields, e.g. "credits.cast[0].character: expected string,
 * received number"; the body itself is left out, since it can be large.
 */
export class TmdbMalformedError extends TmdbError {
  override readonly name = 'TmdbMalformedError';
  constructor(
    readonly path: string,
    readonly issues: string[],
  ) {
    super(`TMDB sent an unusable answer for ${path}: ${issues.join('; ')}`);
  }
}

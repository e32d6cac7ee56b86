/**
 * The REST side: routing `/api/v{n}/…` requests, bot-token checks, JSON and multipart bodies, and
 * Discord-shaped error answers. @discordjs/rest (dist/index.mjs, parseResponse/handleErrors) parses
 * bodies by `Content-Type: application/json` and needs no rate-limit headers: absent
 * `X-RateLimit-*` headers mean "no limit known".
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { UploadedFile } from './messages';
import { ApiError, Errors } from './util';
import type { RequestEvent } from './types';

export interface RouteRequest {
  method: string;
  params: Record<string, string>;
  query: URLSearchParams;
  body: unknown;
  files: UploadedFile[];
  /** X-Audit-Log-Reason, which @discordjs/rest sends URI-encoded (the `reason` option of audited calls). */
  reason?: string;
}

export interface RouteResult {
  status: number;
  body?: unknown;
}

export interface Route {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** e.g. '/channels/:channelId/messages/:messageId' (after the /api/v10 prefix). */
  pattern: string;
  /** Bot token required (`Authorization: Bot <token>`); interaction callbacks and webhooks send none. */
  auth: boolean;
  handler: (request: RouteRequest) => RouteResult;
}

interface CompiledRoute extends Route {
  regex: RegExp;
  names: string[];
}

function compile(route: Route): CompiledRoute {
  const names: string[] = [];
  const source = route.pattern.replace(/:(\w+)/g, (_, name: string) => {
    names.push(name);
    return '([^/]+)';
  });
  return { ...route, regex: new RegExp(`^${source}$`), names };
}

async function readBody(req: IncomingMessage): Promise<{ body: unknown; files: UploadedFile[] }> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  const raw = Buffer.concat(chunks);
  const type = req.headers['content-type'] ?? '';
  if (raw.length === 0) return { body: undefined, files: [] };
  if (type.startsWith('multipart/form-data')) {
    // @discordjs/rest sends files as multipart with the JSON in a `payload_json` part.
    const form = await new Response(raw, { headers: { 'content-type': type } }).formData();
    const files: UploadedFile[] = [];
    let body: unknown;
    for (const [name, value] of form) {
      if (name === 'payload_json' && typeof value === 'string') body = parseJson(value);
      else if (typeof value !== 'string') files.push({ filename: value.name, size: value.size, ...(value.type ? { contentType: value.type } : {}) });
    }
    return { body, files };
  }
  return { body: parseJson(raw.toString('utf8')), files: [] };
}

function auditReason(req: IncomingMessage): string | undefined {
  const header = req.headers['x-audit-log-reason'];
  if (typeof header !== 'string' || header === '') return undefined;
  try {
    return decodeURIComponent(header);
  } catch {
    return header;
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new ApiError(400, 50109, 'The request body contains invalid JSON.');
  }
}

export class RestServer {
  private readonly routes: CompiledRoute[];

  constructor(
    routes: Route[],
    private readonly token: string,
    private readonly onRequest: (event: RequestEvent) => void,
  ) {
    this.routes = routes.map(compile);
  }

  readonly listener = (req: IncomingMessage, res: ServerResponse): void => {
    void this.handle(req, res);
  };

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const method = (req.method ?? 'GET').toUpperCase();
    let requestBody: unknown;
    let result: RouteResult;
    try {
      const parsed = await readBody(req);
      requestBody = parsed.body;
      result = this.dispatch(method, url, req.headers.authorization, { body: parsed.body, files: parsed.files, reason: auditReason(req) });
    } catch (error) {
      result = this.errorResult(error);
    }
    if (result.body === undefined) {
      res.writeHead(result.status);
      res.end();
    } else {
      const json = JSON.stringify(result.body);
      res.writeHead(result.status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(json) });
      res.end(json);
    }
    this.onRequest({ method, path: url.pathname, status: result.status, at: Date.now(), requestBody, responseBody: result.body });
  }

  private dispatch(method: string, url: URL, authorization: string | undefined, content: Pick<RouteRequest, 'body' | 'files' | 'reason'>): RouteResult {
    const versioned = /^\/api(?:\/v\d+)?(\/.*)$/.exec(url.pathname);
    const path = versioned?.[1];
    if (!path) throw Errors.notFound();
    const candidates = this.routes.filter((route) => route.regex.test(path));
    if (candidates.length === 0) {
      // Discord's answer, but most likely a route the stand-in lacks: say so where a test author looks.
      console.warn(`[discord stand-in] no route for ${method} ${url.pathname}`);
      throw Errors.notFound();
    }
    const route = candidates.find((r) => r.method === method);
    if (!route) throw Errors.methodNotAllowed();
    if (route.auth && authorization !== `Bot ${this.token}`) throw Errors.unauthorized();
    const values = route.regex.exec(path)?.slice(1) ?? [];
    const params = Object.fromEntries(route.names.map((name, i) => [name, decodeURIComponent(values[i] ?? '')]));
    return route.handler({ method, params, query: url.searchParams, ...content });
  }

  private errorResult(error: unknown): RouteResult {
    if (error instanceof ApiError) return { status: error.status, body: error.toBody() };
    // A bug in the stand-in, not a Discord answer: make it loud. (@discordjs/rest retries 5xx.)
    console.error('[discord stand-in] route failed:', error);
    return { status: 500, body: { code: 0, message: '500: Internal Server Error' } };
  }
}

/**
 * Files members attach to slash commands (option type 11): Discord puts them in
 * `data.resolved.attachments` with a signed CDN URL, and the bot downloads them from there. The
 * stand-in serves their bytes over loopback HTTP, on its own port, at the URL it puts in the payload.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { snowflake } from './util';
import type { AttachmentInput, JsonObject } from './types';

const PATH_PREFIX = '/ephemeral-attachments/';
/** Bytes written at a time, as a CDN streams a file rather than sending it in one piece. */
const CHUNK_BYTES = 64 * 1024;
/** Discord's signed attachment URLs expire after about a day (`ex`, hex seconds). */
const URL_LIFETIME_S = 24 * 60 * 60;

interface StoredFile {
  path: string;
  signature: string;
  bytes: Uint8Array;
  contentType: string;
}

export class AttachmentStore {
  private readonly files = new Map<string, StoredFile>();
  /** The attachment id of every download request, in order (unknown ids and refused requests too). */
  readonly downloads: string[] = [];

  constructor(private readonly origin: string) {}

  /** Stores an uploaded file and returns its `resolved.attachments` entry, as Discord sends it. */
  add(input: AttachmentInput, channelId: string): JsonObject {
    const id = snowflake();
    const path = `${PATH_PREFIX}${channelId}/${id}/${encodeURIComponent(input.filename)}`;
    const signature = randomBytes(32).toString('hex');
    const contentType = input.contentType ?? guessContentType(input.filename);
    this.files.set(id, { path, signature, bytes: input.bytes, contentType });
    const now = Math.floor(Date.now() / 1000);
    const url = `${this.origin}${path}?ex=${(now + URL_LIFETIME_S).toString(16)}&is=${now.toString(16)}&hm=${signature}&`;
    return {
      id,
      filename: input.filename,
      size: input.declaredSize ?? input.bytes.length,
      url,
      proxy_url: url,
      content_type: contentType,
      ephemeral: true,
    };
  }

  /** Serves an attachment request; false when the request is not for an attachment (REST handles it). */
  readonly serve = (req: IncomingMessage, res: ServerResponse): boolean => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (!url.pathname.startsWith(PATH_PREFIX)) return false;
    const id = url.pathname.slice(PATH_PREFIX.length).split('/')[1] ?? '';
    const file = this.files.get(id);
    this.downloads.push(id);
    // The CDN answers an unsigned, altered or unknown URL with 404, never with another file.
    if (!file || file.path !== url.pathname || url.searchParams.get('hm') !== file.signature) {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('Not Found');
      return true;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405).end();
      return true;
    }
    res.writeHead(200, { 'Content-Type': file.contentType, 'Content-Length': file.bytes.length });
    if (req.method === 'HEAD') {
      res.end();
      return true;
    }
    void stream(res, file.bytes);
    return true;
  };
}

/** Writes the file a chunk at a time, waiting when the client reads slowly (or stopped reading). */
async function stream(res: ServerResponse, bytes: Uint8Array): Promise<void> {
  for (let at = 0; at < bytes.length && !res.destroyed; at += CHUNK_BYTES) {
    if (!res.write(bytes.subarray(at, at + CHUNK_BYTES))) {
      await new Promise<void>((resolve) => {
        const done = () => {
          res.off('drain', done).off('close', done);
          resolve();
        };
        res.on('drain', done).on('close', done);
      });
    }
  }
  res.end();
}

function guessContentType(filename: string): string {
  if (/\.csv$/i.test(filename)) return 'text/csv; charset=utf-8';
  if (/\.zip$/i.test(filename)) return 'application/zip';
  return 'application/octet-stream';
}

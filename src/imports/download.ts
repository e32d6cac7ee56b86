// Fetches a member's attachment from the address Discord gave, under a time limit and a size cap
// counted as the bytes arrive (the declared size and Content-Length are only early refusals).
import { ImportRefusedError } from './errors';
import { DOWNLOAD_TIMEOUT_MS, MAX_FILE_BYTES } from './limits';

export interface DownloadOptions {
  /** Where attachments may come from: an address anywhere else (in a forged payload) is never fetched. */
  hosts: readonly string[];
  maxBytes?: number;
  timeoutMs?: number;
}

export async function downloadAttachment(url: string, { hosts, maxBytes = MAX_FILE_BYTES, timeoutMs = DOWNLOAD_TIMEOUT_MS }: DownloadOptions): Promise<Uint8Array> {
  const parsed = URL.canParse(url) ? new URL(url) : undefined;
  if (!parsed || !['https:', 'http:'].includes(parsed.protocol) || !hosts.includes(parsed.host)) throw new ImportRefusedError({ reason: 'download-failed' });
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    // A redirect could lead off the allowed hosts.
    const response = await fetch(parsed, { signal: controller.signal, redirect: 'error' });
    if (!response.ok || !response.body) {
      await response.body?.cancel().catch(() => undefined);
      throw new ImportRefusedError({ reason: 'download-failed', status: response.status });
    }
    const declared = Number(response.headers.get('content-length'));
    if (declared > maxBytes) {
      await response.body.cancel().catch(() => undefined);
      throw new ImportRefusedError({ reason: 'too-large', bytes: declared });
    }
    const chunks: Uint8Array[] = [];
    let received = 0;
    const reader = response.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      received += value.length;
      if (received > maxBytes) {
        await reader.cancel().catch(() => undefined);
        throw new ImportRefusedError({ reason: 'too-large' });
      }
      chunks.push(value);
    }
    return Buffer.concat(chunks);
  } catch (error) {
    if (error instanceof ImportRefusedError) throw error;
    if (controller.signal.aborted) throw new ImportRefusedError({ reason: 'download-timed-out' });
    throw new ImportRefusedError({ reason: 'download-failed' });
  } finally {
    clearTimeout(timer);
  }
}

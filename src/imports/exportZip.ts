// The CSVs an import reads from Letterboxd's export zip, inflated under caps counted as the bytes
// come out: a zip's own size fields say whatever its maker wrote, so they decide nothing here.
import { Unzip, UnzipInflate } from 'fflate';
import { type ImportRefusal, ImportRefusedError } from './errors';
import { INFLATE_STEP_BYTES, MAX_UNZIPPED_BYTES, MAX_ZIP_ENTRIES } from './limits';

/** The files an import reads, in the order their rows are taken (see planImport). */
export const EXPORT_FILES = ['diary.csv', 'reviews.csv', 'ratings.csv'] as const;
export type ExportFileName = (typeof EXPORT_FILES)[number];

/** Export folders of what is no longer on the member's profile, or of other things (likes, lists). */
const SKIPPED_FOLDERS = new Set(['deleted', 'orphaned', 'likes', 'lists', '__macosx']);

/** Where the central directory's end record may start: within the last 22 + 65,535 (comment) bytes. */
const END_RECORD_SEARCH = 22 + 0xffff;
const END_RECORD_SIGNATURE = 0x06054b50;

export interface ExportFile {
  name: ExportFileName;
  bytes: Uint8Array;
}

/** A zip starts with a local file header ("PK\3\4") or, when empty, the end record ("PK\5\6"). */
export function looksLikeZip(bytes: Uint8Array): boolean {
  return bytes[0] === 0x50 && bytes[1] === 0x4b && ((bytes[2] === 3 && bytes[3] === 4) || (bytes[2] === 5 && bytes[3] === 6));
}

/** The export's ratings.csv, reviews.csv and diary.csv (those it has), at its root or in one folder. */
export function readExportZip(bytes: Uint8Array): ExportFile[] {
  // The streaming reader below never looks at the central directory; a zip cut short lacks its end.
  if (!looksLikeZip(bytes) || !hasEndRecord(bytes)) throw new ImportRefusedError({ reason: 'corrupt-zip' });
  const found = new Map<ExportFileName, { chunks: Uint8Array[]; done: boolean; failed: boolean }>();
  let entries = 0;
  let inflated = 0;
  let refusal: ImportRefusal | undefined;
  const unzip = new Unzip((file) => {
    entries += 1;
    if (entries > MAX_ZIP_ENTRIES) refusal ??= { reason: 'zip-too-many-entries' };
    const name = exportFileName(file.name);
    // Entries left unstarted are skipped without being inflated.
    if (refusal || !name || found.has(name)) return;
    const entry = { chunks: [] as Uint8Array[], done: false, failed: false };
    found.set(name, entry);
    file.ondata = (error, data, final) => {
      if (error) entry.failed = true;
      if (error || refusal) return;
      inflated += data.length;
      if (inflated > MAX_UNZIPPED_BYTES) {
        refusal = { reason: 'zip-too-large' };
        entry.chunks = [];
        return;
      }
      entry.chunks.push(data);
      if (final) entry.done = true;
    };
    file.start();
  });
  unzip.register(UnzipInflate);
  try {
    // Small steps: each push inflates all it is given before the count above can stop it.
    for (let offset = 0; offset < bytes.length && !refusal; offset += INFLATE_STEP_BYTES) {
      unzip.push(bytes.subarray(offset, offset + INFLATE_STEP_BYTES), offset + INFLATE_STEP_BYTES >= bytes.length);
    }
  } catch {
    throw new ImportRefusedError({ reason: 'corrupt-zip' });
  }
  if (refusal) throw new ImportRefusedError(refusal);
  if ([...found.values()].some((entry) => entry.failed || !entry.done)) throw new ImportRefusedError({ reason: 'corrupt-zip' });
  if (found.size === 0) throw new ImportRefusedError({ reason: 'zip-without-csv' });
  return EXPORT_FILES.flatMap((name) => {
    const entry = found.get(name);
    return entry ? [{ name, bytes: concat(entry.chunks) }] : [];
  });
}

/** "ratings.csv" or "letterboxd-name-2024-…/ratings.csv" as the file it is; anything else undefined. */
function exportFileName(path: string): ExportFileName | undefined {
  const parts = path.replace(/\\/g, '/').split('/');
  if (parts.length > 2 || (parts.length === 2 && SKIPPED_FOLDERS.has(parts[0]!.toLowerCase()))) return undefined;
  const base = parts.at(-1)!.toLowerCase();
  return EXPORT_FILES.find((name) => name === base);
}

function hasEndRecord(bytes: Uint8Array): boolean {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let at = bytes.length - 22; at >= 0 && at >= bytes.length - END_RECORD_SEARCH; at--) {
    if (view.getUint32(at, true) === END_RECORD_SIGNATURE) return true;
  }
  return false;
}

function concat(chunks: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((total, chunk) => total + chunk.length, 0));
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}

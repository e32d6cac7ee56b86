// A Letterboxd import from the attachment to the saved ratings: download, read, match, save.
// The command loads this module on first use, so a bot nobody imports with never loads the CSV
// and zip readers.
import type { Films } from '../films/films';
import { applyImport, type ImportOutcome, type ImportStores, type ImportTarget } from './applyImport';
import type { ImportFileKind } from './attachment';
import { downloadAttachment } from './download';
import { ImportRefusedError } from './errors';
import { looksLikeZip, readExportZip } from './exportZip';
import { parseLetterboxdCsv, type ParsedCsv } from './letterboxdCsv';
import { MAX_IMPORTS_AT_ONCE, MAX_ROWS } from './limits';
import { type Matching, matchFilms } from './matchFilms';
import { type ImportPlan, planImport } from './planImport';

export interface ImportRequest {
  url: string;
  /** The hosts `url` may be on (see downloadAttachment). */
  hosts: readonly string[];
  fileName: string;
  kind: ImportFileKind;
  target: ImportTarget;
}

export interface ImportResult {
  /** The files read: the CSV's own name, or those found in the zip. */
  files: string[];
  plan: ImportPlan;
  matching: Matching;
  outcome: ImportOutcome;
}

export interface ImportDeps extends ImportStores {
  films: Films;
  now: () => number;
}

/** Imports running in this process, by member and server: one at a time each, MAX_IMPORTS_AT_ONCE in all. */
const running = new Set<string>();

/** Throws ImportRefusedError (nothing was saved) for a file it can't use. */
export async function importLetterboxd(request: ImportRequest, deps: ImportDeps): Promise<ImportResult> {
  const slot = `${request.target.guildId}:${request.target.userId}`;
  if (running.has(slot) || running.size >= MAX_IMPORTS_AT_ONCE) throw new ImportRefusedError({ reason: 'busy' });
  running.add(slot);
  try {
    const bytes = await downloadAttachment(request.url, { hosts: request.hosts });
    const files = readFiles(bytes, request);
    const parsed: ParsedCsv[] = [];
    let rowsLeft = MAX_ROWS;
    for (const file of files) {
      const csv = parseLetterboxdCsv(file.bytes, file.name, rowsLeft);
      rowsLeft -= csv.rows.length + csv.problems.length + csv.empty;
      parsed.push(csv);
    }
    const plan = planImport(parsed, deps.now());
    const matching = await matchFilms(deps.films, request.target.guildId, plan.films);
    const outcome = await applyImport(plan, matching, request.target, deps);
    return { files: files.map((file) => file.name), plan, matching, outcome };
  } finally {
    running.delete(slot);
  }
}

/** The CSVs to read: the attachment itself, or the export files in its zip (decided by content, not name). */
function readFiles(bytes: Uint8Array, { fileName, kind }: ImportRequest): { name: string; bytes: Uint8Array }[] {
  if (looksLikeZip(bytes)) return readExportZip(bytes);
  if (kind === 'zip') throw new ImportRefusedError({ reason: 'corrupt-zip' });
  return [{ name: fileName, bytes }];
}

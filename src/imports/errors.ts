// Why a file was refused before anything was saved; src/replies/imports.ts words each reason.

export type ImportRefusal =
  | { reason: 'not-csv-or-zip'; fileName: string }
  | { reason: 'too-large'; bytes?: number }
  | { reason: 'download-failed'; status?: number }
  | { reason: 'download-timed-out' }
  | { reason: 'corrupt-zip' }
  | { reason: 'zip-too-large' }
  | { reason: 'zip-too-many-entries' }
  | { reason: 'zip-without-csv' }
  | { reason: 'not-text'; fileName: string }
  | { reason: 'malformed-csv'; fileName: string; line?: number }
  | { reason: 'wrong-headers'; fileName: string; missing: string[] }
  | { reason: 'too-many-rows' }
  | { reason: 'busy' };

export class ImportRefusedError extends Error {
  override readonly name = 'ImportRefusedError';
  constructor(readonly refusal: ImportRefusal) {
    super(`import refused: ${refusal.reason}`);
  }
}

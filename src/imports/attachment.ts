// The checks an attachment passes before anything is downloaded: its name says CSV or zip, and
// the size Discord declares is within the cap (the download counts the bytes again).
import { ImportRefusedError } from './errors';
import { MAX_FILE_BYTES } from './limits';

export type ImportFileKind = 'csv' | 'zip';

export function importFileKind({ name, size }: { name: string; size: number }): ImportFileKind {
  const kind = /\.csv$/i.test(name) ? 'csv' : /\.zip$/i.test(name) ? 'zip' : undefined;
  if (!kind) throw new ImportRefusedError({ reason: 'not-csv-or-zip', fileName: name });
  if (size > MAX_FILE_BYTES) throw new ImportRefusedError({ reason: 'too-large', bytes: size });
  return kind;
}

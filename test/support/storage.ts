// Real storage for tests: a fresh SQLite file per test in a temporary folder.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { openStorage, type Storage } from '../../src/storage/keyv';
import { RecordStore } from '../../src/storage/records';

export const silentLog = pino({ level: 'silent' });

export function tempDir(prefix = 'reelside-'): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

export async function openTestStorage(): Promise<{ storage: Storage; records: RecordStore; url: string; close(): Promise<void> }> {
  const dir = tempDir();
  const url = `sqlite://${join(dir.path, 'test.sqlite')}`;
  const storage = await openStorage(url);
  return {
    storage,
    url,
    records: new RecordStore(storage.kv, silentLog),
    async close() {
      await storage.close();
      dir.remove();
    },
  };
}

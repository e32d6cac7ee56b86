// Changes a stored record while the bot is stopped, at the keyv level, so restart tests need not
// wait out real time. Whether the bot honours the change is what the calling test checks.
import { silentLog } from '../../harness/storage';
import { openStorage } from '../../src/storage/keyv';

export async function rewriteRecord<T>(storageUrl: string, key: string, change: (record: T) => T): Promise<void> {
  const storage = await openStorage(storageUrl, silentLog);
  try {
    const record = (await storage.kv.get(key)) as T | undefined;
    if (record === undefined) throw new Error(`no stored record at ${key}`);
    await storage.kv.set(key, change(record));
  } finally {
    await storage.close();
  }
}

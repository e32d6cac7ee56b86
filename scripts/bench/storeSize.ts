// Bytes a poll and its film's ratings (or any one record) take in the store, found by key prefix so that it follows src/storage/keys.ts however records are split.
import sqlite3 from 'sqlite3';
import { sqliteFile } from '../../src/storage/keyv';
import { keys } from '../../src/storage/keys';
import { connectRedis } from '../../src/storage/redisClient';

export interface Size {
  keys: number;
  /** Stored values (keyv's serialised JSON), in bytes. */
  valueBytes: number;
  keyBytes: number;
  /** The value under the record's own key (the rest are entries beside it). */
  recordBytes: number;
}

export interface StoreSize {
  poll: Size;
  ratings: Size;
  /** Everything else under the server's keys (the open-poll index, quote decks, …). */
  otherInServer: Size;
}

/**
 * A record and its per-member entries share its key as prefix (`<record>` and `<record>:…`, see
 * storage/keys.ts); keyv puts its namespace in front, which is skipped by starting at `guild:`.
 */
export async function storeSize(url: string, where: { guildId: string; pollId: string; filmId: string }): Promise<StoreSize> {
  const families = { poll: keys.poll(where.guildId, where.pollId), ratings: keys.filmRatings(where.guildId, where.filmId) };
  const size: StoreSize = { poll: empty(), ratings: empty(), otherInServer: empty() };
  for (const { key, row } of await serverRows(url, where.guildId)) {
    const family = (Object.keys(families) as (keyof typeof families)[]).find((name) => inFamily(key, families[name]));
    add(size[family ?? 'otherInServer'], row, family !== undefined && key === families[family]);
  }
  return size;
}

/** One record (its key as storage/keys.ts names it) and the entries beside it. */
export async function recordSize(url: string, guildId: string, recordKey: string): Promise<Size> {
  const size = empty();
  for (const { key, row } of await serverRows(url, guildId)) if (inFamily(key, recordKey)) add(size, row, key === recordKey);
  return size;
}

/** The server's rows, each with its key as storage/keys.ts names it (keyv's namespace skipped by starting at `guild:`). */
async function serverRows(url: string, guildId: string): Promise<{ key: string; row: Row }[]> {
  const inServer = `guild:${guildId}:`;
  const rows = url.startsWith('sqlite:') ? await sqliteRows(sqliteFile(url), inServer) : await redisRows(url, inServer);
  return rows.map((row) => ({ key: row.key.slice(row.key.indexOf(inServer)), row }));
}

const inFamily = (key: string, recordKey: string) => key === recordKey || key.startsWith(`${recordKey}:`);

function add(into: Size, row: Row, isRecord: boolean): void {
  into.keys++;
  into.valueBytes += row.valueBytes;
  into.keyBytes += Buffer.byteLength(row.key);
  if (isRecord) into.recordBytes = row.valueBytes;
}

const empty = (): Size => ({ keys: 0, valueBytes: 0, keyBytes: 0, recordBytes: 0 });

interface Row {
  key: string;
  valueBytes: number;
}

/** Read-only, beside the running bot: WAL lets it read while the bot writes. */
async function sqliteRows(file: string, inServer: string): Promise<Row[]> {
  const db = await new Promise<sqlite3.Database>((resolve, reject) => {
    const opened = new sqlite3.Database(file, sqlite3.OPEN_READONLY, (error) => (error ? reject(error) : resolve(opened)));
  });
  try {
    // @keyv/sqlite's table; CAST AS BLOB so that length() counts bytes, not characters.
    return await new Promise<Row[]>((resolve, reject) =>
      db.all('SELECT key, length(CAST(value AS BLOB)) AS valueBytes FROM keyv WHERE instr(key, ?) > 0', [inServer], (error, rows: Row[]) => (error ? reject(error) : resolve(rows))),
    );
  } finally {
    await new Promise<void>((resolve) => db.close(() => resolve()));
  }
}

async function redisRows(url: string, inServer: string): Promise<Row[]> {
  const client = await connectRedis(url, { maxReconnectDelayMs: 1_000 });
  try {
    const found: string[] = [];
    const pattern = `*${inServer.replace(/[*?[\]\\]/g, '\\$&')}*`;
    for await (const batch of client.scanIterator({ MATCH: pattern, COUNT: 1_000 })) found.push(...(Array.isArray(batch) ? batch : [batch]));
    const rows: Row[] = [];
    for (let start = 0; start < found.length; start += 1_000) {
      const chunk = found.slice(start, start + 1_000);
      const lengths = await Promise.all(chunk.map((key) => client.strLen(key)));
      chunk.forEach((key, i) => rows.push({ key, valueBytes: Number(lengths[i]) }));
    }
    return rows;
  } finally {
    await client.close().catch(() => client.destroy());
  }
}

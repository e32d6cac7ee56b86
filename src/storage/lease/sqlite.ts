// A shard's lease beside an SQLite file: an exclusive lock on a lock file of its own, which the OS frees when the process dies.
import sqlite3 from 'sqlite3';
import type { ShardLease } from './shardLease';

export const sqliteLockFile = (databaseFile: string, shardId: number) => `${databaseFile}.shard-${shardId}.lock`;

export class SqliteShardLease implements ShardLease {
  private holder: sqlite3.Database | undefined;

  constructor(
    private readonly databaseFile: string,
    readonly shardId: number,
  ) {}

  async take(): Promise<boolean> {
    const db = await open(sqliteLockFile(this.databaseFile, this.shardId));
    try {
      // Another holder answers SQLITE_BUSY at once instead of after a wait. Nothing is ever written,
      // so the journal stays in memory and the open transaction only holds the file's lock.
      db.configure('busyTimeout', 0);
      await exec(db, 'PRAGMA journal_mode = MEMORY; BEGIN EXCLUSIVE');
    } catch (error) {
      await close(db);
      if ((error as { code?: unknown }).code === 'SQLITE_BUSY') return false;
      throw error;
    }
    this.holder = db;
    return true;
  }

  // A living process keeps its lock: nobody can take it away.
  async keep(): Promise<boolean> {
    return this.holder !== undefined;
  }

  writableUntil(): number {
    return this.holder ? Infinity : 0;
  }

  async release(): Promise<void> {
    const db = this.holder;
    this.holder = undefined;
    if (db) await close(db);
  }
}

function open(file: string): Promise<sqlite3.Database> {
  return new Promise((resolve, reject) => {
    const db = new sqlite3.Database(file, (error) => (error ? reject(error) : resolve(db)));
  });
}

function exec(db: sqlite3.Database, sql: string): Promise<void> {
  return new Promise((resolve, reject) => db.exec(sql, (error) => (error ? reject(error) : resolve())));
}

function close(db: sqlite3.Database): Promise<void> {
  return new Promise((resolve) => db.close(() => resolve()));
}

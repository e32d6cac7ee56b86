// A throwaway PostgreSQL server on 127.0.0.1 for tests (Debian's postgresql package).
import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, readdirSync } from 'node:fs';
import pg from 'pg';
import { freePort, type StorageServer } from './servers';
import { tempDir } from './tmp';

function binDir(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const version = readdirSync(root).sort().at(-1);
  return version && existsSync(`${root}/${version}/bin/initdb`) ? `${root}/${version}/bin` : undefined;
}

export function postgresAvailable(): boolean {
  return binDir() !== undefined;
}

/** CI installs PostgreSQL and sets REQUIRE_POSTGRES=1: there, a missing server fails instead of skipping. */
export function postgresRequired(): boolean {
  return process.env.REQUIRE_POSTGRES === '1';
}

// initdb and postgres refuse to run as root, so as root they run as the postgres user.
function asServerUser(command: string, args: string[]): [string, string[]] {
  return process.getuid?.() === 0 ? ['runuser', ['-u', 'postgres', '--', command, ...args]] : [command, args];
}

export async function startPostgres(): Promise<StorageServer> {
  const bin = binDir();
  if (!bin) throw new Error('PostgreSQL is not installed (Debian package postgresql)');
  const dir = tempDir('reelside-postgres-');
  const data = `${dir.path}/data`;
  if (process.getuid?.() === 0) chownSync(dir.path, Number(execFileSync('id', ['-u', 'postgres']).toString()), Number(execFileSync('id', ['-g', 'postgres']).toString()));
  const [initCommand, initArgs] = asServerUser(`${bin}/initdb`, ['-D', data, '-A', 'trust', '-U', 'reelside', '--no-sync']);
  execFileSync(initCommand, initArgs, { stdio: 'ignore' });
  const port = await freePort();
  const pgCtl = (args: string[]) => {
    const [command, commandArgs] = asServerUser(`${bin}/pg_ctl`, ['-D', data, '-w', ...args]);
    execFileSync(command, commandArgs, { stdio: 'ignore' });
  };
  const start = async () => pgCtl(['-l', `${dir.path}/server.log`, '-o', `-p ${port} -h 127.0.0.1 -k ${dir.path}`, 'start']);
  // "fast" shutdown: clients are disconnected and everything committed is on disk.
  const stop = async () => pgCtl(['-m', 'fast', 'stop']);
  await start();
  const url = `postgresql://reelside@127.0.0.1:${port}/postgres`;
  let databases = 0;
  return {
    url,
    async newDatabase() {
      const name = `reelside_${++databases}`;
      const admin = new pg.Client({ connectionString: url });
      await admin.connect();
      try {
        await admin.query(`CREATE DATABASE ${name}`);
      } finally {
        await admin.end();
      }
      return `postgresql://reelside@127.0.0.1:${port}/${name}`;
    },
    stop,
    start,
    async close() {
      await stop().catch(() => undefined);
      dir.remove();
    },
  };
}

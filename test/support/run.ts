// Runs one of the project's scripts to completion, as a person would from a shell.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { TSX_LOADER } from '../../harness/botProcess';
import { tempDir } from '../../harness/tmp';

export const script = (relative: string) => fileURLToPath(new URL(`../../${relative}`, import.meta.url));

export function runScript(relative: string, env: Record<string, string>, args: string[] = []): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const cwd = tempDir('reelside-run-');
  // Compiled scripts run as `npm start` runs them; TypeScript ones (deploy) through tsx, as npm runs them.
  const loader = relative.endsWith('.js') ? ['--enable-source-maps'] : ['--import', TSX_LOADER];
  const child = spawn(process.execPath, [...loader, script(relative), ...args], { cwd: cwd.path, env: { PATH: process.env.PATH ?? '', ...env } });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  return new Promise((resolve) =>
    child.on('exit', (code) => {
      cwd.remove();
      resolve({ code, stdout, stderr });
    }),
  );
}

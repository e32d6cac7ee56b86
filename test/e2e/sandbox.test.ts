// `npm run sandbox` as a person uses it: type commands at the prompt, read the replies.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { TSX_LOADER } from '../../harness/botProcess';
import { script } from '../support/run';
import { tempDir } from '../../harness/tmp';

const dir = tempDir('reelside-sandbox-');
afterAll(() => dir.remove());

/** Runs the sandbox with `lines` typed at its prompt; resolves with everything it printed once it exits 0. */
async function sandbox(lines: string[], args: string[] = []): Promise<string> {
  const child = spawn(process.execPath, ['--import', TSX_LOADER, script('scripts/sandbox.ts'), ...args], {
    cwd: dir.path,
    env: { PATH: process.env.PATH ?? '', SANDBOX_STORAGE_URL: `sqlite://${join(dir.path, 'sandbox.sqlite')}` },
  });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  child.stdin.end([...lines, '.quit', ''].join('\n'));
  const code = await new Promise((resolve) => child.on('exit', resolve));
  expect(code).toBe(0);
  return output;
}

function expectAll(output: string, shown: string[]): void {
  for (const text of shown) expect(output).toContain(text);
}

it('answers typed commands with replies rendered as text', async () => {
  const output = await sandbox(['/film her-smell', '/quote', '/watchparty start film:her smell', '.pick 4', '/film title:nope']);
  expectAll(output, [
    '│ Her Smell (2018)',
    '│   **Elisabeth Moss** as Becky Something',
    '│ — on Her Smell (2018)',
    '<Your rating: 5★',
    '[ End poll ]',
    '[only you can see this]\nYou rated Her Smell 4★.',
    '[only you can see this]\nI don\'t know a film called “nope”.',
  ]);
}, 60_000);

it('knows a few server films, lets a moderator add one through its form, and with --tmdb finds TMDB’s films, run after run', async () => {
  const output = await sandbox(['/film title:paddington 2', '.as 0', '/films add', '.form title=Local Hero; year=1983; directors=Bill Forsyth', '/film title:fight club', '.suggest film with'], ['--tmdb']);
  expectAll(output, [
    '│ Paddington 2 (2017)',
    '│ — Added to this server by owner',
    '┌ form: Add a film to this server\n│ Title * (title)',
    '**Local Hero (1983)** is now one of this server’s films',
    '│   **Edward Norton** as The Narrator',
    '│ — This product uses the TMDB API but is not endorsed or certified by TMDB.',
    '  Withnail and I (1987)  (server:withnail-and-i-1987)',
  ]);
  // The same storage again, as a newcomer's second run: the commands are still there, and the films too.
  const again = await sandbox(['/films list']);
  expect(again).toContain('**Local Hero (1983)** · added by owner');
  expect(again).toContain('**Paddington 2 (2017)** · added by owner');
}, 90_000);

// `npm run sandbox` as a person uses it: type commands at the prompt, read the replies.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { TSX_LOADER } from '../../harness/botProcess';
import { script } from '../support/run';
import { tempDir } from '../../harness/tmp';

const dir = tempDir('reelside-sandbox-');
afterAll(() => dir.remove());

it('answers typed commands with replies rendered as text', async () => {
  const child = spawn(process.execPath, ['--import', TSX_LOADER, script('scripts/sandbox.ts')], {
    cwd: dir.path,
    env: { PATH: process.env.PATH ?? '', SANDBOX_STORAGE_URL: `sqlite://${join(dir.path, 'sandbox.sqlite')}` },
  });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  child.stdin.end(['/film her-smell', '/quote', '/watchparty start film:her smell', '.pick 4', '/film title:nope', '.quit', ''].join('\n'));
  const code = await new Promise((resolve) => child.on('exit', resolve));
  expect(code).toBe(0);
  expect(output).toContain('│ Her Smell (2018)');
  expect(output).toContain('│   **Elisabeth Moss** as Becky Something');
  expect(output).toContain('│ — on Her Smell (2018)');
  expect(output).toContain('<Your rating: 5★');
  expect(output).toContain('[ End poll ]');
  expect(output).toContain('[only you can see this]\nYou rated Her Smell 4★.');
  expect(output).toContain('[only you can see this]\nI don\'t know a film called “nope”.');
}, 60_000);

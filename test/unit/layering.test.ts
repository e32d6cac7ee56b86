// Who may import whom: lower layers never reach up, and nothing the product runs reaches into test/.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

function sourceFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => relative(ROOT, join(entry.parentPath, entry.name)));
}

/** The project files a module imports, as paths from the root; `import type` is left out (it is erased). */
function runtimeImports(file: string): string[] {
  const text = readFileSync(join(ROOT, file), 'utf8');
  return [...text.matchAll(/^(?:import|export)\s+(?!type\s)[^;]*?from\s+'(\.[^']+)'/gms)].map(([, target]) => relative(ROOT, resolve(ROOT, dirname(file), target!)));
}

const importsOf = (dirs: string[]) => dirs.flatMap(sourceFiles).flatMap((file) => runtimeImports(file).map((target) => ({ file, target })));

describe('layers', () => {
  it('finds the imports it checks', () => {
    expect(runtimeImports('src/bot.ts')).toContain('src/storage/records');
  });

  it('keeps storage below everything that talks to members', () => {
    const upward = importsOf(['src/storage']).filter(({ target }) => /^src\/(commands|components|replies|polls|films|schedule|router|bot)/.test(target));
    expect(upward).toEqual([]);
  });

  it('keeps the message builders free of storage: they get data, not stores', () => {
    expect(importsOf(['src/replies']).filter(({ target }) => target.startsWith('src/storage'))).toEqual([]);
  });

  it('keeps the metrics out of every layer but the entry points and their wiring: lower layers get callbacks', () => {
    const wiring = new Set(['src/bot.ts', 'src/index.ts', 'src/sharded.ts']);
    const intoMetrics = importsOf(['src'])
      .filter(({ file }) => !wiring.has(file) && !file.startsWith('src/metrics/'))
      .filter(({ target }) => target.startsWith('src/metrics'));
    expect(intoMetrics).toEqual([]);
  });

  it('keeps the metrics below what talks to members, and off the stores: they read figures handed to them', () => {
    expect(runtimeImports('src/metrics/shards.ts')).toContain('src/metrics/readiness');
    const upward = importsOf(['src/metrics']).filter(({ target }) => /^src\/(commands|components|replies|polls|router|bot|index|sharded|data|discord)|^src\/storage\/(?!timeouts$)/.test(target));
    expect(upward).toEqual([]);
  });

  it('imports zod as a namespace everywhere, so the build keeps only the parts of zod the bot uses (see scripts/build.ts)', () => {
    const named = sourceFiles('src').filter((file) => /^import\s+\{[^}]*\bz\b[^}]*\}\s+from\s+'zod'/m.test(readFileSync(join(ROOT, file), 'utf8')));
    expect(named).toEqual([]);
  });

  it('lets nothing the product or its scripts run import from test/', () => {
    expect(importsOf(['src', 'scripts', 'harness']).filter(({ target }) => target.startsWith('test/'))).toEqual([]);
  });
});

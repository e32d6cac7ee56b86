// Compiles the bot to plain JavaScript in dist/ (with source maps), so `npm start` runs no TypeScript loader.
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BuildOptions, build as esbuild } from 'esbuild';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const DIST_DIR = join(ROOT, 'dist');
export const BUILT_ENTRY = join(DIST_DIR, 'index.js');
export const BUILT_SHARDED_ENTRY = join(DIST_DIR, 'sharded.js');
const FILMS_SOURCE = join(ROOT, 'src', 'data', 'films');
const LOCALES_SOURCE = join(ROOT, 'src', 'i18n', 'locales');

/**
 * Dependencies compiled into the bundle rather than loaded from node_modules. zod's package
 * entry evaluates the whole library, its 40-odd message locales included (about 750 kB of
 * source, ~3 MB of heap once loaded); bundled, only the schema types and checks the bot uses
 * and the English messages are kept (about 200 kB). The bot imports it as `import * as z`,
 * which is what lets esbuild keep only the members it reads.
 */
const BUNDLED_DEPENDENCIES = ['zod'];
const { dependencies } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };

/** How code that runs under plain node is compiled: the bot here, the bench's bare client too. */
export const NODE_BUNDLE: BuildOptions = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // Dependencies load from node_modules as they are (all but BUNDLED_DEPENDENCIES); our own code is compiled.
  external: Object.keys(dependencies)
    .filter((name) => !BUNDLED_DEPENDENCIES.includes(name))
    .flatMap((name) => [name, `${name}/*`]),
  sourcemap: true,
  logLevel: 'warning',
};

/**
 * Builds unless dist/ is newer than every source file. Skipping matters beyond speed: a bot
 * started from dist/ while another build rewrites it could read a half-written file.
 */
export async function build({ force = false } = {}): Promise<'built' | 'up to date'> {
  if (!force && isUpToDate()) return 'up to date';
  // Chunk names change with their contents: drop the last build's.
  if (existsSync(DIST_DIR)) for (const name of readdirSync(DIST_DIR).filter((file) => /\.js(\.map)?$/.test(file))) rmSync(join(DIST_DIR, name));
  await esbuild({
    entryPoints: [join(ROOT, 'src', 'index.ts'), join(ROOT, 'src', 'sharded.ts')],
    outdir: DIST_DIR,
    ...NODE_BUNDLE,
    // Modules imported with import() (the Redis and Postgres backends, the metrics) become chunks
    // of their own, so that their dependencies load only when they are used.
    // Chunks sit beside the entry points, so a path taken from import.meta.url (the dataset's)
    // means the same in every one of them.
    splitting: true,
    chunkNames: '[name]-[hash]',
    // node --enable-source-maps reads and parses each module's source map as the module loads,
    // and keeps it, with a copy of every source it names; stack traces need only the mappings
    // (src/ is beside dist/ for anyone who wants to read the code).
    sourcesContent: false,
    // V8 keeps every module's source text in memory; without comments and indentation it is a
    // third smaller, and plain ASCII (one non-ASCII character in a kept comment makes V8 store all
    // of it at two bytes a character). Names are kept, so stack traces and logged error types read
    // as before, and the source maps still point at the TypeScript.
    minifyWhitespace: true,
  });
  // The dataset is read from a folder next to the code (src/data/load.ts), which is dist/ once bundled.
  const films = join(DIST_DIR, 'films');
  mkdirSync(films, { recursive: true });
  for (const file of readdirSync(FILMS_SOURCE).filter((name) => name.endsWith('.json'))) copyFileSync(join(FILMS_SOURCE, file), join(films, file));
  // The languages' messages likewise (src/i18n/index.ts), read the first time each is needed.
  const locales = join(DIST_DIR, 'locales');
  mkdirSync(locales, { recursive: true });
  for (const file of readdirSync(LOCALES_SOURCE).filter((name) => name.endsWith('.json'))) copyFileSync(join(LOCALES_SOURCE, file), join(locales, file));
  return 'built';
}

function isUpToDate(): boolean {
  const outputs = [BUILT_ENTRY, BUILT_SHARDED_ENTRY];
  if (!outputs.every((file) => existsSync(file))) return false;
  const builtAt = Math.min(...outputs.map((file) => statSync(file).mtimeMs));
  const sources = [fileURLToPath(import.meta.url), ...filesUnder(join(ROOT, 'src'))];
  return sources.every((file) => statSync(file).mtimeMs < builtAt);
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await build({ force: process.argv.includes('--force') });

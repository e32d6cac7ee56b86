// Dependencies a bot may never need (time zones until a party or daily quote is planned, the
// message catalogue until a member is answered) are loaded the first time they are used, not at
// start: every module loaded stays in memory for the life of the process.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** The package `name`, loaded synchronously (its CommonJS build) on the first call. */
export function onFirstUse<T>(name: string): () => T {
  let loaded: T | undefined;
  return () => (loaded ??= require(name) as T);
}

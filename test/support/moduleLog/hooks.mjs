// Module loading hooks that append "<pid>\t<url>" for each module loaded.
import { appendFileSync } from 'node:fs';

const logFile = process.env.REELSIDE_MODULE_LOG;

export async function load(url, context, nextLoad) {
  if (logFile) appendFileSync(logFile, `${process.pid}\t${url}\n`);
  return nextLoad(url, context);
}

// Preloaded with --import: records every module the process loads, to REELSIDE_MODULE_LOG.
import { register } from 'node:module';

register('./hooks.mjs', import.meta.url);

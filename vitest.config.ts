import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/globalSetup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Most files spend their time waiting on bot processes, storage servers and timers, not on
    // the CPU, so run more files at once than there are cores (vitest's default is cores - 1,
    // which is one file at a time on a 2-core machine).
    maxWorkers: 4,
    // The CPU goes to the bot processes the tests start; a fresh worker per file would add
    // vitest's own start-up and module loading 25 more times. Sharing workers is safe here: no
    // test mocks modules or changes module state, and each file closes the servers it started.
    isolate: false,
  },
});

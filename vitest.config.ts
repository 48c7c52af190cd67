import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Tests start real servers and child processes; give slow CI machines room.
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // Child processes the tests start are reaped after each file, and the run fails if any is left.
    setupFiles: ['test/support/reap-children.setup.ts'],
    globalSetup: ['test/support/console-build.global.ts', 'test/support/leftover-children.global.ts'],
  },
});

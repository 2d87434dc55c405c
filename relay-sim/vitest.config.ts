import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    // Each file opens many loopback sockets; one file at a time keeps the 2 cores for the work.
    fileParallelism: false,
    passWithNoTests: false,
  },
});

import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    globalSetup: ['test/build-cli.ts'],
    testTimeout: 120_000,
    hookTimeout: 60_000,
    // Integration tests share real Postgres databases and Redis keyspaces: one file at a time.
    fileParallelism: false,
    passWithNoTests: false,
  },
});

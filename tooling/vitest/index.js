// Plain JavaScript: vitest loads a workspace package's config natively, before any TypeScript
// transform (types in index.d.ts).
import { fileURLToPath } from 'node:url';

/**
 * The settings every package's tests share: tests beside the code and in `test/`, one file at a
 * time (integration tests share real Postgres databases, Redis keyspaces and the two cores), and
 * a run that finds no test fails.
 */
export const baseTest = Object.freeze({
  include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
  testTimeout: 30_000,
  hookTimeout: 60_000,
  fileParallelism: false,
  passWithNoTests: false,
});

/** The base configuration, with a package's own `test` settings replacing the base's ones. */
export function packageConfig(overrides = {}) {
  return { ...overrides, test: { ...baseTest, ...overrides.test } };
}

/** The base configuration as it is. */
export const baseConfig = packageConfig();

/** A global set-up that builds the package's `dist/` before its tests start its processes. */
export const buildPackageFirst = fileURLToPath(new URL('./build-package.js', import.meta.url));

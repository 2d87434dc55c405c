import { packageConfig } from '@nostr-info/vitest-config';

// One long scenario: the steps depend on each other and share the processes.
export default packageConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 240_000,
    hookTimeout: 240_000,
    sequence: { concurrent: false },
  },
});

import { packageConfig } from '@nostr-info/vitest-config';

// The tests start the built CLI as child processes; the global set-up builds it once.
export default packageConfig({ test: { globalSetup: ['test/build-cli.ts'], testTimeout: 120_000 } });

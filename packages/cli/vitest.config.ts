import { buildPackageFirst, packageConfig } from '@nostr-info/vitest-config';

// The tests start the built CLI as child processes; the global set-up builds it once.
export default packageConfig({ test: { globalSetup: [buildPackageFirst], testTimeout: 120_000 } });

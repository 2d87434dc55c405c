import { packageConfig } from '@nostr-info/vitest-config';

// The global set-up renders the chart once for every test file.
export default packageConfig({ test: { globalSetup: ['test/global-setup.ts'], testTimeout: 60_000 } });

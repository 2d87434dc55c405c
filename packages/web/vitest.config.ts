import { packageConfig } from '@nostr-info/vitest-config';

// The browser tests start the all-in-one process, a simulated network and Chromium: minutes, not
// seconds, on two shared cores.
export default packageConfig({ test: { testTimeout: 180_000, hookTimeout: 180_000 } });

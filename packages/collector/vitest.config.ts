import { buildPackageFirst, packageConfig } from '@nostr-info/vitest-config';

// The process tests (crashes, re-shards) start the built collector; the global set-up builds it.
export default packageConfig({ test: { globalSetup: [buildPackageFirst] } });

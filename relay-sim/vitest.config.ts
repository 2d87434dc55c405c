import { packageConfig } from '@nostr-info/vitest-config';

// Each file opens many loopback sockets and some build large corpora before their first test.
export default packageConfig({ test: { hookTimeout: 120_000 } });

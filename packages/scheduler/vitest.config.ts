import { baseConfig } from '@nostr-info/vitest-config';

export default baseConfig;

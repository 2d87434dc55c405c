import type { CollectorEnv } from '@nostr-info/shared/config';
import { getPublicKey } from 'nostr-tools/pure';

/** This collector's own monitor pubkey (hex) when a monitor key is set: its reports are not another monitor's. */
export function ownMonitorPubkey(env: Pick<CollectorEnv, 'MONITOR_SECRET_KEY'>): string | undefined {
  const key = env.MONITOR_SECRET_KEY;
  return key ? getPublicKey(Uint8Array.from(Buffer.from(key, 'hex'))) : undefined;
}

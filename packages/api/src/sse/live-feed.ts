import type { Cache } from '@nostr-info/shared/cache';
import type { Logger } from '@nostr-info/shared/log';
import { LIVE_CHANNEL } from '@nostr-info/shared/stats';

/** What one collector replica publishes on `LIVE_CHANNEL` every few seconds. */
interface ReplicaReport {
  at: string;
  events_per_second_by_kind: Record<string, number>;
  relays_connected: number;
  relays_owned: number;
  replica: string;
}

/** The network-wide live figures sent to stream clients. */
export interface LiveMessage {
  at: string;
  events_per_second: number;
  events_per_second_by_kind: Record<string, number>;
  relays_online: number;
  relays_owned: number;
  collectors: number;
}

export interface LiveFeed {
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Sums the newest report of every replica heard from recently. */
  current(): LiveMessage;
}

const finite = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : 0);

function parseReport(message: string): ReplicaReport | undefined {
  try {
    const v = JSON.parse(message) as Partial<ReplicaReport>;
    if (typeof v !== 'object' || v === null) return undefined;
    const byKind: Record<string, number> = {};
    if (v.events_per_second_by_kind && typeof v.events_per_second_by_kind === 'object') {
      for (const [kind, rate] of Object.entries(v.events_per_second_by_kind)) {
        if (/^\d{1,6}$|^other$/.test(kind)) byKind[kind] = finite(rate);
      }
    }
    return {
      at: typeof v.at === 'string' ? v.at : new Date().toISOString(),
      events_per_second_by_kind: byKind,
      relays_connected: finite(v.relays_connected),
      relays_owned: finite(v.relays_owned),
      replica: typeof v.replica === 'string' || typeof v.replica === 'number' ? String(v.replica) : 'default',
    };
  } catch {
    return undefined;
  }
}

/**
 * Keeps the newest report of each collector replica (from the cache's pub/sub, so every API
 * replica sees all of them) and sums them. A replica silent for `staleMs` no longer counts.
 */
export function createLiveFeed({
  cache,
  logger,
  staleMs = 30_000,
}: {
  cache: Cache;
  logger: Logger;
  staleMs?: number;
}): LiveFeed {
  const reports = new Map<string, { report: ReplicaReport; receivedAt: number }>();
  let unsubscribe: (() => Promise<void>) | undefined;
  return {
    async start() {
      if (unsubscribe) return;
      unsubscribe = await cache.subscribe(LIVE_CHANNEL, (message) => {
        const report = parseReport(message);
        if (!report) {
          logger.debug('ignoring an unreadable live report');
          return;
        }
        // Replica names are bounded by the collector count; cap anyway against a noisy publisher.
        if (!reports.has(report.replica) && reports.size >= 1024) return;
        reports.set(report.replica, { report, receivedAt: Date.now() });
      });
    },
    async stop() {
      const off = unsubscribe;
      unsubscribe = undefined;
      await off?.().catch(() => undefined);
    },
    current() {
      const now = Date.now();
      const byKind: Record<string, number> = {};
      let online = 0;
      let owned = 0;
      let collectors = 0;
      for (const [replica, { report, receivedAt }] of reports) {
        if (now - receivedAt > staleMs) {
          reports.delete(replica);
          continue;
        }
        collectors += 1;
        online += report.relays_connected;
        owned += report.relays_owned;
        for (const [kind, rate] of Object.entries(report.events_per_second_by_kind)) {
          byKind[kind] = (byKind[kind] ?? 0) + rate;
        }
      }
      const total = Object.values(byKind).reduce((a, b) => a + b, 0);
      return {
        at: new Date(now).toISOString(),
        events_per_second: Math.round(total * 100) / 100,
        events_per_second_by_kind: byKind,
        relays_online: online,
        relays_owned: owned,
        collectors,
      };
    },
  };
}

import type { NostrEvent } from '@nostr-info/shared/nostr';
import { isPrivateHost, tryNormalizeRelayUrl } from '@nostr-info/shared/relay';
import { RELAY_REPORT_KIND } from './report-tags.js';

/** Another monitor's report of one relay, as kept (see `monitor_reports`). */
export interface MonitorReportRow {
  monitorPubkey: string;
  relayUrl: string;
  eventId: string;
  /** The event's created_at (ms). */
  reportedAt: number;
  rttOpenMs: number | null;
  rttReadMs: number | null;
  /** The relay's host is public: it may become a discovery candidate (a private one never does). */
  publicHost: boolean;
}

/** Tags read from a report; a real one has a few dozen, a hostile one may have thousands. */
const MAX_TAGS = 200;
/** Round-trip times past a minute are no measurement of a relay that answers. */
const MAX_RTT_MS = 60_000;

const rtt = (value: string | undefined): number | null => {
  if (value === undefined || !/^\d{1,6}$/.test(value)) return null;
  const ms = Number(value);
  return ms <= MAX_RTT_MS ? ms : null;
};

/**
 * Reads a verified kind 30166 event of another monitor: its `d` tag as a ws(s) relay URL
 * (normalised; an address that is no such URL makes no report), and `rtt-open` / `rtt-read` when
 * they are whole milliseconds up to a minute. Only the first `MAX_TAGS` tags are looked at.
 * Undefined for our own reports (`ownPubkey`) and anything unusable. A report is kept only for a
 * relay the database knows (`flushMonitorReports`), and only a public host is discovered.
 */
export function readMonitorReport(event: NostrEvent, ownPubkey?: string): MonitorReportRow | undefined {
  if (event.kind !== RELAY_REPORT_KIND || event.pubkey === ownPubkey) return undefined;
  const tags = event.tags.slice(0, MAX_TAGS);
  const value = (name: string) => {
    const tag = tags.find((t) => t[0] === name);
    return typeof tag?.[1] === 'string' ? tag[1] : undefined;
  };
  const d = value('d');
  const relayUrl = d === undefined || d.length > 500 ? undefined : tryNormalizeRelayUrl(d);
  if (!relayUrl) return undefined;
  return {
    monitorPubkey: event.pubkey,
    relayUrl,
    eventId: event.id,
    reportedAt: event.created_at * 1000,
    rttOpenMs: rtt(value('rtt-open')),
    rttReadMs: rtt(value('rtt-read')),
    publicHost: !isPrivateHost(new URL(relayUrl).hostname),
  };
}

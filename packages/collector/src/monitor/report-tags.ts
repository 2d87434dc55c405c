import type { RelayStatus } from '@nostr-info/shared/relay';

/** NIP-66 relay discovery event: one per relay and monitor, addressed by the relay's URL. */
export const RELAY_REPORT_KIND = 30166;
/** NIP-66 relay monitor announcement: how often and how the monitor checks. */
export const MONITOR_ANNOUNCEMENT_KIND = 10166;

/** What this replica recorded about one relay it holds (its `relays` row). */
export interface RelayFacts {
  relayId: number;
  /** The normalised URL (`normalizeRelayUrl`), the report's `d` tag. */
  url: string;
  status: RelayStatus;
  /** Latest socket-open and REQ→EOSE times the collector measured (ms). */
  openLatencyMs: number | null;
  eoseLatencyMs: number | null;
  /** As claimed by the relay's NIP-11 document. */
  supportedNips: number[] | null;
  authRequired: boolean | null;
  paymentRequired: boolean | null;
  restrictedWrites: boolean | null;
  nip11: Record<string, unknown> | null;
}

export type Tag = string[];

/** A NIP-66 event before signing. */
export interface ReportTemplate {
  kind: number;
  tags: Tag[];
  content: string;
}

/**
 * Statuses of a relay that is up: it serves, or it answers with a demand for authentication or
 * payment. Only these get a report; a relay that is down gets none (NIP-66 reports describe
 * relays a monitor reached), and readers see the last one age past the announced frequency.
 */
const REACHABLE: ReadonlySet<RelayStatus> = new Set(['online', 'auth_required', 'payment_required']);

/** True when a relay with this status gets a kind 30166 report. */
export function reportable(status: RelayStatus): boolean {
  return REACHABLE.has(status);
}

/** NIP-66 network type from the host name: `.onion` is tor, `.i2p` i2p, `.loki` loki. */
export function networkOf(url: string): 'clearnet' | 'tor' | 'i2p' | 'loki' {
  let host: string;
  try {
    host = new URL(url).hostname;
  } catch {
    return 'clearnet';
  }
  if (host.endsWith('.onion')) return 'tor';
  if (host.endsWith('.i2p')) return 'i2p';
  if (host.endsWith('.loki')) return 'loki';
  return 'clearnet';
}

/** A requirement as NIP-66 writes it: the key, or `!key` when it is known not to apply. */
const requirement = (key: string, applies: boolean | null): Tag[] =>
  applies === null ? [] : [['R', applies ? key : `!${key}`]];

/**
 * The `R` tags. What the collector observed outranks the NIP-11 claim (NIP-66 allows reports to
 * contradict the document): a relay that served our subscription needs neither authentication nor
 * payment to read, one that refused wants what it asked for. Writes are never tried, so `writes`
 * and `pow` can only repeat the claim.
 */
function requirementTags(f: RelayFacts, document: Record<string, unknown>): Tag[] {
  const served = f.status === 'online';
  const auth = f.status === 'auth_required' ? true : served ? false : f.authRequired;
  const payment = f.status === 'payment_required' ? true : served ? false : f.paymentRequired;
  const limitation = document.limitation;
  const pow =
    typeof limitation === 'object' && limitation !== null
      ? (limitation as Record<string, unknown>).min_pow_difficulty
      : undefined;
  return [
    ...requirement('auth', auth),
    ...requirement('payment', payment),
    ...requirement('writes', f.restrictedWrites),
    ...requirement('pow', typeof pow === 'number' && pow >= 0 ? pow > 0 : null),
  ];
}

/** Largest NIP-11 document carried in `content`; many relays refuse events over 16-64 KiB. */
export const MAX_CONTENT_BYTES = 8 * 1024;
/** The document fields kept when the whole document is too large to carry. */
const CORE_FIELDS = ['name', 'software', 'version', 'supported_nips', 'limitation'] as const;

/**
 * The `content`: the relay's NIP-11 document as fetched (NIP-66 allows it; it carries software and
 * version, which have no tag), or only its core fields when the whole is over `MAX_CONTENT_BYTES`,
 * or nothing when even those are.
 */
export function reportContent(document: Record<string, unknown> | null): string {
  if (document === null) return '';
  const whole = JSON.stringify(document);
  if (Buffer.byteLength(whole) <= MAX_CONTENT_BYTES) return whole;
  const core = JSON.stringify(
    Object.fromEntries(CORE_FIELDS.filter((k) => k in document).map((k) => [k, document[k]])),
  );
  return Buffer.byteLength(core) <= MAX_CONTENT_BYTES ? core : '';
}

/**
 * The kind 30166 report of a reachable relay: `d` its normalised URL, `n` the network,
 * `rtt-open` and (when it served) `rtt-read` as last measured, `N` the claimed NIPs, `R` the
 * requirements. No `rtt-write` (the collector never writes), no `T`, `t`, `k` or `g` (not known).
 */
export function relayReport(f: RelayFacts): ReportTemplate {
  const document = f.nip11 ?? {};
  const tags: Tag[] = [
    ['d', f.url],
    ['n', networkOf(f.url)],
  ];
  if (f.openLatencyMs !== null) tags.push(['rtt-open', String(Math.round(f.openLatencyMs))]);
  // A relay that refuses us was not read from: its last REQ→EOSE time describes another time.
  if (f.status === 'online' && f.eoseLatencyMs !== null)
    tags.push(['rtt-read', String(Math.round(f.eoseLatencyMs))]);
  const nips = [...new Set(f.supportedNips ?? [])].sort((a, b) => a - b);
  for (const nip of nips) tags.push(['N', String(nip)]);
  tags.push(...requirementTags(f, document));
  return { kind: RELAY_REPORT_KIND, tags, content: reportContent(f.nip11) };
}

/** NIP-09 deletion request. */
export const DELETION_KIND = 5;

/**
 * The deletion (NIP-09, by `a` address) of the monitor's report of a relay that went down: relays
 * that honour it drop the report at once; to the others it still says the report is withdrawn.
 */
export function reportWithdrawal(monitorPubkey: string, url: string): ReportTemplate {
  return {
    kind: DELETION_KIND,
    tags: [
      ['a', `${RELAY_REPORT_KIND}:${monitorPubkey}:${url}`],
      ['k', String(RELAY_REPORT_KIND)],
    ],
    content: 'relay down',
  };
}

/** How this monitor checks, for its kind 10166 announcement. */
export interface MonitorChecks {
  /** Seconds between two reports of the same relay. */
  frequencySeconds: number;
  /** Timeouts of the checks (ms): socket open, REQ answer, NIP-11 fetch. */
  openTimeoutMs: number;
  readTimeoutMs: number;
  nip11TimeoutMs: number;
}

/**
 * The kind 10166 announcement. `timeout` tags follow NIP-66's text: index 1 the timeout in ms,
 * index 2 the check it applies to (the NIP's example lists them the other way round).
 */
export function monitorAnnouncement(c: MonitorChecks): ReportTemplate {
  return {
    kind: MONITOR_ANNOUNCEMENT_KIND,
    tags: [
      ['frequency', String(c.frequencySeconds)],
      ['timeout', String(c.openTimeoutMs), 'open'],
      ['timeout', String(c.readTimeoutMs), 'read'],
      ['timeout', String(c.nip11TimeoutMs), 'nip11'],
      ['c', 'open'],
      ['c', 'read'],
      ['c', 'nip11'],
    ],
    content: '',
  };
}

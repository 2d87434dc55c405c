/**
 * Why a relay stopped serving, as its outages record it: a fixed set (a metric label and an API
 * enum), defined in docs/methodology.md. The collector derives it from the failure it saw.
 */
export const OUTAGE_CAUSES = [
  'dns',
  'tcp',
  'tls',
  'http_status',
  'ws_close',
  'stalled',
  'unresponsive',
  'auth_required',
  'payment_required',
  'subscription_closed',
  'other',
] as const;

export type OutageCauseClass = (typeof OUTAGE_CAUSES)[number];

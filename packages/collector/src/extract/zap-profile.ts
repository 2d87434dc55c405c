import { pgText } from '../store/pg-text.js';

/** The Lightning addresses a profile (kind 0) names: where its owner's zaps are paid. */
export interface LightningAddress {
  /** `name@domain` (LUD-16), lower-cased. */
  lud16: string | null;
  /** bech32 `lnurl1…` (LUD-06), lower-cased. */
  lud06: string | null;
}

const field = (value: unknown, max: number): string | null => {
  if (typeof value !== 'string') return null;
  const text = pgText(value.trim().toLowerCase());
  return text.length > 0 && text.length <= max ? text : null;
};

/** Reads `lud16` and `lud06` from a profile's JSON content; null for what is absent or not text. */
export function lightningAddressOf(content: string): LightningAddress {
  let profile: unknown;
  try {
    profile = JSON.parse(content);
  } catch {
    return { lud16: null, lud06: null };
  }
  if (typeof profile !== 'object' || profile === null || Array.isArray(profile)) {
    return { lud16: null, lud06: null };
  }
  const p = profile as Record<string, unknown>;
  return { lud16: field(p.lud16, 320), lud06: field(p.lud06, 2000) };
}

/** A profile's Lightning address as kept per pubkey: the newest profile wins. */
export interface LightningEntry extends LightningAddress {
  pubkey: string;
  eventId: string;
  /** The profile's created_at (ms). */
  createdAt: number;
}

/** NIP-01 replaceable order: true when `a` replaces `b` (newer created_at; on a tie, the lower id). */
export function replaces(a: LightningEntry, b: LightningEntry | undefined): boolean {
  return !b || a.createdAt > b.createdAt || (a.createdAt === b.createdAt && a.eventId < b.eventId);
}

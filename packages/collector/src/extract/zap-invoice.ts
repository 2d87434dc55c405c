import { decode } from 'light-bolt11-decoder';

/** What zap checks read from a BOLT 11 invoice. */
export interface InvoiceFacts {
  /** The bech32 network after `ln`: `bc` is mainnet; `tb`, `tbs`, `bcrt`, `sb` are not. */
  network: string | undefined;
  /** Amount in millisatoshis (the decoder applies the m/u/n/p multiplier); none when amountless. */
  msats: bigint | undefined;
  /** 32-byte payment hash, hex: what identifies the payment, whatever event carries it. */
  paymentHash: string | undefined;
}

const HEX64 = /^[0-9a-f]{64}$/;

/** Reads an invoice; undefined when it is not a decodable BOLT 11 invoice. */
export function readInvoice(invoice: string): InvoiceFacts | undefined {
  try {
    const facts: InvoiceFacts = { network: undefined, msats: undefined, paymentHash: undefined };
    for (const section of decode(invoice).sections) {
      if (section.name === 'coin_network') facts.network = section.value?.bech32;
      else if (section.name === 'amount' && section.value !== undefined && section.value !== null)
        facts.msats = BigInt(section.value as string);
      else if (
        section.name === 'payment_hash' &&
        typeof section.value === 'string' &&
        HEX64.test(section.value)
      )
        facts.paymentHash = section.value;
    }
    return facts;
  } catch {
    return undefined;
  }
}

/** Amount of a bolt11 invoice in millisatoshis; undefined when unreadable or amountless. */
export function bolt11Msats(invoice: string): bigint | undefined {
  return readInvoice(invoice)?.msats;
}

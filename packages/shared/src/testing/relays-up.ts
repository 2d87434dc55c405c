/**
 * Relays a collector has subscribed and serving, read from its `/metrics` (the series
 * `nostr_info_collector_relay_up … 1`); 0 while the process does not answer.
 */
export async function relaysUp(metricsUrl: string): Promise<number> {
  const text = await fetch(metricsUrl)
    .then((res) => res.text())
    .catch(() => '');
  return [...text.matchAll(/^nostr_info_collector_relay_up\{[^}]*\} 1$/gm)].length;
}

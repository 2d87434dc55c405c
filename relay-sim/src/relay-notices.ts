/** What `notice` mode says, in turn: every standard NIP-01 prefix, then free text. */
const NOTICES = [
  'rate-limited: slow down, you are sending too fast',
  'error: internal error while processing your request',
  'restricted: this relay only serves paying members',
  'blocked: your IP address is blocked',
  'invalid: filter too broad',
  'auth-required: please authenticate',
  'relay will restart in 5 minutes',
];

/** The text of the `n`-th NOTICE a `notice` relay sends. */
export function noticeText(n: number): string {
  return NOTICES[n % NOTICES.length] ?? 'error: notice';
}

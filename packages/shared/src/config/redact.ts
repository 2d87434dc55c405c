/** Replaces the password (and user) in a connection URL so it is safe to log. */
export function redactUrl(value: string): string {
  try {
    const url = new URL(value);
    if (url.password) url.password = '***';
    return url.toString();
  } catch {
    // Not a URL: hide anything that looks like user:password@ anyway.
    return value.replace(/\/\/[^@/\s]*@/g, '//***@');
  }
}

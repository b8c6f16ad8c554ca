/**
 * The client address a trusted proxy put first in `Forwarded` (RFC 7239) or `X-Forwarded-For`;
 * `undefined` when neither says. Only called when the `trustProxy` option is on.
 */
export function forwardedAddress(headers: Headers): string | undefined {
  const forwarded = headers.get("forwarded");
  if (forwarded) {
    const match = /(?:^|[;,\s])for="?\[?([^\]",;]+)/i.exec(forwarded);
    if (match) return match[1];
  }
  const xff = headers.get("x-forwarded-for");
  if (xff) return xff.split(",")[0].trim() || undefined;
  return undefined;
}

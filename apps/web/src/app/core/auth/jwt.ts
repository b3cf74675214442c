/**
 * Reads the `exp` claim (seconds since the epoch) of a JWT without verifying it: the web only
 * uses it to notice an expired session early; the API is the one that checks signatures.
 * Returns `null` when the token has no readable expiry.
 */
export function readTokenExpiry(token: string): number | null {
  const payload = token.split('.')[1];
  if (!payload) return null;
  try {
    const base64 = payload.replace(/-/g, '+').replace(/_/g, '/');
    const padded = base64.padEnd(base64.length + ((4 - (base64.length % 4)) % 4), '=');
    const claims: unknown = JSON.parse(atob(padded));
    const exp = (claims as { exp?: unknown } | null)?.exp;
    return typeof exp === 'number' ? exp : null;
  } catch {
    return null;
  }
}

/** True when the token carries an expiry that has passed (with a small clock-skew margin). */
export function isTokenExpired(token: string, nowMs: number = Date.now(), skewSeconds = 10): boolean {
  const exp = readTokenExpiry(token);
  return exp !== null && exp * 1000 <= nowMs + skewSeconds * 1000;
}

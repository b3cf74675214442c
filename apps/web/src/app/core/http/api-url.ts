/** Path prefix of every request that goes to our own API (and may carry our token). */
export const API_PREFIX = '/api/';

/**
 * True for requests to our API: relative `/api/...` URLs, or absolute URLs on this same origin.
 * Anything else (an external storage URL, another site) never gets the bearer token.
 */
export function isApiUrl(url: string, origin: string | null): boolean {
  if (url.startsWith(API_PREFIX)) return true;
  if (!origin) return false;
  try {
    const parsed = new URL(url);
    return parsed.origin === origin && parsed.pathname.startsWith(API_PREFIX);
  } catch {
    return false;
  }
}

export const LOGIN_PATH = '/api/auth/login';

/**
 * Whether an attachment URL lies under one of the configured storage prefixes, compared as URLs, not
 * as strings: the parsed origin (scheme, host and port) must be the prefix's, and the path's segments,
 * each percent-decoded, must start with the prefix's segments. A prefix without a path (or with `/`)
 * means that exact origin.
 *
 * A string prefix accepted `https://files.example.com.evil.example/…` for `https://files.example.com`,
 * and `…/chat/../other/…` or `…/chat/%2e%2e/…` for `…/chat/`.
 */
export function isUnderAttachmentPrefix(url: URL, prefix: string): boolean {
  if (!URL.canParse(prefix)) return false;
  const base = new URL(prefix);
  if (url.origin !== base.origin) return false;
  const wanted = pathSegments(base.pathname);
  const actual = pathSegments(url.pathname);
  if (!wanted || !actual) return false;
  // `/chat/` and `/chat` both mean "inside chat": the trailing empty segment is not required.
  if (wanted.at(-1) === '') wanted.pop();
  return wanted.length <= actual.length && wanted.every((segment, i) => segment === actual[i]);
}

/**
 * The decoded segments of a URL path (the parser already resolved `.`/`..` and `%2e`), or null when a
 * segment decodes to something a server could read as another path: `.`/`..`, a slash or backslash
 * (`%2f`, `%5c`), or invalid percent-encoding. Also refused: what becomes one of those after a second
 * decoding (`%252e%252e`) or without its `;parameters` (`..;x`, which Tomcat and Jetty read as `..`),
 * for storage behind servers that do either.
 */
function pathSegments(pathname: string): string[] | null {
  const segments: string[] = [];
  for (const raw of pathname.split('/').slice(1)) {
    const segment = decodeOrNull(raw);
    if (segment === null) return null;
    const bare = segment.split(';', 1)[0];
    if ([segment, bare, decodeOrNull(segment) ?? segment, decodeOrNull(bare) ?? bare].some(escapesItsPlace)) return null;
    segments.push(segment);
  }
  return segments;
}

function escapesItsPlace(segment: string): boolean {
  return segment === '.' || segment === '..' || /[/\\]/.test(segment);
}

function decodeOrNull(text: string): string | null {
  try {
    return decodeURIComponent(text);
  } catch {
    return null;
  }
}

import { LinkifyIt } from 'linkify-it';

/** A piece of a message's text: plain, or a link to `href`. */
export interface TextPart {
  readonly text: string;
  readonly href: string | null;
}

// Only explicit https:// addresses become links: no bare domains ("example.com"), no e-mail addresses,
// no ftp:, mailto: or protocol-relative "//" links. linkify-it finds where an address ends (trailing
// punctuation, brackets, Unicode), which is the fiddly part.
const linkify = new LinkifyIt({ fuzzyLink: false, fuzzyEmail: false, fuzzyIP: false })
  .add('ftp:', null)
  .add('mailto:', null)
  .add('//', null)
  .add('http:', null);

/**
 * The address if it may be a link: an absolute `https:` URL without credentials whose host has a dot,
 * else null. (For "https://usuario:clave@host" linkify-it stops at the colon and offers
 * "https://usuario": a host without a dot is never a public site.)
 */
export function safeLinkHref(url: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.protocol !== 'https:' || parsed.username || parsed.password || !parsed.hostname.includes('.')) return null;
  return parsed.href;
}

/**
 * Splits a message's text into plain parts and `https:` links, for a template that interpolates each
 * part (text is never HTML) and binds links with `target="_blank" rel="noopener noreferrer"`.
 */
export function textParts(text: string): TextPart[] {
  const matches = linkify.match(text) ?? [];
  const parts: TextPart[] = [];
  let position = 0;
  for (const match of matches) {
    const href = safeLinkHref(match.url);
    if (!href) continue;
    if (match.index > position) parts.push({ text: text.slice(position, match.index), href: null });
    parts.push({ text: match.raw, href });
    position = match.lastIndex;
  }
  if (position < text.length) parts.push({ text: text.slice(position), href: null });
  return parts;
}

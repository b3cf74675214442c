import type { AttachmentDto } from '@app/api/models';

const IMAGE_TYPES = ['image/png', 'image/jpeg', 'image/gif', 'image/webp'];

/**
 * The attachment URL if it may be linked from the page, else null. Only `https:` URLs, or `http:` URLs
 * of this very origin (the local demo serves uploads over http). Everything else (`javascript:`,
 * `data:`, other http hosts, credentials in the URL) is shown as plain text without a link.
 */
export function safeAttachmentUrl(url: string, pageOrigin: string | null): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.username || parsed.password) return null;
  if (parsed.protocol === 'https:') return parsed.href;
  if (parsed.protocol === 'http:' && pageOrigin !== null && parsed.origin === pageOrigin) return parsed.href;
  return null;
}

/** Images are shown as thumbnails (only from a safe URL); everything else as a download chip. */
export function isImageAttachment(attachment: Pick<AttachmentDto, 'mime_type'>): boolean {
  return IMAGE_TYPES.includes(attachment.mime_type.toLowerCase());
}

/**
 * What a file really is, decided from its bytes (never from the name or the browser's claim), and a
 * file name that is safe to store, to put in a URL and to send in `Content-Disposition`.
 */

/** Canonical extension per MIME type of the chat's default whitelist. */
const EXTENSIONS: Readonly<Record<string, string>> = {
  'image/png': 'png',
  'image/jpeg': 'jpg',
  'image/gif': 'gif',
  'image/webp': 'webp',
  'application/pdf': 'pdf',
  'text/plain': 'txt',
  'text/csv': 'csv',
  'application/msword': 'doc',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'docx',
  'application/vnd.ms-excel': 'xls',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'xlsx',
  'application/vnd.ms-powerpoint': 'ppt',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': 'pptx',
};

/** Extensions accepted as an alias of the canonical one (`foto.jpeg` stays `foto.jpeg`). */
const ALIASES: Readonly<Record<string, readonly string[]>> = { jpg: ['jpeg', 'jpe'], txt: ['text', 'log', 'md'] };

/** Legacy Office files share one container format (OLE/CFB); the extension tells which one it is. */
const CFB_BY_EXTENSION: Readonly<Record<string, string>> = {
  doc: 'application/msword',
  xls: 'application/vnd.ms-excel',
  ppt: 'application/vnd.ms-powerpoint',
};

type FileTypeFromBuffer = (buffer: Uint8Array) => Promise<{ mime: string } | undefined>;
let fileTypeFromBuffer: FileTypeFromBuffer | undefined;

/** `file-type` is ESM-only; loaded once with a dynamic import from this CommonJS build. */
async function loadDetector(): Promise<FileTypeFromBuffer> {
  fileTypeFromBuffer ??= (await import('file-type')).fileTypeFromBuffer;
  return fileTypeFromBuffer;
}

export function extensionOf(name: string): string {
  const match = /\.([A-Za-z0-9]{1,10})$/.exec(name);
  return match ? match[1].toLowerCase() : '';
}

/**
 * The MIME type of `bytes`: from the magic numbers when the format has them, `text/plain`/`text/csv`
 * for valid UTF-8 text without control characters, otherwise null (unknown: refuse it).
 */
export async function detectMimeType(bytes: Uint8Array, originalName: string): Promise<string | null> {
  const detected = await (await loadDetector())(bytes);
  const extension = extensionOf(originalName);
  if (detected) {
    if (detected.mime === 'application/x-cfb') return CFB_BY_EXTENSION[extension] ?? null;
    return detected.mime;
  }
  if (isPlainText(bytes)) return extension === 'csv' ? 'text/csv' : 'text/plain';
  return null;
}

/** Valid UTF-8 with no NUL or other control characters except tab, newlines and form feed. */
export function isPlainText(bytes: Uint8Array): boolean {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return false;
  }
  // eslint-disable-next-line no-control-regex
  return !/[\u0000-\u0008\u000B\u000E-\u001F\u007F]/.test(text);
}

const MAX_NAME_LENGTH = 120;

/**
 * A file name safe everywhere: no directories, no control or shell/URL-special characters, no leading
 * dots, at most 120 characters, and an extension that matches the detected type (`informe.html` that is
 * really text becomes `informe.html.txt`, so nothing downstream trusts the original extension).
 */
export function sanitizeFileName(originalName: string, mimeType: string): string {
  const base = originalName.split(/[/\\]/).pop() ?? '';
  let name = base
    .normalize('NFC')
    .replace(/[^\p{L}\p{N} ._()-]+/gu, '_')
    .replace(/\s+/g, ' ')
    .replace(/_+/g, '_')
    .replace(/^[\s._-]+/, '')
    .trim();
  const expected = EXTENSIONS[mimeType];
  const current = extensionOf(name);
  if (expected && current !== expected && !(ALIASES[expected] ?? []).includes(current)) {
    name = name ? `${name}.${expected}` : `archivo.${expected}`;
  }
  if (!name || name.startsWith('.')) name = `archivo${name}`;
  if (name.length > MAX_NAME_LENGTH) {
    const extension = extensionOf(name);
    const keep = MAX_NAME_LENGTH - (extension ? extension.length + 1 : 0);
    name = extension ? `${name.slice(0, keep).trimEnd()}.${extension}` : name.slice(0, MAX_NAME_LENGTH);
  }
  return name;
}

export function isImageMimeType(mimeType: string): boolean {
  return ['image/png', 'image/jpeg', 'image/gif', 'image/webp'].includes(mimeType);
}

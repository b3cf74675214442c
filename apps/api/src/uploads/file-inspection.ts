import { createReadStream } from 'node:fs';

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

type Detected = { mime: string } | undefined;
let detector: { fromBuffer: (buffer: Uint8Array) => Promise<Detected>; fromFile: (path: string) => Promise<Detected> } | undefined;

/** `file-type` is ESM-only; loaded once with a dynamic import from this CommonJS build. */
async function loadDetector(): Promise<NonNullable<typeof detector>> {
  if (!detector) {
    const fileType = await import('file-type');
    detector = { fromBuffer: fileType.fileTypeFromBuffer, fromFile: fileType.fileTypeFromFile };
  }
  return detector;
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
  return decide(await (await loadDetector()).fromBuffer(bytes), originalName, async () => isPlainText(bytes));
}

/** `detectMimeType` for a file on disk, read as a stream (the upload is never held in memory). */
export async function detectMimeTypeOfFile(path: string, originalName: string): Promise<string | null> {
  return decide(await (await loadDetector()).fromFile(path), originalName, () => isPlainTextFile(path));
}

async function decide(detected: Detected, originalName: string, plainText: () => Promise<boolean>): Promise<string | null> {
  const extension = extensionOf(originalName);
  if (detected) {
    if (detected.mime === 'application/x-cfb') return CFB_BY_EXTENSION[extension] ?? null;
    return detected.mime;
  }
  if (await plainText()) return extension === 'csv' ? 'text/csv' : 'text/plain';
  return null;
}

// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000B\u000E-\u001F\u007F]/;

/** `isPlainText` over a file, chunk by chunk (a multi-byte character split across chunks is fine). */
export async function isPlainTextFile(path: string): Promise<boolean> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  try {
    for await (const chunk of createReadStream(path)) {
      if (CONTROL_CHARACTERS.test(decoder.decode(chunk as Buffer, { stream: true }))) return false;
    }
    decoder.decode(); // throws on a truncated final sequence
    return true;
  } catch {
    return false;
  }
}

/** Valid UTF-8 with no NUL or other control characters except tab, newlines and form feed. */
export function isPlainText(bytes: Uint8Array): boolean {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return false;
  }
  return !CONTROL_CHARACTERS.test(text);
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

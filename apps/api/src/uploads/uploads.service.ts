import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { createReadStream, type ReadStream } from 'node:fs';
import { readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { UploadDto } from './dto/upload.dto';
import { detectMimeTypeOfFile, isImageMimeType, sanitizeFileName } from './file-inspection';
import { UploadErrors } from './uploads.errors';
import { UPLOADS_CONFIG, type UploadsConfig } from './uploads.config';

/** What multer hands over (disk storage: `<dir>/<uuid>.part`, bounded by the size limit). */
export interface ReceivedFile {
  originalname: string;
  path: string;
  size: number;
}

interface StoredMeta {
  name: string;
  mime_type: string;
  size_bytes: number;
  uploaded_by: string;
  uploaded_at: string;
}

export interface OpenedUpload {
  stream: ReadStream;
  meta: StoredMeta;
  /** True for images (shown inline as thumbnails); everything else is a download. */
  inline: boolean;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/**
 * A temporary upload file (`<uuid>.part`) this much older than now belongs to no upload in progress:
 * multer deletes what it abandons, but not when the process dies mid-upload. Generous, because other
 * instances may share the directory and be receiving a slow upload right now.
 */
export const STALE_PART_AGE_MS = 60 * 60_000;

/**
 * The demo host's file storage, outside the chat module as the spec asks: files live under
 * `UPLOADS_DIR/<uuid>` with a JSON sidecar; the random id makes the URL unguessable (it can be shown
 * in an `<img>` without a bearer token). In production this is replaced by the platform's storage.
 */
@Injectable()
export class UploadsService implements OnModuleInit {
  private readonly logger = new Logger('Uploads');

  constructor(@Inject(UPLOADS_CONFIG) private readonly config: UploadsConfig) {}

  /** Deletes temporary files left by uploads that were cut off by a crash or a restart. */
  async onModuleInit(): Promise<void> {
    const names = await readdir(this.config.dir).catch(() => [] as string[]);
    let removed = 0;
    for (const name of names) {
      if (!name.endsWith('.part') || !UUID.test(name.slice(0, -'.part'.length))) continue;
      const path = join(this.config.dir, name);
      const info = await stat(path).catch(() => null);
      if (info && Date.now() - info.mtimeMs > STALE_PART_AGE_MS) {
        await rm(path, { force: true });
        removed++;
      }
    }
    if (removed > 0) this.logger.log(`Deleted ${removed} temporary file(s) of interrupted uploads.`);
  }

  /** Roles that may upload (the chat's roles). */
  mayUpload(role: string): boolean {
    return this.config.chatRoles.includes(role);
  }

  get maxBytes(): number {
    return this.config.maxBytes;
  }

  /** Accepts a received file (or deletes it): type from the bytes, then renamed into place with its metadata. */
  async store(file: ReceivedFile, userId: string): Promise<UploadDto> {
    let kept = false;
    try {
      if (file.size > this.config.maxBytes) throw UploadErrors.tooLarge(this.config.maxBytes);
      const mimeType = await detectMimeTypeOfFile(file.path, file.originalname);
      if (!mimeType || !this.config.mimeTypes.includes(mimeType)) throw UploadErrors.typeNotAllowed();

      const id = randomUUID();
      const name = sanitizeFileName(decodeLatin1Name(file.originalname), mimeType);
      const meta: StoredMeta = { name, mime_type: mimeType, size_bytes: file.size, uploaded_by: userId, uploaded_at: new Date().toISOString() };
      // Multer wrote the file under a temporary name in the same directory: a reader never sees half a file.
      const target = join(this.config.dir, id);
      await rename(file.path, target);
      kept = true;
      await writeFile(`${target}.json`, JSON.stringify(meta), { flag: 'wx' });

      // Never built from the request's Host header (a client could name any host): the configured base, or
      // a URL relative to this server that the browser resolves against the page it is on.
      return { url: `${this.config.publicBaseUrl ?? ''}/api/uploads/${id}/${encodeURIComponent(name)}`, name, mime_type: mimeType, size_bytes: file.size };
    } finally {
      if (!kept) await rm(file.path, { force: true });
    }
  }

  async open(id: string): Promise<OpenedUpload> {
    if (!UUID.test(id)) throw UploadErrors.notFound();
    const target = join(this.config.dir, id);
    let meta: StoredMeta;
    try {
      meta = JSON.parse(await readFile(`${target}.json`, 'utf8')) as StoredMeta;
    } catch {
      throw UploadErrors.notFound();
    }
    return { stream: createReadStream(target), meta, inline: isImageMimeType(meta.mime_type) };
  }
}

/**
 * Multer decodes the multipart file name as Latin-1; browsers send UTF-8. Re-decode when the result
 * is valid UTF-8 ("café.png" instead of "cafÃ©.png").
 */
export function decodeLatin1Name(name: string): string {
  if (!/[\u0080-\u00ff]/.test(name)) return name;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(Buffer.from(name, 'latin1'));
  } catch {
    return name;
  }
}

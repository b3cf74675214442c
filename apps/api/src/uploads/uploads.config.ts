import { isAbsolute, resolve } from 'node:path';

import { loadSupportChatConfig } from '@support-chat/chat-domain';

import type { Env } from '../config/api-config';

/**
 * The demo host's upload service settings. The limits are the chat's own (`SUPPORT_CHAT_ATTACHMENT_MIMES`,
 * `SUPPORT_CHAT_ATTACHMENT_MAX_BYTES`), read with the chat's loader, so a file the upload accepts is never
 * refused when its metadata is sent to the chat.
 */
export interface UploadsConfig {
  /** Absolute directory for stored files (`UPLOADS_DIR`, default `./data/uploads`). */
  dir: string;
  /** Origin (and path) the returned URLs start with (`PUBLIC_BASE_URL`); null = relative URLs (`/api/uploads/...`). */
  publicBaseUrl: string | null;
  maxBytes: number;
  mimeTypes: readonly string[];
  /** Roles that may upload: the chat's candidate and staff roles. */
  chatRoles: readonly string[];
  /** Uploads per user per minute (`UPLOAD_RATE_LIMIT_PER_MINUTE`, default 10; 0 = off). */
  ratePerMinute: number;
  /** Uploads per user per hour (`UPLOAD_RATE_LIMIT_PER_HOUR`, default 60; 0 = off): with the size limit, a byte quota. */
  ratePerHour: number;
}

export const UPLOADS_CONFIG = Symbol('UPLOADS_CONFIG');

export class UploadsConfigError extends Error {
  constructor(problem: string) {
    super(`Invalid uploads configuration: ${problem}`);
    this.name = 'UploadsConfigError';
  }
}

export function loadUploadsConfig(env: Env, cwd: string = process.cwd()): UploadsConfig {
  const chat = loadSupportChatConfig(env);
  const rawDir = env.UPLOADS_DIR?.trim() || './data/uploads';
  let publicBaseUrl: string | null = env.PUBLIC_BASE_URL?.trim() || null;
  if (publicBaseUrl) {
    let parsed: URL;
    try {
      parsed = new URL(publicBaseUrl);
    } catch {
      throw new UploadsConfigError(`PUBLIC_BASE_URL must be an absolute http(s) URL (got "${publicBaseUrl}")`);
    }
    if (!['http:', 'https:'].includes(parsed.protocol) || parsed.username || parsed.password || parsed.search || parsed.hash) {
      throw new UploadsConfigError(`PUBLIC_BASE_URL must be a plain http(s) origin, optionally with a path (got "${publicBaseUrl}")`);
    }
    publicBaseUrl = publicBaseUrl.replace(/\/+$/, '');
  }
  const limit = (name: string, fallback: number): number => {
    const raw = env[name]?.trim();
    if (!raw) return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < 0 || value > 1_000_000)
      throw new UploadsConfigError(`${name} must be an integer between 0 and 1000000 (got "${raw}")`);
    return value;
  };
  return Object.freeze({
    dir: isAbsolute(rawDir) ? rawDir : resolve(cwd, rawDir),
    publicBaseUrl,
    maxBytes: chat.attachmentMaxBytes,
    mimeTypes: chat.attachmentMimeTypes,
    chatRoles: [...chat.candidateRoles, ...chat.staffRoles],
    ratePerMinute: limit('UPLOAD_RATE_LIMIT_PER_MINUTE', 10),
    ratePerHour: limit('UPLOAD_RATE_LIMIT_PER_HOUR', 60),
  });
}

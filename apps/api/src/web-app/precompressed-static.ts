import { statSync } from 'node:fs';
import { extname, resolve, sep } from 'node:path';

import type { NextFunction, Request, RequestHandler, Response } from 'express';

/** The encodings written by `scripts/precompress-web.ts`, in the server's order of preference. */
const VARIANTS = [
  { encoding: 'br', suffix: '.br' },
  { encoding: 'gzip', suffix: '.gz' },
] as const;

/** `Cache-Control` of the web app's files: hashed bundles forever, everything else revalidated. */
export function webCacheControl(path: string): string {
  return /\.(js|css)$/.test(path) && /-[A-Za-z0-9_]{8,}\./.test(path) ? 'public, max-age=31536000, immutable' : 'no-cache';
}

/**
 * Serves the brotli or gzip copy of a built web-app file when the browser accepts it (`Content-Encoding`,
 * `Vary: Accept-Encoding`, the original's `Content-Type`), and otherwise leaves the request to the plain
 * static handler that follows. The copies are made at build time, so nothing is compressed per request.
 * Only existing files under `root` are considered (no traversal); `/api` is never touched.
 */
export function precompressedStatic(root: string): RequestHandler {
  const base = resolve(root);
  /** The files never change while the process runs: look each one up once. */
  const known = new Map<string, readonly (typeof VARIANTS)[number][]>();

  const variantsOf = (file: string): readonly (typeof VARIANTS)[number][] => {
    let variants = known.get(file);
    if (!variants) {
      variants = statSync(file, { throwIfNoEntry: false })?.isFile()
        ? VARIANTS.filter((variant) => statSync(`${file}${variant.suffix}`, { throwIfNoEntry: false })?.isFile())
        : [];
      known.set(file, variants);
    }
    return variants;
  };

  return (req: Request, res: Response, next: NextFunction): void => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || /^\/api(\/|$)/.test(req.path)) return next();
    let path: string;
    try {
      path = decodeURIComponent(req.path);
    } catch {
      return next();
    }
    if (path.includes('\0') || path.endsWith('/')) return next();
    const file = resolve(base, `.${path}`);
    if (!file.startsWith(base + sep)) return next();
    const variants = variantsOf(file);
    if (variants.length === 0) return next();
    res.vary('Accept-Encoding');
    const accepted = req.acceptsEncodings([...variants.map((variant) => variant.encoding), 'identity']);
    const variant = variants.find((candidate) => candidate.encoding === accepted);
    if (!variant) return next();
    res.setHeader('Content-Encoding', variant.encoding);
    res.setHeader('Cache-Control', webCacheControl(file));
    res.type(extname(file));
    res.sendFile(`${file}${variant.suffix}`, { cacheControl: false }, (error) => {
      if (error && !res.headersSent) {
        res.removeHeader('Content-Encoding');
        next();
      }
    });
  };
}

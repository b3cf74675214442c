/**
 * Writes a brotli (`.br`) and a gzip (`.gz`) copy next to every compressible file of the built web app,
 * so the demo host sends them as they are instead of compressing on every request (see
 * `apps/api/src/web-app/precompressed-static.ts`). Run by `npm run build:web`:
 *
 *   tsx scripts/precompress-web.ts [dir]     (default dist/web/browser)
 *
 * A copy is only kept when it is smaller than the file. Re-running replaces the copies.
 */
import { readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { extname, join, relative, resolve } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

/** Text formats worth compressing (images and fonts of the bundle are compressed already). */
export const COMPRESSIBLE_EXTENSIONS = ['.html', '.js', '.mjs', '.css', '.json', '.svg', '.txt', '.xml', '.webmanifest', '.ico'];
/** Below this size the header overhead eats the gain. */
export const MIN_BYTES = 1024;

export interface PrecompressResult {
  file: string;
  bytes: number;
  br: number | null;
  gzip: number | null;
}

function* files(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* files(path);
    else if (entry.isFile()) yield path;
  }
}

export function precompressDirectory(dir: string): PrecompressResult[] {
  const results: PrecompressResult[] = [];
  for (const path of files(dir)) {
    if (!COMPRESSIBLE_EXTENSIONS.includes(extname(path).toLowerCase())) continue;
    const bytes = statSync(path).size;
    for (const suffix of ['.br', '.gz']) rmSync(`${path}${suffix}`, { force: true });
    if (bytes < MIN_BYTES) continue;
    const content = readFileSync(path);
    // Built once, served many times: the slowest, smallest settings of each format.
    const br = brotliCompressSync(content, {
      params: {
        [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
        [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
        [constants.BROTLI_PARAM_SIZE_HINT]: bytes,
      },
    });
    const gzip = gzipSync(content, { level: constants.Z_BEST_COMPRESSION });
    const result: PrecompressResult = { file: relative(dir, path), bytes, br: null, gzip: null };
    if (br.length < bytes) {
      writeFileSync(`${path}.br`, br);
      result.br = br.length;
    }
    if (gzip.length < bytes) {
      writeFileSync(`${path}.gz`, gzip);
      result.gzip = gzip.length;
    }
    results.push(result);
  }
  return results;
}

if (require.main === module) {
  const dir = resolve(process.argv[2] ?? 'dist/web/browser');
  const results = precompressDirectory(dir);
  const total = (pick: (result: PrecompressResult) => number | null) => results.reduce((sum, result) => sum + (pick(result) ?? result.bytes), 0);
  const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
  console.log(
    `Precompressed ${results.length} files in ${dir}: ${kb(total((result) => result.bytes))} -> brotli ${kb(total((result) => result.br))}, gzip ${kb(total((result) => result.gzip))}`,
  );
}

/**
 * Writes the OpenAPI document of the whole API to the committed `openapi.json` at the repository root,
 * or, with `--check`, fails if the committed file differs from what the code describes.
 *
 * The app is built exactly as in production (`createApp()`) but never listens, on an in-memory SQLite
 * database with `NODE_ENV=test`, so the output does not depend on the machine or its environment.
 *
 *   npm run openapi:generate   # rewrite openapi.json
 *   npm run openapi:check      # CI: exit 1 on drift
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

import { createApp } from '../src/app.factory';
import { buildOpenApiDocument, serializeOpenApiDocument } from '../src/openapi/openapi';

/** `dist/apps/api/scripts/` when compiled, `apps/api/scripts/` when run from source: find the repo root. */
function repoRoot(): string {
  let dir = __dirname;
  while (!existsSync(join(dir, 'package.json')) || !existsSync(join(dir, 'nest-cli.json'))) {
    const parent = resolve(dir, '..');
    if (parent === dir) throw new Error('generate-openapi: repository root not found');
    dir = parent;
  }
  return dir;
}

export async function renderOpenApi(): Promise<string> {
  const { app } = await createApp({
    // Only what the document depends on; nothing from the caller's shell.
    env: {
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      DATABASE_URL: 'sqlite::memory:',
      DEMO_USERS: 'false',
      JWT_SECRET: 'openapi-generation-only-0123456789abcdef',
    },
    swagger: false,
  });
  try {
    return serializeOpenApiDocument(buildOpenApiDocument(app));
  } finally {
    await app.close();
  }
}

async function main(): Promise<void> {
  const check = process.argv.includes('--check');
  const target = join(repoRoot(), 'openapi.json');
  const rendered = await renderOpenApi();

  if (!check) {
    writeFileSync(target, rendered);
    console.log(`openapi.json written (${Object.keys((JSON.parse(rendered) as { paths: object }).paths).length} paths)`);
    return;
  }

  const scratch = mkdtempSync(join(tmpdir(), 'openapi-check-'));
  try {
    const fresh = join(scratch, 'openapi.json');
    writeFileSync(fresh, rendered);
    const committed = existsSync(target) ? readFileSync(target, 'utf8') : null;
    if (committed === rendered) {
      console.log('openapi.json is up to date');
      return;
    }
    console.error(
      committed === null
        ? 'openapi.json is missing. Run `npm run openapi:generate` and commit the result.'
        : `openapi.json is out of date: the API changed but the committed document did not.\n` +
            `Run \`npm run openapi:generate\` and commit openapi.json (and regenerate the web client).\n` +
            `Fresh document for comparison: ${fresh}`,
    );
    process.exitCode = 1;
  } finally {
    if (process.exitCode !== 1) rmSync(scratch, { recursive: true, force: true });
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}

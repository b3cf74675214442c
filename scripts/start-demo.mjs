/**
 * `npm run demo` (after install and build): starts the built app, API and web on one port, with the
 * demo defaults. Every default can be overridden from the environment.
 *
 *   PORT=3000                            where it listens (http://localhost:3000)
 *   LOG_LEVEL=warn                       warnings and errors only (info: one JSON line per request)
 *   DEMO_USERS=true                      candidato1, candidato2, soporte1, admin1, developer1, gerente1 / Demo1234!
 *   API_DOCS=true                        Swagger UI at /api/docs
 *   UPLOADS_DIR=./data/uploads           files uploaded to the chat
 *   SUPPORT_CHAT_ALLOW_INSECURE_ATTACHMENT_PREFIXES=true and
 *   SUPPORT_CHAT_ATTACHMENT_URL_PREFIXES=http://localhost:PORT/api/uploads/,http://127.0.0.1:PORT/api/uploads/
 *                                        the local demo has no TLS: the chat accepts http attachment URLs,
 *                                        but only those of this demo's own upload service.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const main = join(root, 'dist/api/apps/api/src/main.js');
const web = join(root, 'dist/web/browser/index.html');
for (const [file, what] of [
  [main, 'API'],
  [web, 'web app'],
]) {
  if (!existsSync(file)) {
    console.error(`The ${what} is not built (${file} is missing). Run "npm run build" first, or "npm run demo" to install, build and start.`);
    process.exit(1);
  }
}

const env = process.env;
env.NODE_ENV ??= 'production';
env.PORT ??= '3000';
env.DEMO_USERS ??= 'true';
// Swagger UI for QA (off by default when NODE_ENV=production).
env.API_DOCS ??= 'true';
// One JSON line per request buries the start-up messages; the demo shows warnings and errors only.
env.LOG_LEVEL ??= 'warn';
if (env.SUPPORT_CHAT_ATTACHMENT_URL_PREFIXES === undefined && env.PUBLIC_BASE_URL === undefined) {
  env.SUPPORT_CHAT_ALLOW_INSECURE_ATTACHMENT_PREFIXES ??= 'true';
  env.SUPPORT_CHAT_ATTACHMENT_URL_PREFIXES = `http://localhost:${env.PORT}/api/uploads/,http://127.0.0.1:${env.PORT}/api/uploads/`;
}

console.log(`Demo: open http://localhost:${env.PORT} and sign in as candidato1 or soporte1 (password Demo1234!).`);
process.chdir(root);
await import(pathToFileURL(main).href);

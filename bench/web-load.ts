/**
 * First load of the web app per role, as a new visitor on a throttled phone network: bytes over the wire
 * and time until the conversation list shows, with the compression the browser normally negotiates and
 * with compression refused (`Accept-Encoding: identity`, the "before" of issue 12).
 *
 *   npm run build && npm run bench:web [-- --runs 3 --profile fast3g|none]
 *
 * Runs the BUILT app (dist/api + dist/web/browser) on a free port with a fresh SQLite file and the demo
 * users, in headless Chromium (playwright-core) with a cold cache per run. The network is throttled with
 * Chromium's own emulation (CDP `Network.emulateNetworkConditions`). Bytes are what Chromium counts as
 * received for every request of the visit (headers included), from opening /login until the list shows.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

import { chromium, Page } from 'playwright-core';
import { BENCH_SERVER_ENV } from './lib/server-env';

const ROOT = resolve(__dirname, '..');
const MAIN = join(ROOT, 'dist/api/apps/api/src/main.js');
const WEB = join(ROOT, 'dist/web/browser/index.html');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const PASSWORD = 'Demo1234!';

/** Network profiles (throughput in bytes/s, latency in ms); `fast3g` uses the values of DevTools' "Fast 3G". */
const PROFILES = {
  fast3g: {
    label: 'Fast 3G (1.44 Mbit/s down, 675 kbit/s up, 562.5 ms latency)',
    latency: 562.5,
    download: (1.6 * 1_000_000 * 0.9) / 8,
    upload: (750 * 1_000 * 0.9) / 8,
  },
  none: { label: 'no throttling', latency: 0, download: -1, upload: -1 },
} as const;

type Role = 'candidate' | 'staff';
const ACCOUNTS: Record<Role, string> = { candidate: 'candidato1', staff: 'soporte1' };

function option(name: string, fallback: string): string {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 && process.argv[index + 1] ? process.argv[index + 1] : fallback;
}

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => done(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

async function startServer(): Promise<{ url: string; child: ChildProcess; dir: string }> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'support-chat-bench-web-'));
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, [MAIN], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      NODE_ENV: 'production',
      PORT: String(port),
      DATABASE_URL: `sqlite:${join(dir, 'bench.sqlite')}`,
      UPLOADS_DIR: join(dir, 'uploads'),
      DEMO_USERS: 'true',
      LOG_LEVEL: 'warn',
      JWT_SECRET: 'bench-secret-0123456789abcdef0123456789abcdef',
      LOGIN_RATE_LIMIT_PER_MINUTE: '100000',
      LOGIN_RATE_LIMIT_PER_ACCOUNT_PER_HOUR: '100000',
      SUPPORT_CHAT_RATE_LIMIT_MESSAGES_PER_MINUTE: '0',
      SUPPORT_CHAT_RATE_LIMIT_CONVERSATIONS_PER_HOUR: '0',
      SUPPORT_CHAT_MAX_OPEN_CONVERSATIONS_PER_CANDIDATE: '0',
      ...BENCH_SERVER_ENV,
    },
  });
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(`${url}/api/health`)).ok) return { url, child, dir };
    } catch {
      // Not listening yet.
    }
    await new Promise((done) => setTimeout(done, 250));
  }
  child.kill('SIGKILL');
  throw new Error('the server did not start within 60 s');
}

async function api<T>(url: string, path: string, token: string | null, body?: unknown): Promise<T> {
  const response = await fetch(`${url}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

/** A realistic inbox: 12 conversations of two candidates with a few messages each. */
async function seed(url: string): Promise<void> {
  const login = async (username: string) => (await api<{ access_token: string }>(url, '/api/auth/login', null, { username, password: PASSWORD })).access_token;
  const staff = await login('soporte1');
  for (const username of ['candidato1', 'candidato2']) {
    const token = await login(username);
    for (let i = 1; i <= 6; i++) {
      const { conversation } = await api<{ conversation: { id: string } }>(url, '/api/support/chat/conversations', token, {
        subject: `Consulta ${i}: no puedo descargar la constancia del examen de certificación`,
      });
      const send = (as: string, content: string) =>
        api(url, `/api/support/chat/conversations/${conversation.id}/messages`, as, { content, client_message_id: randomUUID() });
      await send(token, 'Hola, al terminar el examen la página de resultados se queda en blanco y no aparece el botón para descargar la constancia.');
      await send(staff, 'Hola, gracias por escribir. ¿Me indicas el folio del examen y el navegador que usas?');
      await send(token, 'Folio EXAM-2026-0412, uso Chrome en Android.');
    }
  }
}

interface Visit {
  bytes: number;
  /** `bytes` had every gzip bundle come as brotli (as over https). */
  brotliBytes: number;
  requests: number;
  ms: number;
  encodings: string[];
}

/** One cold visit: /login, sign in, until the conversation list shows. */
/**
 * What the browser says it accepts: `identity` refuses compression (the "before"); `default` leaves
 * Chromium's own header. Over plain http (this benchmark) Chromium offers gzip and deflate but not
 * brotli, and strips "br" from a header set by hand; over https it offers brotli too. The brotli
 * figure is therefore derived: the same visit with each gzip copy of a bundle replaced by its brotli copy.
 */
type Mode = 'identity' | 'default';
const ACCEPT: Record<Mode, string | null> = { identity: 'identity', default: null };
const WEB_DIR = join(ROOT, 'dist/web/browser');

/** Bytes saved if the browser had taken the brotli copy of this gzip-encoded file (0 when there is none). */
function brotliSaving(url: string): number {
  const file = join(WEB_DIR, decodeURIComponent(new URL(url).pathname));
  if (!file.startsWith(WEB_DIR) || !existsSync(`${file}.br`) || !existsSync(`${file}.gz`)) return 0;
  return statSync(`${file}.gz`).size - statSync(`${file}.br`).size;
}

async function visit(page: Page, url: string, role: Role, profile: (typeof PROFILES)[keyof typeof PROFILES], mode: Mode): Promise<Visit> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  const accept = ACCEPT[mode];
  if (accept) await cdp.send('Network.setExtraHTTPHeaders', { headers: { 'Accept-Encoding': accept } });
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false,
    latency: profile.latency,
    downloadThroughput: profile.download,
    uploadThroughput: profile.upload,
  });
  const received = new Map<string, number>();
  const encodings = new Set<string>();
  let saving = 0;
  cdp.on('Network.dataReceived', (event) => received.set(event.requestId, (received.get(event.requestId) ?? 0) + event.encodedDataLength));
  cdp.on('Network.loadingFinished', (event) => received.set(event.requestId, event.encodedDataLength));
  cdp.on('Network.responseReceived', (event) => {
    const headers = event.response.headers as Record<string, string>;
    const encoding = Object.entries(headers).find(([name]) => name.toLowerCase() === 'content-encoding')?.[1];
    if (encoding && /\.(js|css)$/.test(new URL(event.response.url).pathname)) encodings.add(encoding);
    if (encoding === 'gzip') saving += brotliSaving(event.response.url);
  });

  const started = Date.now();
  // The candidate comes from the certification platform's link to the chat: /login?returnUrl=/chat-soporte.
  await page.goto(role === 'candidate' ? `${url}/login?returnUrl=${encodeURIComponent('/chat-soporte')}` : `${url}/login`);
  await page.locator('input[autocomplete="username"]').fill(ACCOUNTS[role]);
  await page.locator('input[autocomplete="current-password"]').fill(PASSWORD);
  await page.locator('button[type="submit"]').click();
  await page.getByTestId('conversation-item').first().waitFor({ timeout: 120_000 });
  const ms = Date.now() - started;
  await cdp.detach();
  const bytes = [...received.values()].reduce((sum, count) => sum + count, 0);
  return { bytes, brotliBytes: bytes - saving, requests: received.size, ms, encodings: [...encodings] };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function main(): Promise<void> {
  for (const file of [MAIN, WEB]) if (!existsSync(file)) throw new Error(`${file} is missing: run "npm run build" first.`);
  const runs = Number(option('runs', '3'));
  const profileName = option('profile', 'fast3g') as keyof typeof PROFILES;
  const profile = PROFILES[profileName];
  if (!profile) throw new Error(`unknown profile ${profileName} (${Object.keys(PROFILES).join(', ')})`);

  const server = await startServer();
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
  });
  try {
    await seed(server.url);
    console.log(`web first load, ${profile.label}, ${runs} cold run(s) each, median shown\n`);
    console.log('| role      | encoding of the bundles | bytes over the wire | the same with brotli (https) | requests | time to the list |');
    console.log('| --------- | ----------------------- | ------------------- | ---------------------------- | -------- | ---------------- |');
    for (const role of ['candidate', 'staff'] as const) {
      for (const mode of ['identity', 'default'] as const) {
        const results: Visit[] = [];
        for (let run = 0; run < runs; run++) {
          // A new context: cold cache, no session, a phone-sized window.
          const context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'es-MX', timezoneId: 'America/Mexico_City' });
          const page = await context.newPage();
          results.push(await visit(page, server.url, role, profile, mode));
          await context.close();
        }
        const bytes = median(results.map((result) => result.bytes));
        const ms = median(results.map((result) => result.ms));
        const used = [...new Set(results.flatMap((result) => result.encodings))].join(', ') || 'none';
        const label = mode === 'identity' ? 'none (identity)' : `negotiated (${used})`;
        const brotli = mode === 'default' && used === 'gzip' ? `${(median(results.map((result) => result.brotliBytes)) / 1024).toFixed(0)} KB` : '';
        console.log(
          `| ${role.padEnd(9)} | ${label.padEnd(23)} | ${`${(bytes / 1024).toFixed(0)} KB`.padEnd(19)} | ${brotli.padEnd(28)} | ${String(median(results.map((result) => result.requests))).padEnd(8)} | ${`${(ms / 1000).toFixed(2)} s`.padEnd(16)} |`,
        );
      }
    }
  } finally {
    await browser.close();
    server.child.kill('SIGTERM');
    rmSync(server.dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});

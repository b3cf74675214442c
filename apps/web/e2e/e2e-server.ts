/**
 * The server the browser tests run against: the built app (`dist/`), on a free port, with a fresh
 * SQLite file, fresh upload folder and the demo users. `globalSetup` starts it and writes where it
 * listens to a state file the tests read.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const REPO_ROOT = resolve(__dirname, '../../..');
export const STATE_FILE = join(tmpdir(), 'support-chat-e2e-state.json');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export interface E2eState {
  baseUrl: string;
  pid: number;
  dir: string;
}

const MAIN = join(REPO_ROOT, 'dist/api/apps/api/src/main.js');
const WEB_INDEX = join(REPO_ROOT, 'dist/web/browser/index.html');

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

async function waitForHealth(baseUrl: string, child: ChildProcess, output: () => string): Promise<void> {
  // E2E_SERVER_START_SECONDS: a loaded shared machine may need longer than the default minute.
  const seconds = Number(process.env.E2E_SERVER_START_SECONDS ?? 60) || 60;
  const deadline = Date.now() + seconds * 1000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`The e2e server exited with code ${child.exitCode}:\n${output()}`);
    try {
      const response = await fetch(`${baseUrl}/api/health`);
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((done) => setTimeout(done, 250));
  }
  throw new Error(`The e2e server did not become healthy within ${seconds} s:\n${output()}`);
}

export async function startServer(): Promise<E2eState> {
  for (const file of [MAIN, WEB_INDEX]) {
    if (!existsSync(file)) {
      throw new Error(
        `\n\nBrowser tests need the built app, and ${file} is missing.\nRun "npm run build" first, then "npm run test:jest -- --selectProjects e2e".\n`,
      );
    }
  }
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const dir = mkdtempSync(join(tmpdir(), 'support-chat-e2e-'));
  const logFile = join(dir, 'server.log');
  const log = openSync(logFile, 'a');
  const child = spawn(process.execPath, [MAIN], {
    cwd: REPO_ROOT,
    stdio: ['ignore', log, log],
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      NODE_ENV: 'production',
      PORT: String(port),
      DATABASE_URL: `sqlite:${join(dir, 'e2e.sqlite')}`,
      UPLOADS_DIR: join(dir, 'uploads'),
      DEMO_USERS: 'true',
      LOG_LEVEL: 'warn',
      JWT_SECRET: 'e2e-secret-0123456789abcdef0123456789abcdef',
      LOGIN_RATE_LIMIT_PER_MINUTE: '10000',
      LOGIN_RATE_LIMIT_PER_ACCOUNT_PER_HOUR: '10000',
      SUPPORT_CHAT_RATE_LIMIT_MESSAGES_PER_MINUTE: '0',
      SUPPORT_CHAT_RATE_LIMIT_CONVERSATIONS_PER_HOUR: '0',
      SUPPORT_CHAT_MAX_OPEN_CONVERSATIONS_PER_CANDIDATE: '0',
      SUPPORT_CHAT_RATE_LIMIT_TICKETS_PER_MINUTE: '0',
      SUPPORT_CHAT_RATE_LIMIT_STATUS_CHANGES_PER_MINUTE: '0',
      SUPPORT_CHAT_RATE_LIMIT_TYPING_PER_MINUTE: '0',
      SUPPORT_CHAT_RATE_LIMIT_PRESENCE_PER_MINUTE: '0',
      SUPPORT_CHAT_RATE_LIMIT_SEARCHES_PER_MINUTE: '0',
      // Open streams re-check their user every second (access-revocation.e2e.spec.ts changes users in the database).
      SUPPORT_CHAT_REALTIME_RECHECK_SECONDS: '1',
      SUPPORT_CHAT_ALLOW_INSECURE_ATTACHMENT_PREFIXES: 'true',
      SUPPORT_CHAT_ATTACHMENT_URL_PREFIXES: `${baseUrl}/api/uploads/`,
      // Always open, so no automatic reply depends on the hour the suite runs; business-hours.e2e.spec.ts
      // changes the hours through the admin API (read fresh on every request: no settings cache).
      SUPPORT_CHAT_BUSINESS_HOURS: 'mon-sun 00:00-24:00',
      SUPPORT_CHAT_SETTINGS_CACHE_SECONDS: '0',
    },
  });
  closeSync(log);
  try {
    await waitForHealth(baseUrl, child, () => readFileSync(logFile, 'utf8'));
  } catch (error) {
    child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  child.unref();
  const state: E2eState = { baseUrl, pid: child.pid!, dir };
  writeFileSync(STATE_FILE, JSON.stringify(state));
  return state;
}

export function readState(): E2eState {
  return JSON.parse(readFileSync(STATE_FILE, 'utf8')) as E2eState;
}

export function stopServer(): void {
  if (!existsSync(STATE_FILE)) return;
  const state = readState();
  try {
    process.kill(state.pid, 'SIGTERM');
  } catch {
    // Already gone.
  }
  rmSync(state.dir, { recursive: true, force: true });
  rmSync(STATE_FILE, { force: true });
}

/**
 * The built server as a child process, for tests that kill it (SIGKILL, SIGTERM). Built once per test
 * run with the same `nest build api` as `npm run build:api`, into a private directory (`dist/fault-api`)
 * so that a colleague's `npm run build:api` (which empties `dist/api`) cannot remove it mid-test.
 */
import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';

const REPO_ROOT = resolve(__dirname, '..', '..', '..');

/**
 * Each suite that builds the server has its own output directory (and tsconfig naming it), so that
 * two suites running in parallel jest workers never build into, or empty, the same folder.
 */
const BUILDS = {
  'fault-api': 'apps/api/test/tsconfig.server-build.json',
  'spec-api': 'apps/api/test/tsconfig.spec-server-build.json',
  'adopt-api': 'apps/api/test/tsconfig.adopt-server-build.json',
} as const;
export type ServerBuild = keyof typeof BUILDS;

const serverMain = (build: ServerBuild): string => join(REPO_ROOT, 'dist', build, 'apps', 'api', 'src', 'main.js');
export const SERVER_MAIN = serverMain('fault-api');

export function buildServer(build: ServerBuild = 'fault-api'): void {
  const nest = join(REPO_ROOT, 'node_modules', '.bin', 'nest');
  const result = spawnSync(nest, ['build', 'api', '-p', BUILDS[build]], { cwd: REPO_ROOT, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`nest build failed:\n${result.stdout}\n${result.stderr}`);
}

export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolvePort(port));
    });
    server.on('error', reject);
  });
}

export interface ServerProcess {
  child: ChildProcess;
  url: string;
  /** Everything the server wrote to stdout and stderr. */
  output(): string;
  /** Resolves with the exit code or signal once the process has exited. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export const SERVER_JWT_SECRET = 'fault-secret-fault-secret-fault-secret-0123456789';

export async function startServer(databaseFile: string, env: Record<string, string> = {}, build: ServerBuild = 'fault-api'): Promise<ServerProcess> {
  const port = await freePort();
  const node = existsSync(join(REPO_ROOT, 'node_modules', '.bin', 'node')) ? join(REPO_ROOT, 'node_modules', '.bin', 'node') : process.execPath;
  const child = spawn(node, [serverMain(build)], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      PATH: process.env.PATH,
      NODE_ENV: 'production',
      PORT: String(port),
      DATABASE_URL: `sqlite:${databaseFile}`,
      JWT_SECRET: SERVER_JWT_SECRET,
      DEMO_USERS: 'true',
      LOG_LEVEL: 'info',
      LOGIN_RATE_LIMIT_PER_MINUTE: '100000',
      LOGIN_RATE_LIMIT_PER_ACCOUNT_PER_HOUR: '100000',
      SUPPORT_CHAT_RATE_LIMIT_MESSAGES_PER_MINUTE: '0',
      SUPPORT_CHAT_RATE_LIMIT_CONVERSATIONS_PER_HOUR: '0',
      SUPPORT_CHAT_MAX_OPEN_CONVERSATIONS_PER_CANDIDATE: '0',
      SUPPORT_CHAT_RATE_LIMIT_TICKETS_PER_MINUTE: '0',
      SUPPORT_CHAT_RATE_LIMIT_STATUS_CHANGES_PER_MINUTE: '0',
      SUPPORT_CHAT_RATE_LIMIT_TYPING_PER_MINUTE: '0',
      SUPPORT_CHAT_RATE_LIMIT_PRESENCE_PER_MINUTE: '0',
      // Always open unless a test sets hours: no automatic reply depending on the hour.
      SUPPORT_CHAT_BUSINESS_HOURS: 'mon-sun 00:00-24:00',
      ...env,
    },
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolveExit) =>
    child.on('exit', (code, signal) => resolveExit({ code, signal })),
  );
  let gone = false;
  void exited.then(() => (gone = true));
  const url = `http://127.0.0.1:${port}`;
  for (let attempt = 0; ; attempt++) {
    if (gone) throw new Error(`server exited during start-up:\n${output}`);
    try {
      if ((await fetch(`${url}/api/health`)).ok) break;
    } catch {
      // not listening yet
    }
    if (attempt > 600) {
      child.kill('SIGKILL');
      throw new Error(`server did not start:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { child, url, output: () => output, exited };
}

export async function json(url: string, method: string, token: string | null, body?: unknown): Promise<{ status: number; body: any }> {
  const response = await fetch(url, {
    method,
    headers: { ...(token ? { Authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}

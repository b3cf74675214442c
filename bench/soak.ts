/**
 * Soak test (not CI): the built server under 10 minutes of mixed load, checking that it never answers
 * 5xx and that its memory stays flat. See bench/README.md, "Soak".
 *
 *   npm run bench:soak                      # 10 minutes
 *   npm run bench:soak -- --minutes 1       # shorter
 *   npm run bench:soak -- --no-build --json tmp/soak.json
 *
 * Load: candidates send messages to their conversations, list them, page through history and mark them
 * read; staff list the inbox, reply, read and poll the unread badge; every user keeps an SSE stream open
 * and reconnects it every 20-40 s with a fresh ticket (connection churn, where leaks hide). Abuse limits
 * are switched off (this measures the server, not the brakes). The server's RSS is sampled from /proc
 * every 5 s; "flat" compares the second and the last third of the run (after warm-up).
 *
 * The server is a private build (`dist/soak-api`, same `nest build api` with bench/tsconfig.soak.json),
 * so that a colleague rebuilding `dist/api` cannot pull it away mid-run.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { BENCH_SERVER_ENV } from './lib/server-env';

const REPO_ROOT = resolve(__dirname, '..');
const SERVER_MAIN = join(REPO_ROOT, 'dist', 'soak-api', 'apps', 'api', 'src', 'main.js');
const API = '/api/support/chat';
const PASSWORD = 'Demo1234!';
const CANDIDATES = ['candidato1', 'candidato2'];
const STAFF = ['soporte1', 'admin1', 'developer1'];

const { values: args } = parseArgs({
  options: {
    minutes: { type: 'string', default: '10' },
    workers: { type: 'string', default: '12' },
    'no-build': { type: 'boolean', default: false },
    json: { type: 'string' },
  },
});
const durationMs = Number(args.minutes) * 60_000;
const workers = Number(args.workers);

const stats = {
  requests: 0,
  byStatus: new Map<number, number>(),
  byOp: new Map<string, { count: number; totalMs: number; max: number }>(),
  fiveXX: [] as string[],
  networkErrors: 0,
  sseConnections: 0,
  sseEvents: 0,
  sseErrors: 0,
};

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolvePort(port));
    });
    server.on('error', reject);
  });
}

function nodeBinary(): string {
  const local = join(REPO_ROOT, 'node_modules', '.bin', 'node');
  return existsSync(local) ? local : process.execPath;
}

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)![1]) / 1024;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)];

let baseUrl = '';

async function call(op: string, method: string, path: string, token: string | null, body?: unknown): Promise<{ status: number; json: any }> {
  const started = performance.now();
  let response: Response;
  try {
    response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: { ...(token ? { Authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}) },
      body: body !== undefined ? JSON.stringify(body) : undefined,
    });
  } catch (error) {
    stats.networkErrors++;
    throw error;
  }
  const text = await response.text();
  const elapsed = performance.now() - started;
  stats.requests++;
  stats.byStatus.set(response.status, (stats.byStatus.get(response.status) ?? 0) + 1);
  const entry = stats.byOp.get(op) ?? { count: 0, totalMs: 0, max: 0 };
  entry.count++;
  entry.totalMs += elapsed;
  entry.max = Math.max(entry.max, elapsed);
  stats.byOp.set(op, entry);
  if (response.status >= 500 && stats.fiveXX.length < 50) stats.fiveXX.push(`${op} ${response.status} ${text.slice(0, 200)}`);
  return { status: response.status, json: text && response.headers.get('content-type')?.includes('json') ? JSON.parse(text) : null };
}

async function login(username: string): Promise<string> {
  const { status, json } = await call('login', 'POST', '/api/auth/login', null, { username, password: PASSWORD });
  if (status !== 200) throw new Error(`login ${username}: ${status}`);
  return json.access_token as string;
}

/** Keeps an SSE stream open for this user until `until`, reconnecting every 20-40 s. */
async function streamLoop(token: string, until: number): Promise<void> {
  while (Date.now() < until) {
    const controller = new AbortController();
    const lifetime = Math.min(20_000 + Math.random() * 20_000, until - Date.now());
    const timer = setTimeout(() => controller.abort(), lifetime);
    try {
      const ticket = await call('sse-ticket', 'POST', `${API}/events/ticket`, token, {});
      if (ticket.status !== 201) throw new Error(`ticket ${ticket.status}`);
      const response = await fetch(`${baseUrl}${API}/events?ticket=${encodeURIComponent(ticket.json.ticket)}`, { signal: controller.signal });
      if (response.status >= 500) stats.fiveXX.push(`sse ${response.status}`);
      if (response.status !== 200 || !response.body) throw new Error(`stream ${response.status}`);
      stats.sseConnections++;
      const decoder = new TextDecoder();
      for await (const chunk of response.body) {
        stats.sseEvents += (decoder.decode(chunk as Uint8Array, { stream: true }).match(/^event: /gm) ?? []).length;
      }
    } catch (error) {
      if ((error as Error).name !== 'AbortError') {
        stats.sseErrors++;
        await sleep(1000);
      }
    } finally {
      clearTimeout(timer);
    }
  }
}

async function candidateWorker(token: string, conversations: string[], until: number): Promise<void> {
  while (Date.now() < until) {
    const id = pick(conversations);
    const roll = Math.random();
    if (roll < 0.4)
      await call('send', 'POST', `${API}/conversations/${id}/messages`, token, { content: `soak ${Date.now()} ñ 😀`, client_message_id: crypto.randomUUID() });
    else if (roll < 0.6) await call('list', 'GET', `${API}/conversations?per_page=20`, token);
    else if (roll < 0.85) await call('history', 'GET', `${API}/conversations/${id}/messages?page=${1 + Math.floor(Math.random() * 3)}&per_page=50`, token);
    else await call('read', 'POST', `${API}/conversations/${id}/read`, token, {});
    await sleep(Math.random() * 20);
  }
}

async function staffWorker(token: string, conversations: string[], until: number): Promise<void> {
  while (Date.now() < until) {
    const id = pick(conversations);
    const roll = Math.random();
    if (roll < 0.3) await call('inbox', 'GET', `${API}/conversations?per_page=20&page=${1 + Math.floor(Math.random() * 2)}`, token);
    else if (roll < 0.55) await call('reply', 'POST', `${API}/conversations/${id}/messages`, token, { content: `respuesta ${Date.now()}` });
    else if (roll < 0.75) await call('history', 'GET', `${API}/conversations/${id}/messages?per_page=50`, token);
    else if (roll < 0.9) await call('read', 'POST', `${API}/conversations/${id}/read`, token, {});
    else await call('unread-count', 'GET', `${API}/unread-count`, token);
    await sleep(Math.random() * 20);
  }
}

async function main(): Promise<void> {
  if (!args['no-build'] || !existsSync(SERVER_MAIN)) {
    console.log('building the API into dist/soak-api ...');
    const built = spawnSync(join(REPO_ROOT, 'node_modules', '.bin', 'nest'), ['build', 'api', '-p', 'bench/tsconfig.soak.json'], {
      cwd: REPO_ROOT,
      stdio: 'inherit',
    });
    if (built.status !== 0) throw new Error('nest build failed');
  }
  const dir = mkdtempSync(join(tmpdir(), 'support-chat-soak-'));
  const port = await freePort();
  baseUrl = `http://127.0.0.1:${port}`;
  const log = openSync(join(dir, 'server.log'), 'a');
  const server = spawn(nodeBinary(), [SERVER_MAIN], {
    cwd: REPO_ROOT,
    stdio: ['ignore', log, log],
    env: {
      PATH: process.env.PATH,
      NODE_ENV: 'production',
      PORT: String(port),
      DATABASE_URL: `sqlite:${join(dir, 'soak.sqlite')}`,
      JWT_SECRET: 'soak-secret-soak-secret-soak-secret-0123456789',
      DEMO_USERS: 'true',
      LOG_LEVEL: 'warn',
      LOGIN_RATE_LIMIT_PER_MINUTE: '100000',
      LOGIN_RATE_LIMIT_PER_ACCOUNT_PER_HOUR: '100000',
      SUPPORT_CHAT_RATE_LIMIT_MESSAGES_PER_MINUTE: '0',
      SUPPORT_CHAT_RATE_LIMIT_CONVERSATIONS_PER_HOUR: '0',
      SUPPORT_CHAT_MAX_OPEN_CONVERSATIONS_PER_CANDIDATE: '0',
      SUPPORT_CHAT_RATE_LIMIT_TICKETS_PER_MINUTE: '0',
      SUPPORT_CHAT_RATE_LIMIT_STATUS_CHANGES_PER_MINUTE: '0',
      SUPPORT_CHAT_RATE_LIMIT_TYPING_PER_MINUTE: '0',
      SUPPORT_CHAT_RATE_LIMIT_PRESENCE_PER_MINUTE: '0',
      SUPPORT_CHAT_REALTIME_MAX_STREAMS_PER_USER: '0',
      SUPPORT_CHAT_REALTIME_MAX_SOCKETS_PER_USER: '0',
      ...BENCH_SERVER_ENV,
    },
  });
  let exitCode: number | null = null;
  server.on('exit', (code, signal) => (exitCode = code ?? (signal ? -1 : 0)));
  try {
    for (let i = 0; ; i++) {
      if (exitCode !== null) throw new Error(`server exited with ${String(exitCode)} (log: ${join(dir, 'server.log')})`);
      try {
        if ((await fetch(`${baseUrl}/api/health`)).ok) break;
      } catch {
        // not listening yet
      }
      if (i > 600) throw new Error('server did not start');
      await sleep(100);
    }

    const tokens = new Map<string, string>();
    for (const user of [...CANDIDATES, ...STAFF]) tokens.set(user, await login(user));
    const byCandidate = new Map<string, string[]>();
    for (const user of CANDIDATES) {
      const ids: string[] = [];
      for (let i = 0; i < 5; i++)
        ids.push((await call('create', 'POST', `${API}/conversations`, tokens.get(user)!, { subject: `Soak ${i}` })).json.conversation.id);
      byCandidate.set(user, ids);
    }
    const all = [...byCandidate.values()].flat();

    const started = Date.now();
    const until = started + durationMs;
    const samples: { t: number; rss: number; requests: number }[] = [];
    const sampler = setInterval(() => {
      if (exitCode === null) samples.push({ t: (Date.now() - started) / 1000, rss: rssMb(server.pid!), requests: stats.requests });
    }, 5000);
    const progress = setInterval(() => {
      const last = samples.at(-1);
      console.log(
        `${Math.round((Date.now() - started) / 1000)} s: ${stats.requests} requests, 5xx ${stats.fiveXX.length}, SSE ${stats.sseConnections} connections / ${stats.sseEvents} events, RSS ${last?.rss.toFixed(0) ?? '?'} MB`,
      );
    }, 30_000);

    const tasks: Promise<void>[] = [];
    for (let w = 0; w < workers; w++) {
      const candidate = w % 2 === 0;
      const user = candidate ? CANDIDATES[(w / 2) % CANDIDATES.length] : STAFF[Math.floor(w / 2) % STAFF.length];
      tasks.push(candidate ? candidateWorker(tokens.get(user)!, byCandidate.get(user)!, until) : staffWorker(tokens.get(user)!, all, until));
    }
    for (const user of [...CANDIDATES, ...STAFF]) tasks.push(streamLoop(tokens.get(user)!, until), streamLoop(tokens.get(user)!, until));
    await Promise.all(tasks);
    clearInterval(sampler);
    clearInterval(progress);

    const seconds = (Date.now() - started) / 1000;
    const steady = samples.filter((s) => s.t >= seconds / 3);
    const thirds = [samples.filter((s) => s.t >= seconds / 3 && s.t < (2 * seconds) / 3), samples.filter((s) => s.t >= (2 * seconds) / 3)];
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
    // Least-squares slope of RSS over the steady part, in MB per minute.
    const tMean = mean(steady.map((s) => s.t));
    const rMean = mean(steady.map((s) => s.rss));
    const slope =
      (steady.reduce((acc, s) => acc + (s.t - tMean) * (s.rss - rMean), 0) /
        Math.max(
          1e-9,
          steady.reduce((acc, s) => acc + (s.t - tMean) ** 2, 0),
        )) *
      60;
    const report = {
      minutes: Number((seconds / 60).toFixed(1)),
      workers,
      sseStreams: (CANDIDATES.length + STAFF.length) * 2,
      requests: stats.requests,
      requestsPerSecond: Math.round(stats.requests / seconds),
      statuses: Object.fromEntries([...stats.byStatus].sort(([a], [b]) => a - b)),
      fiveXX: stats.fiveXX.length,
      fiveXXSamples: stats.fiveXX.slice(0, 5),
      networkErrors: stats.networkErrors,
      sse: { connections: stats.sseConnections, events: stats.sseEvents, errors: stats.sseErrors },
      operations: Object.fromEntries(
        [...stats.byOp].map(([op, v]) => [op, { count: v.count, meanMs: Number((v.totalMs / v.count).toFixed(1)), maxMs: Math.round(v.max) }]),
      ),
      rssMb: {
        start: Number(samples[0]?.rss.toFixed(1)),
        min: Number(Math.min(...samples.map((s) => s.rss)).toFixed(1)),
        max: Number(Math.max(...samples.map((s) => s.rss)).toFixed(1)),
        secondThirdMean: Number(mean(thirds[0].map((s) => s.rss)).toFixed(1)),
        lastThirdMean: Number(mean(thirds[1].map((s) => s.rss)).toFixed(1)),
        steadySlopeMbPerMinute: Number(slope.toFixed(2)),
      },
      serverExited: exitCode !== null,
    };
    console.log(JSON.stringify(report, null, 2));
    if (args.json) writeFileSync(args.json, JSON.stringify({ report, samples }, null, 2));
    const flat = report.rssMb.lastThirdMean <= report.rssMb.secondThirdMean * 1.1 + 5;
    console.log(
      `\n5xx: ${report.fiveXX} (${report.fiveXX === 0 ? 'OK' : 'FAIL'}); memory ${flat ? 'flat' : 'GROWING'}: ${report.rssMb.secondThirdMean} -> ${report.rssMb.lastThirdMean} MB`,
    );
    process.exitCode = report.fiveXX === 0 && flat && !report.serverExited ? 0 : 1;
  } finally {
    server.kill('SIGTERM');
    await new Promise((r) => (exitCode !== null ? r(null) : server.once('exit', r)));
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

/**
 * REST API benchmarks against the real server process (see bench/README.md, "REST API benchmarks").
 *
 *   npm run bench                      # SQLite, full size (10k conversations, 500k messages)
 *   npm run bench -- --db postgres     # local PostgreSQL (creates and drops its own databases)
 *   npm run bench:smoke                # tiny sizes, ~1 s per scenario: keeps the harness working in CI
 *
 * Options: --db sqlite|postgres|<postgres url>  --seconds N  --warmup N  --messages N  --deep N
 *          --no-build  --explain  --json <file>  --strict (exit 1 when a budget is missed)
 *
 * Steps: build (dist/bench-api) -> seed two databases (100 and 10,000 conversations) -> capture each
 * endpoint's SQL in-process and time it with the driver (the floor) -> start the built server as a
 * child process (start-up time on the existing database) -> log in -> warm up + autocannon per
 * endpoint, sampling the server's CPU and RSS from /proc -> print the table and the budgets.
 */
import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { copyFileSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';

import { CapturedStatement, FloorDriver, FloorResult, postgresFloor, sqliteFloor } from './lib/floor';
import { BENCH_PASSWORD, candidateUsername, conversationId, staffUsername } from './lib/ids';
import { markDeepMessagesOneByOne } from './lib/mark-read-moving';
import { newPgClient } from './lib/pg';
import { AutocannonClient, load, LoadResult, median, pacedLoad, PacedLoadOptions, processUsage } from './lib/measure';
import { BUILD_DIR, buildServer, nodeBinary, REPO_ROOT, SERVER_MAIN } from './lib/server-build';
import { seed, SeedOptions, SeedReport, sqlitePath } from './seed';
import { BENCH_JWT_SECRET, BENCH_SERVER_ENV, benchServerEnv } from './lib/server-env';

const API = '/api/support/chat';
/** The send budget's rate (issue 6): messages per second across all senders. */
const POST_RATE = 1000;
/** What the original implementation sends for a history page of the same 50 messages (issue 19). */
const ORIGINAL_PAGE_BYTES = 13_800;
const WORK_DIR = join(REPO_ROOT, 'tmp', 'bench');

interface Sizes {
  candidates: number;
  staff: number;
  large: Omit<SeedOptions, 'db' | 'candidates' | 'staff'>;
  small: Omit<SeedOptions, 'db' | 'candidates' | 'staff'>;
}

const FULL: Sizes = {
  candidates: 10_000,
  staff: 20,
  large: { conversations: 10_000, messages: 500_000, deep: 100_000 },
  small: { conversations: 100, messages: 5_000, deep: 0 },
};
const SMOKE: Sizes = {
  candidates: 300,
  staff: 20,
  large: { conversations: 300, messages: 6_000, deep: 2_000 },
  small: { conversations: 20, messages: 400, deep: 0 },
};

interface Budget {
  label: string;
  ok: boolean;
  detail: string;
}

interface Row {
  scenario: string;
  connections: number;
  result: LoadResult;
  floor?: FloorResult;
  /** The endpoint's SQL as timed inside the server during the run (ms per request; SQLite only). */
  sqlInServerMs?: number;
  expected: number;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

interface Database {
  label: string;
  url: string;
  /** A copy of the database as it is now (for capturing a POST without changing this one). */
  copy(suffix: string): Promise<Database>;
  drop(): Promise<void>;
}

/** A fresh, empty database for one size: a SQLite file under tmp/bench, or a new PostgreSQL database. */
async function freshDatabase(kind: string, label: string): Promise<Database> {
  if (kind === 'sqlite') {
    mkdirSync(WORK_DIR, { recursive: true });
    const path = join(WORK_DIR, `${label}.sqlite`);
    const remove = () => {
      for (const suffix of ['', '-wal', '-shm']) rmSync(path + suffix, { force: true });
    };
    remove();
    return {
      label,
      url: `sqlite:${path}`,
      copy: async (suffix) => {
        const target = await freshDatabase(kind, `${label}_${suffix}`);
        copyFileSync(path, sqlitePath(target.url));
        return { ...target, drop: async () => rmSync(sqlitePath(target.url), { force: true }) };
      },
      // Kept after the run (tmp/ is ignored) for EXPLAIN and profiling; replaced by the next run.
      drop: async () => undefined,
    };
  }
  const admin = kind === 'postgres' ? (process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres') : kind;
  const name = `chat_bench_${process.pid}_${label}`.replace(/[^a-z0-9_]/gi, '_').toLowerCase();
  const run = async (sql: string) => {
    const client = newPgClient(admin);
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await run(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await run(`CREATE DATABASE "${name}"`);
  const url = new URL(admin);
  url.pathname = `/${name}`;
  const drop = () => run(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  return {
    label,
    url: url.toString(),
    copy: async (suffix) => {
      const target = await freshDatabase(kind, `${label}_${suffix}`);
      await target.drop();
      await run(`CREATE DATABASE "${name}_${suffix}" TEMPLATE "${name}"`);
      return target;
    },
    drop,
  };
}

interface Server {
  process: ChildProcess;
  url: string;
  startupMs: number;
  stop(): Promise<void>;
  /** Running totals of the server's better-sqlite3 statements (lib/statement-timer.cjs); absent when not timed. */
  statementTimes?: () => Promise<{ calls: number; ms: number }>;
}

/**
 * Starts the built server and waits for /api/health; the time includes Node start-up and the schema
 * checks. With `timeStatements`, lib/statement-timer.cjs is preloaded to time its SQLite statements.
 */
async function startServer(databaseUrl: string, logName: string, timeStatements = true): Promise<Server> {
  const port = await freePort();
  mkdirSync(WORK_DIR, { recursive: true });
  const logFd = openSync(join(WORK_DIR, `${logName}.log`), 'a');
  const preload = timeStatements && databaseUrl.startsWith('sqlite') ? ['-r', join(__dirname, 'lib', 'statement-timer.cjs')] : [];
  const started = performance.now();
  const child = spawn(nodeBinary(), [...preload, SERVER_MAIN], {
    cwd: REPO_ROOT,
    stdio: ['ignore', logFd, logFd, ...(preload.length > 0 ? (['ipc'] as const) : [])],
    env: benchServerEnv(databaseUrl, port),
  });
  let exited: number | null = null;
  child.on('exit', (code) => (exited = code ?? -1));
  const url = `http://127.0.0.1:${port}`;
  for (;;) {
    if (exited !== null) throw new Error(`server exited with ${String(exited)} during start-up (log: tmp/bench/${logName}.log)`);
    try {
      const response = await fetch(`${url}/api/health`);
      if (response.ok) break;
    } catch {
      // not listening yet
    }
    if (performance.now() - started > 60_000) throw new Error('server did not start within 60 s');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  const startupMs = performance.now() - started;
  return {
    process: child,
    url,
    startupMs,
    ...(preload.length > 0 ? { statementTimes: () => readStatementTimes(child) } : {}),
    stop: () => (exited !== null ? Promise.resolve() : stopChild(child)),
  };
}

/** Asks the server for its statement totals (lib/statement-timer.cjs, over the IPC channel). */
function readStatementTimes(child: ChildProcess): Promise<{ calls: number; ms: number }> {
  return new Promise((resolve, reject) => {
    const onTotals = (totals: unknown) => {
      clearTimeout(timer);
      resolve(totals as { calls: number; ms: number });
    };
    const timer = setTimeout(() => {
      child.off('message', onTotals);
      reject(new Error('the server did not report its statement times within 5 s'));
    }, 5000);
    child.once('message', onTotals);
    child.send('statement-times', (error) => {
      if (!error) return;
      clearTimeout(timer);
      reject(error); // the server is gone
    });
  });
}

/** The bare node:http server of `lib/http-floor.cjs`, answering `bytes` of JSON to every request. */
async function startHttpFloor(bytes: number): Promise<Server> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(nodeBinary(), [join(__dirname, 'lib', 'http-floor.cjs'), String(port), String(bytes)], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`http-floor.cjs exited with ${String(code)}`)));
    child.stdout!.once('data', () => resolve());
  });
  child.removeAllListeners('exit');
  return {
    process: child,
    url: `http://127.0.0.1:${port}`,
    startupMs: performance.now() - started,
    stop: () => stopChild(child),
  };
}

/** The bare Nest server of `lib/nest-floor.cjs` on `adapter`, answering the captured SQL of the history page and the list. */
async function startNestFloor(file: string, statements: Record<'newest' | 'list', CapturedStatement[]>, adapter: 'express' | 'fastify'): Promise<Server> {
  const port = await freePort();
  const statementsFile = join(WORK_DIR, `nest-floor-${process.pid}.json`);
  writeFileSync(statementsFile, JSON.stringify(statements));
  const started = performance.now();
  const child = spawn(nodeBinary(), [join(__dirname, 'lib', 'nest-floor.cjs'), String(port), file, statementsFile, adapter], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`nest-floor.cjs exited with ${String(code)}`)));
    child.stdout!.once('data', () => resolve());
  });
  child.removeAllListeners('exit');
  return {
    process: child,
    url: `http://127.0.0.1:${port}`,
    startupMs: performance.now() - started,
    stop: () => stopChild(child).finally(() => rmSync(statementsFile, { force: true })),
  };
}

/** SIGTERM, resolved once the process has exited. */
function stopChild(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

async function login(url: string, username: string): Promise<string> {
  const response = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: BENCH_PASSWORD }),
  });
  if (!response.ok) throw new Error(`login ${username}: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { access_token: string }).access_token;
}

async function request(url: string, path: string, token: string, init: RequestInit = {}): Promise<Response> {
  return fetch(url + path, { ...init, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...(init.headers ?? {}) } });
}

/** Paths of the read scenarios for a database. */
function paths(deep: number): { list: string; unread: string; newest: string; deepPage: string; deepPageNumber: number } {
  const perPage = 50;
  // The page whose newest message is ~90% of the way back (page 1801 of 2000 at 100,000 messages).
  const deepPageNumber = Math.max(1, Math.floor((deep * 0.9) / perPage) + 1);
  return {
    list: `${API}/conversations?page=1&per_page=20`,
    unread: `${API}/unread-count`,
    newest: `${API}/conversations/${conversationId(0)}/messages?page=1&per_page=${perPage}`,
    deepPage: `${API}/conversations/${conversationId(0)}/messages?page=${deepPageNumber}&per_page=${perPage}`,
    deepPageNumber,
  };
}

/**
 * Captures each endpoint's SQL by answering one request in a child process running the compiled app
 * with a recording TypeORM logger (bench/lib/capture-sql.cjs).
 */
async function captureStatements(
  databaseUrl: string,
  deep: number,
  postTarget: { conversation: string; username: string } | null,
): Promise<Map<string, CapturedStatement[]>> {
  const p = paths(deep);
  const out = join(WORK_DIR, `statements-${process.pid}.json`);
  const job = {
    repoRoot: REPO_ROOT,
    buildDir: BUILD_DIR,
    databaseUrl,
    jwtSecret: BENCH_JWT_SECRET,
    serverEnv: BENCH_SERVER_ENV,
    password: BENCH_PASSWORD,
    staffUsername: staffUsername(0),
    reads: { list: p.list, unread: p.unread, ...(deep > 0 ? { newest: p.newest, deep: p.deepPage } : {}) },
    post: postTarget ? { username: postTarget.username, path: `${API}/conversations/${postTarget.conversation}/messages` } : null,
    out,
  };
  const result = spawnSync(nodeBinary(), [join(__dirname, 'lib', 'capture-sql.cjs'), JSON.stringify(job)], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    env: { PATH: process.env.PATH },
  });
  if (result.status !== 0) throw new Error(`capturing the SQL failed:\n${result.stdout}\n${result.stderr}`);
  const captured = JSON.parse(readFileSync(out, 'utf8')) as Record<string, CapturedStatement[]>;
  rmSync(out, { force: true });
  return new Map(Object.entries(captured));
}

async function floorDriver(databaseUrl: string): Promise<FloorDriver> {
  return databaseUrl.startsWith('sqlite:') ? sqliteFloor(sqlitePath(databaseUrl)) : postgresFloor(databaseUrl);
}

function fmt(value: number | undefined, digits = 2): string {
  if (value === undefined || Number.isNaN(value)) return '-';
  return value >= 100 ? value.toFixed(0) : value.toFixed(digits);
}

function statusText(statuses: Record<string, number>): string {
  return Object.entries(statuses)
    .map(([code, count]) => `${code}x${count}`)
    .join(' ');
}

function printTable(rows: Row[]): string {
  const header = ['scenario', 'conns', 'req/s', 'p50 ms', 'p99 ms', 'statuses', 'CPU %', 'CPU ms/req', 'RSS MB', 'floor ms', 'SQL in server ms', 'ratio'];
  const lines = rows.map((row) => [
    row.scenario,
    String(row.connections),
    fmt(row.result.rps, 0),
    fmt(row.result.p50),
    fmt(row.result.p99),
    statusText(row.result.statuses) + (row.result.errors ? ` err=${row.result.errors}` : ''),
    fmt(row.result.cpuPercent, 0),
    fmt(row.result.cpuMsPerRequest),
    fmt(row.result.rssMaxMb, 0),
    row.floor ? fmt(row.floor.median, 3) : '-',
    row.sqlInServerMs !== undefined ? fmt(row.sqlInServerMs, 3) : '-',
    row.floor && row.connections === 1 ? fmt(row.result.p50 / row.floor.median, 1) : '-',
  ]);
  const lagged = rows.filter((row) => row.result.sendLagP99 !== undefined);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((line) => line[i].length)));
  const render = (cells: string[]) => `| ${cells.map((cell, i) => cell.padEnd(widths[i])).join(' | ')} |`;
  const table = [render(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...lines.map(render)].join('\n');
  if (lagged.length === 0) return table;
  // The generator shares the CPUs with the server: when it falls behind it sends the overdue requests back
  // to back (a burstier load) and its own delay counts in the latency, so this says how far to trust them.
  return `${table}\npaced rows: requests sent within ${lagged.map((row) => `${fmt(row.result.sendLagP99!)} ms`).join(' / ')} of their due time (p99)`;
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      smoke: { type: 'boolean', default: false },
      db: { type: 'string', default: 'sqlite' },
      seconds: { type: 'string' },
      warmup: { type: 'string' },
      messages: { type: 'string' },
      deep: { type: 'string' },
      'no-build': { type: 'boolean', default: false },
      explain: { type: 'boolean', default: false },
      strict: { type: 'boolean', default: false },
      json: { type: 'string' },
    },
  });
  const smoke = values.smoke;
  const sizes: Sizes = structuredClone(smoke ? SMOKE : FULL);
  if (values.messages) sizes.large.messages = Number(values.messages);
  if (values.deep) sizes.large.deep = Number(values.deep);
  const seconds = Number(values.seconds ?? (smoke ? 1 : 10));
  const warmup = Number(values.warmup ?? (smoke ? 0.5 : 3));
  const floorBudgetMs = smoke ? 200 : 2000;
  const kind = values.db === 'sqlite' || values.db.startsWith('sqlite') ? 'sqlite' : values.db;
  const log = (line: string) => console.log(line);
  const benchStarted = Date.now();

  if (!values['no-build']) buildServer(true, log);

  const large = await freshDatabase(kind, smoke ? 'smoke_large' : 'large');
  const small = await freshDatabase(kind, smoke ? 'smoke_small' : 'small');
  const rows: Row[] = [];
  const budgets: Budget[] = [];
  const extras: Record<string, unknown> = {};
  const servers: Server[] = [];
  try {
    const common = { candidates: sizes.candidates, staff: sizes.staff, log };
    const largeSeed: SeedReport = await seed({ ...common, ...sizes.large, db: large.url });
    await seed({ ...common, ...sizes.small, db: small.url });

    // POST targets: open conversations (not the deep one), their candidates, and staff rotating over all.
    const targets = largeSeed.openConversations.slice(0, 100);
    const staffSenders = Math.min(20, sizes.staff);
    const candidateSenders = Math.min(50 - staffSenders, targets.length);
    const candidateOf = (index: number) => index % sizes.candidates;

    // Floors: each endpoint's captured SQL timed with the driver (before the server runs: no contention).
    log("capturing each endpoint's SQL and timing it with the driver (the floor) ...");
    const p = paths(sizes.large.deep);
    // On a copy: the recorded POST is committed there, so that replaying it on the original never
    // collides with it (the write floor runs inside BEGIN..ROLLBACK).
    const scratch = await large.copy('capture');
    const capturedLarge = await captureStatements(scratch.url, sizes.large.deep, {
      conversation: conversationId(targets[0]),
      username: candidateUsername(candidateOf(targets[0])),
    }).finally(() => scratch.drop());
    const capturedSmall = await captureStatements(small.url, 0, null);
    const floors = new Map<string, FloorResult>();
    const explains: Record<string, string[]> = {};
    for (const [db, captured, suffix] of [
      [large, capturedLarge, ''],
      [small, capturedSmall, '@small'],
    ] as const) {
      const driver = await floorDriver(db.url);
      try {
        for (const [name, statements] of captured) {
          floors.set(name + suffix, await driver.time(statements, floorBudgetMs));
          if (values.explain) {
            explains[name + suffix] = [];
            for (const s of statements.filter((x) => /^\s*SELECT/i.test(x.sql))) {
              const ms = await driver.timeOne(s, floorBudgetMs / 4);
              explains[name + suffix].push(
                `[${ms.toFixed(3)} ms] ${s.sql.length > 300 ? `${s.sql.slice(0, 300)}...` : s.sql}\n  -> ${(await driver.explain(s)).replace(/\n/g, '\n     ')}`,
              );
            }
          }
        }
      } finally {
        await driver.close();
      }
    }
    extras.statements = Object.fromEntries([...capturedLarge].map(([name, list]) => [name, list.map((s) => s.sql)]));

    // Start-up on the existing (seeded) database: three starts, the median.
    const startups: number[] = [];
    for (let i = 0; i < (smoke ? 1 : 3); i++) {
      const server = await startServer(large.url, `server-${large.label}`, false);
      startups.push(server.startupMs);
      await server.stop();
    }
    const startupMs = median(startups);
    log(`start-up on the existing database: ${startups.map((ms) => ms.toFixed(0)).join(', ')} ms (median ${startupMs.toFixed(0)} ms)`);

    type Runner =
      | Omit<Parameters<typeof load>[0], 'url' | 'pid' | 'seconds' | 'warmupSeconds'>
      | { paced: Omit<PacedLoadOptions, 'url' | 'pid' | 'seconds' | 'warmupSeconds'> };
    const scenario = async (server: Server, name: string, options: Runner, floorName: string | null, expected: number) => {
      const connections = 'paced' in options ? options.paced.connections : options.connections;
      log(`  ${name} (${connections} connection${connections === 1 ? '' : 's'}) ...`);
      const common = { url: server.url, pid: server.process.pid!, seconds, warmupSeconds: warmup };
      let sqlBefore: { calls: number; ms: number } | undefined;
      const snapshot = async () => (sqlBefore = await server.statementTimes?.());
      const result = 'paced' in options ? await pacedLoad({ ...options.paced, ...common }, snapshot) : await load({ ...options, ...common }, snapshot);
      const sqlAfter = await server.statementTimes?.();
      const row: Row = {
        scenario: name,
        connections,
        result,
        ...(sqlBefore && sqlAfter && result.requests > 0 ? { sqlInServerMs: (sqlAfter.ms - sqlBefore.ms) / result.requests } : {}),
        expected,
        ...(floorName && floors.has(floorName) ? { floor: floors.get(floorName)! } : {}),
      };
      rows.push(row);
      return row;
    };

    // --- 100 conversations: the list, to show how its cost grows.
    let serverSmall: Server | null = await startServer(small.url, `server-${small.label}`);
    servers.push(serverSmall);
    const staffTokenSmall = await login(serverSmall.url, staffUsername(0));
    const auth = (token: string) => ({ authorization: `Bearer ${token}` });
    log(`load on ${sizes.small.conversations} conversations:`);
    const listSmall = await scenario(
      serverSmall,
      `GET /conversations staff @${sizes.small.conversations}`,
      { path: p.list, headers: auth(staffTokenSmall), connections: 1 },
      'list@small',
      200,
    );
    await serverSmall.stop();
    serverSmall = null;

    // --- 10,000 conversations.
    const server = await startServer(large.url, `server-${large.label}`);
    servers.push(server);
    const staffToken = await login(server.url, staffUsername(0));
    const staffHeaders = auth(staffToken);
    // The counter the budget measures must also be right: the seed knows how many conversations it left unread.
    const counted = (await (await request(server.url, p.unread, staffToken)).json()) as { conversations_with_unread: number };
    const countMismatch =
      counted.conversations_with_unread === largeSeed.unreadForStaff0
        ? null
        : `GET /unread-count says ${counted.conversations_with_unread} conversations unread for staff 0, the seed made ${largeSeed.unreadForStaff0}`;
    const n = sizes.large.conversations;
    log(`load on ${n} conversations, ${sizes.large.messages} messages:`);
    const listLarge = await scenario(server, `GET /conversations staff @${n}`, { path: p.list, headers: staffHeaders, connections: 1 }, 'list', 200);
    if (!smoke) await scenario(server, `GET /conversations staff @${n}`, { path: p.list, headers: staffHeaders, connections: 10 }, 'list', 200);
    const unread = await scenario(server, `GET /unread-count staff @${n}`, { path: p.unread, headers: staffHeaders, connections: 1 }, 'unread', 200);
    if (!smoke) await scenario(server, `GET /unread-count staff @${n}`, { path: p.unread, headers: staffHeaders, connections: 10 }, 'unread', 200);
    const newest = await scenario(
      server,
      `GET /messages newest page (${sizes.large.deep} msgs)`,
      { path: p.newest, headers: staffHeaders, connections: 1 },
      'newest',
      200,
    );
    const deepRow = await scenario(
      server,
      `GET /messages page ${p.deepPageNumber} (~${Math.round(sizes.large.deep * 0.9)} deep)`,
      { path: p.deepPage, headers: staffHeaders, connections: 1 },
      'deep',
      200,
    );
    // What an HTTP round trip costs on this machine with nothing behind it: the same bytes as the
    // newest page, from a bare node:http server in its own process, measured the same way.
    const pageBody = Buffer.from(await (await request(server.url, p.newest, staffToken)).arrayBuffer());
    const pageBytes = pageBody.byteLength;
    // Issue 19's payload budget: what one history page weighs, uncompressed and gzipped.
    const pageGzipBytes = gzipSync(pageBody).byteLength;
    extras.historyPageBytes = { uncompressed: pageBytes, gzip: pageGzipBytes };
    log(`history page of 50 messages: ${pageBytes.toLocaleString('en-US')} bytes (gzip ${pageGzipBytes.toLocaleString('en-US')} bytes)`);
    const httpFloorServer = await startHttpFloor(pageBytes);
    const httpFloor = await scenario(
      httpFloorServer,
      `bare node:http, same ${(pageBytes / 1024).toFixed(0)} KB (no framework, no SQL)`,
      { path: '/', connections: 1 },
      null,
      200,
    ).finally(() => httpFloorServer.stop());
    // The framework floor: the same SQL as the history page and the list, served by a bare Nest on the
    // same adapter (no guards, pipes, interceptors, filters or logging): node:http -> bare Nest -> module
    // shows what each layer adds (SQLite only: it runs the captured statements with better-sqlite3).
    // The Fastify rows show what the other adapter Nest supports would save of that floor.
    if (kind === 'sqlite' && capturedLarge.has('newest') && capturedLarge.has('list')) {
      for (const adapter of ['express', 'fastify'] as const) {
        const nestFloorServer = await startNestFloor(
          sqlitePath(large.url),
          { newest: capturedLarge.get('newest')!, list: capturedLarge.get('list')! },
          adapter,
        );
        try {
          for (const [route, what, floorName] of [
            ['/history', 'history newest page', 'newest'],
            ['/list', `list @${n}`, 'list'],
          ] as const) {
            await scenario(nestFloorServer, `bare Nest (${adapter}), ${what} SQL, rows as JSON`, { path: route, connections: 1 }, floorName, 200);
          }
        } finally {
          await nestFloorServer.stop();
        }
      }
    }

    // Polling: the list with If-None-Match, unchanged.
    const etag = (await request(server.url, p.list, staffToken)).headers.get('etag') ?? '';
    const pollHeaders = { ...staffHeaders, 'if-none-match': etag };
    const pollMax = await scenario(server, 'GET /conversations If-None-Match (304)', { path: p.list, headers: pollHeaders, connections: 1 }, 'poll304', 304);
    if (!smoke) await scenario(server, 'GET /conversations If-None-Match (304)', { path: p.list, headers: pollHeaders, connections: 10 }, 'poll304', 304);
    // 1,000 clients every 5 s = 200 requests/s, paced.
    const pollPaced = await scenario(
      server,
      'poll 304, 1,000 clients / 5 s (200 req/s)',
      { paced: { connections: 50, rate: 200, request: () => ({ method: 'GET', path: p.list, headers: pollHeaders }) } },
      null,
      304,
    );

    // POST: 50 concurrent senders (candidates in their own conversation, staff rotating over all
    // targets) across up to 100 conversations; a fresh client_message_id per message.
    const senderTokens: { token: string; conversations: string[] }[] = [];
    for (let i = 0; i < candidateSenders; i++) {
      senderTokens.push({ token: await login(server.url, candidateUsername(candidateOf(targets[i]))), conversations: [conversationId(targets[i])] });
    }
    for (let j = 0; j < staffSenders; j++) {
      const rotated = targets.map((_, k) => conversationId(targets[(k + j * 5) % targets.length]));
      senderTokens.push({ token: await login(server.url, staffUsername(j)), conversations: rotated });
    }
    let nextSender = 0;
    const setupClient = (client: AutocannonClient) => {
      const sender = senderTokens[nextSender++ % senderTokens.length];
      let k = 0;
      const next = () => {
        // setRequests, not setRequest: the iterator goes back to its request list before each request.
        client.setRequests([sendRequest(sender, k++)]);
      };
      next();
      client.on('response', () => next());
    };
    const sendRequest = (sender: (typeof senderTokens)[number], k: number) => ({
      method: 'POST' as const,
      path: `${API}/conversations/${sender.conversations[k % sender.conversations.length]}/messages`,
      headers: { authorization: `Bearer ${sender.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ content: `Mensaje de prueba de carga ${k + 1} 🚀`, client_message_id: randomUUID() }),
    });
    const postPath = `${API}/conversations/${conversationId(targets[0])}/messages`;
    // Capacity: every sender sends its next message as soon as the last one is answered (closed loop).
    // By Little's law such a run's latency is senders / throughput (50 ms at 1,000 msg/s), whatever the
    // server does, so the latency budget is read on the paced run below.
    const postCapacity = await scenario(
      server,
      `POST /messages ${senderTokens.length} senders x ${targets.length} convs, as fast as answered`,
      { path: postPath, method: 'POST', connections: senderTokens.length, setupClient },
      'post',
      201,
    );
    // The budget's load: 1,000 messages/s from the same 50 senders, evenly spaced (each sender every
    // 50 ms, the senders staggered), latency counted from each message's due time.
    const sent = senderTokens.map(() => 0);
    const post = await scenario(
      server,
      `POST /messages ${senderTokens.length} senders, ${POST_RATE.toLocaleString('en-US')} msg/s paced`,
      { paced: { connections: senderTokens.length, rate: POST_RATE, request: (connection) => sendRequest(senderTokens[connection], sent[connection]++) } },
      null,
      201,
    );
    // Mark-read (issue 19's per-request budget): the staff user marking an open conversation read, again
    // and again (after the first, the marker stays where it is: what the web app sends when it shows a
    // conversation already read).
    const markRead = await scenario(
      server,
      'POST /read (mark-read) staff, nothing new',
      {
        path: `${API}/conversations/${conversationId(targets[0])}/read`,
        method: 'POST',
        body: '{}',
        headers: { ...staffHeaders, 'content-type': 'application/json' },
        connections: 1,
      },
      null,
      200,
    );
    // The same with a marker that moves on every request (lib/mark-read-moving.ts), as another agent.
    const markReadMoving =
      sizes.large.deep > 0
        ? await scenario(
            server,
            'POST /read (mark-read) staff, marker moving',
            { method: 'POST', connections: 1, ...markDeepMessagesOneByOne(await login(server.url, staffUsername(1)), sizes.large.deep) },
            null,
            200,
          )
        : null;
    const rssAfter = processUsage(server.process.pid!).rssMb;
    await server.stop();

    // --- Budgets (meaningful at full size on SQLite; printed for every run).
    const within = (label: string, ok: boolean, detail: string) => budgets.push({ label, ok, detail });
    within(
      'GET /conversations p50 <= 10 ms (100 and 10k)',
      listSmall.result.p50 <= 10 && listLarge.result.p50 <= 10,
      `${fmt(listSmall.result.p50)} / ${fmt(listLarge.result.p50)} ms`,
    );
    within('GET /conversations 10k <= 1.5x 100', listLarge.result.p50 <= 1.5 * listSmall.result.p50, `x${fmt(listLarge.result.p50 / listSmall.result.p50)}`);
    within('GET /unread-count p50 <= 10 ms', unread.result.p50 <= 10, `${fmt(unread.result.p50)} ms`);
    within(
      'history newest and ~90k deep p50 <= 10 ms',
      newest.result.p50 <= 10 && deepRow.result.p50 <= 10,
      `${fmt(newest.result.p50)} / ${fmt(deepRow.result.p50)} ms`,
    );
    const allCreated = [post, postCapacity].every((row) => (row.result.statuses['201'] ?? 0) === row.result.requests && row.result.errors === 0);
    within(
      'POST >= 1,000 msg/s sustained (50 senders), p99 <= 50 ms, all 201',
      // Paced runs land a hair under their rate (the last second is cut short): 1% slack.
      post.result.rps >= POST_RATE * 0.99 && postCapacity.result.rps >= POST_RATE && post.result.p99 <= 50 && allCreated,
      `${fmt(post.result.rps, 0)} msg/s paced, p99 ${fmt(post.result.p99)} ms; capacity ${fmt(postCapacity.result.rps, 0)} msg/s; ` +
        (allCreated ? 'all 201' : `${statusText(post.result.statuses)} / ${statusText(postCapacity.result.statuses)}`),
    );
    const poll304 = (pollPaced.result.statuses['304'] ?? 0) === pollPaced.result.requests && (pollMax.result.statuses['304'] ?? 0) === pollMax.result.requests;
    within(
      'polling answered 304, cheap (< 25% of one core at 200 req/s)',
      poll304 && pollPaced.result.cpuPercent < 25,
      `${fmt(pollPaced.result.cpuPercent, 0)}% CPU, ${fmt(pollMax.result.cpuMsPerRequest)} CPU ms per 304 vs ${fmt(listLarge.result.cpuMsPerRequest)} per full list`,
    );
    const ratios = [listSmall, listLarge, unread, newest, deepRow, pollMax].map((row) => ({
      row,
      ratio: row.floor ? row.result.p50 / row.floor.median : NaN,
    }));
    const worst = ratios.reduce((a, b) => (b.ratio > a.ratio ? b : a));
    const worstRow = worst.row;
    within(
      'endpoint / floor <= 3 (read endpoints)',
      ratios.every((r) => r.ratio <= 3),
      `worst x${fmt(worst.ratio, 1)} (${worstRow.scenario}); a bare node:http round trip (${(pageBytes / 1024).toFixed(0)} KB) alone is p50 ${fmt(httpFloor.result.p50, 3)} ms = ` +
        `x${fmt(httpFloor.result.p50 / worstRow.floor!.median, 1)} that floor` +
        (worstRow.sqlInServerMs !== undefined
          ? `; with its SQL as timed inside the server (mean ${fmt(worstRow.sqlInServerMs, 3)} ms/request) that is x${fmt((httpFloor.result.p50 + worstRow.sqlInServerMs) / worstRow.floor!.median, 1)} before any framework`
          : ''),
    );
    within('start-up < 2 s on an existing database', startupMs < 2000, `${startupMs.toFixed(0)} ms`);
    // Issue 19: server CPU per request (utime + stime over the run / requests; the history and mark-read
    // rows at one connection, the send at 50 senders as fast as answered, where commits are grouped).
    const cpu = (row: Row) => row.result.cpuMsPerRequest;
    within(
      'CPU per request: history, send, mark-read <= 0.6 ms each',
      cpu(newest) <= 0.6 && cpu(postCapacity) <= 0.6 && cpu(markRead) <= 0.6 && (!markReadMoving || cpu(markReadMoving) <= 0.6),
      `${fmt(cpu(newest), 3)} / ${fmt(cpu(postCapacity), 3)} / ${fmt(cpu(markRead), 3)} (nothing new)` +
        (markReadMoving ? `, ${fmt(cpu(markReadMoving), 3)} (marker moving)` : '') +
        ' ms',
    );
    within('CPU per request: list (10k) <= 1 ms', cpu(listLarge) <= 1, `${fmt(cpu(listLarge), 3)} ms`);
    within('CPU per request: 304 poll <= 0.3 ms', cpu(pollMax) <= 0.3, `${fmt(cpu(pollMax), 3)} ms`);

    within(
      `history page of 50 messages <= ${ORIGINAL_PAGE_BYTES.toLocaleString('en-US')} bytes (the original's)`,
      pageBytes <= ORIGINAL_PAGE_BYTES,
      `${pageBytes.toLocaleString('en-US')} bytes uncompressed, ${pageGzipBytes.toLocaleString('en-US')} gzipped`,
    );

    const unexpected = rows.filter((row) => (row.result.statuses[String(row.expected)] ?? 0) !== row.result.requests || row.result.errors > 0);

    console.log('');
    console.log(
      `REST API benchmark - ${kind === 'sqlite' ? 'SQLite' : 'PostgreSQL'}, ${smoke ? 'SMOKE sizes' : 'full size'}: ${sizes.candidates} candidates, ${sizes.staff} staff, ` +
        `${n} conversations / ${sizes.large.messages} messages (deep: ${sizes.large.deep}); small: ${sizes.small.conversations} conversations; ${seconds} s per run after ${warmup} s warm-up`,
    );
    console.log(printTable(rows));
    console.log(
      `start-up (existing database, to /api/health 200): median ${startupMs.toFixed(0)} ms of [${startups.map((ms) => ms.toFixed(0)).join(', ')}]; server RSS after load ${rssAfter.toFixed(0)} MB`,
    );
    console.log(
      "floor = the endpoint's own SQL (captured from TypeORM), run with the driver directly; ratio = p50 at 1 connection / floor median; POST floor runs inside BEGIN..ROLLBACK (no commit fsync); " +
        'SQL in server = every statement the server ran during the measured run, timed inside it (SQLite), per request',
    );
    console.log('');
    if (smoke) {
      // Tiny sizes and 1 s runs: the budgets say nothing here, so the smoke run does not judge them.
      console.log(
        `Smoke run: checks that the benchmark works (every scenario ran, every answer had its expected status, the unread count is right), ` +
          `not the ${budgets.length} budgets, which apply to full-size runs (npm run bench).`,
      );
    } else {
      for (const budget of budgets) console.log(`${budget.ok ? 'PASS' : 'MISS'}  ${budget.label}: ${budget.detail}`);
    }
    if (values.explain) {
      console.log('\nQuery plans:');
      for (const [name, lines] of Object.entries(explains)) console.log(`-- ${name}\n${lines.join('\n')}`);
    }
    if (countMismatch) console.log(`\nWRONG COUNT: ${countMismatch}`);
    if (unexpected.length > 0) {
      console.log(`\nUNEXPECTED STATUSES in: ${unexpected.map((row) => `${row.scenario} (${statusText(row.result.statuses)})`).join('; ')}`);
    }
    console.log(
      `machine: ${cpus().length} x ${cpus()[0]?.model ?? '?'}, ${(totalmem() / 2 ** 30).toFixed(0)} GB RAM; load average at the end ${loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')} (other processes share the CPUs)`,
    );
    console.log(`\nbenchmark took ${((Date.now() - benchStarted) / 1000).toFixed(0)} s`);
    if (values.json) {
      writeFileSync(
        values.json,
        JSON.stringify(
          { date: new Date().toISOString(), loadAverage: loadavg(), kind, smoke, sizes, seconds, warmup, startups, rows, budgets, ...extras },
          null,
          2,
        ),
      );
    }
    // A smoke run checks the harness and the statuses, not the budgets (tiny sizes, 1 s runs).
    if (unexpected.length > 0 || countMismatch) return 1;
    if (values.strict && budgets.some((b) => !b.ok)) return 1;
    return 0;
  } finally {
    for (const s of servers) await s.stop().catch(() => undefined);
    await large.drop().catch((error: unknown) => console.warn(`could not drop ${large.label}: ${String(error)}`));
    await small.drop().catch((error: unknown) => console.warn(`could not drop ${small.label}: ${String(error)}`));
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);

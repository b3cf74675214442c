/**
 * A/B of the send path on SQLite: two (or more) builds of the server, each started in turn on a fresh copy
 * of a database seeded by `npm run bench`, in alternating order (A B B A ...), so that a busy shared
 * machine affects them alike. Per start: POST from one candidate (one connection: every commit holds one
 * message), POST with 50 senders as fast as answered (capacity), then POST paced at --rate msg/s (p99 from
 * each message's due time), the senders as in bench/rest.ts (30 candidates in their own open conversation,
 * 20 staff rotating over those conversations). Each row also gives the better-sqlite3 statements per
 * message and their time inside the server (lib/statement-timer.cjs, as bench/rest.ts).
 *
 *   tsx bench/send-ab.ts --db tmp/bench/large.sqlite --server A=dist/bench-api-base/apps/api/src/main.js \
 *       --server B=dist/bench-api/apps/api/src/main.js [--rounds 2] [--seconds 8] [--warmup 2] [--rate 1000]
 *
 * The database file given is never written: each start copies it (and removes the copy afterwards).
 */
import { ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { copyFileSync, mkdirSync, openSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

import { BENCH_PASSWORD, staffUsername } from './lib/ids';
import { AutocannonClient, load, LoadResult, pacedLoad } from './lib/measure';
import { nodeBinary, REPO_ROOT } from './lib/server-build';
import { benchServerEnv } from './lib/server-env';

const API = '/api/support/chat';
const CANDIDATE_SENDERS = 30;
const STAFF_SENDERS = 20;

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

async function startServer(file: string, main: string, logPath: string): Promise<{ child: ChildProcess; url: string }> {
  const port = await freePort();
  const logFd = openSync(logPath, 'a');
  const child = spawn(nodeBinary(), ['-r', join(__dirname, 'lib', 'statement-timer.cjs'), main], {
    cwd: REPO_ROOT,
    stdio: ['ignore', logFd, logFd, 'ipc'],
    env: benchServerEnv(`sqlite:${file}`, port),
  });
  const url = `http://127.0.0.1:${port}`;
  const started = Date.now();
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited during start-up (log: ${logPath})`);
    if (
      await fetch(`${url}/api/health`).then(
        (r) => r.ok,
        () => false,
      )
    )
      return { child, url };
    if (Date.now() - started > 60_000) throw new Error('server did not start within 60 s');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The server's running statement totals (lib/statement-timer.cjs). */
function statementTimes(child: ChildProcess): Promise<{ calls: number; ms: number }> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no statement times within 5 s')), 5000);
    child.once('message', (totals) => {
      clearTimeout(timer);
      resolve(totals as { calls: number; ms: number });
    });
    child.send('statement-times');
  });
}

interface Measured {
  result: LoadResult;
  statementsPerMessage: number;
  sqlMsPerMessage: number;
}

async function login(url: string, username: string): Promise<string> {
  const response = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: BENCH_PASSWORD }),
  });
  if (!response.ok) throw new Error(`login ${username}: ${response.status}`);
  return ((await response.json()) as { access_token: string }).access_token;
}

/** Open conversations and their candidates' usernames (not the deep conversation: the rest.ts targets are open ones too). */
function openConversations(file: string, count: number): { id: string; username: string }[] {
  const Database = require('better-sqlite3') as typeof import('better-sqlite3');
  const db = new Database(file, { readonly: true });
  try {
    return db
      .prepare(
        `SELECT c.id AS id, u.username AS username FROM support_conversations c JOIN users u ON u.id = c.candidate_user_id
         WHERE c.status = 'open' ORDER BY c.id LIMIT ?`,
      )
      .all(count) as { id: string; username: string }[];
  } finally {
    db.close();
  }
}

async function oneRun(
  source: string,
  name: string,
  main: string,
  options: { seconds: number; warmup: number; rate: number; outDir: string },
): Promise<{ lone: Measured; capacity: Measured; paced: Measured }> {
  const copy = join(options.outDir, `ab-${name}.sqlite`);
  const clean = () => ['', '-wal', '-shm'].forEach((suffix) => rmSync(copy + suffix, { force: true }));
  clean();
  copyFileSync(source, copy);
  const { child, url } = await startServer(copy, main, join(options.outDir, `ab-${name}.log`));
  try {
    const targets = openConversations(copy, CANDIDATE_SENDERS);
    const senders: { token: string; conversations: string[] }[] = [];
    for (const target of targets) senders.push({ token: await login(url, target.username), conversations: [target.id] });
    for (let j = 0; j < STAFF_SENDERS; j++) {
      senders.push({ token: await login(url, staffUsername(j)), conversations: targets.map((_, k) => targets[(k + j * 5) % targets.length].id) });
    }
    const sendRequest = (sender: (typeof senders)[number], k: number) => ({
      method: 'POST' as const,
      path: `${API}/conversations/${sender.conversations[k % sender.conversations.length]}/messages`,
      headers: { authorization: `Bearer ${sender.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ content: `Mensaje de prueba de carga ${k + 1} 🚀`, client_message_id: randomUUID() }),
    });
    let nextSender = 0;
    const setupClient = (client: AutocannonClient) => {
      const sender = senders[nextSender++ % senders.length];
      let k = 0;
      const next = () => client.setRequests([sendRequest(sender, k++)]);
      next();
      client.on('response', () => next());
    };
    const common = { url, pid: child.pid!, seconds: options.seconds, warmupSeconds: options.warmup };
    const measure = async (run: (snapshot: () => Promise<unknown>) => Promise<LoadResult>): Promise<Measured> => {
      let before = { calls: 0, ms: 0 };
      const result = await run(async () => (before = await statementTimes(child)));
      const after = await statementTimes(child);
      return { result, statementsPerMessage: (after.calls - before.calls) / result.requests, sqlMsPerMessage: (after.ms - before.ms) / result.requests };
    };
    const path = `${API}/conversations/${targets[0].id}/messages`;
    const lone = await measure((snapshot) =>
      load({ ...common, path, method: 'POST', connections: 1, setupClient: (client) => ((nextSender = 0), setupClient(client)) }, snapshot),
    );
    nextSender = 0;
    const capacity = await measure((snapshot) => load({ ...common, path, method: 'POST', connections: senders.length, setupClient }, snapshot));
    const sent = senders.map(() => 0);
    const paced = await measure((snapshot) =>
      pacedLoad({ ...common, connections: senders.length, rate: options.rate, request: (c) => sendRequest(senders[c], sent[c]++) }, snapshot),
    );
    return { lone, capacity, paced };
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => (child.exitCode !== null ? resolve(null) : child.once('exit', resolve)));
    clean();
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      db: { type: 'string', default: join(REPO_ROOT, 'tmp', 'bench', 'large.sqlite') },
      server: { type: 'string', multiple: true, default: [] },
      rounds: { type: 'string', default: '2' },
      seconds: { type: 'string', default: '8' },
      warmup: { type: 'string', default: '2' },
      rate: { type: 'string', default: '1000' },
      out: { type: 'string', default: join(REPO_ROOT, 'tmp', 'bench', 'ab') },
    },
  });
  const servers = values.server.map((spec) => {
    const at = spec.indexOf('=');
    if (at < 1) throw new Error(`--server NAME=path/to/main.js, got ${spec}`);
    return { name: spec.slice(0, at), main: spec.slice(at + 1) };
  });
  if (servers.length < 1) throw new Error('give at least one --server NAME=main.js');
  mkdirSync(values.out, { recursive: true });
  const options = { seconds: Number(values.seconds), warmup: Number(values.warmup), rate: Number(values.rate), outDir: values.out };
  const f = (n: number, digits = 2) => n.toFixed(digits);
  console.log(
    'run  server  load(1m)  | one sender: msg/s  CPU ms/msg  stmts/msg  SQL ms/msg | 50 senders: msg/s  CPU ms/msg  stmts/msg  SQL ms/msg | paced: msg/s  p50 ms  p99 ms  CPU %  CPU ms/msg  stmts/msg  SQL ms/msg | non-201',
  );
  for (let round = 0; round < Number(values.rounds); round++) {
    // A B, then B A: each build runs first as often as last.
    const order = round % 2 === 0 ? servers : [...servers].reverse();
    for (const server of order) {
      const load1 = loadavg()[0];
      const { lone, capacity, paced } = await oneRun(values.db, server.name, server.main, options);
      const non201 = (m: Measured) => m.result.requests - (m.result.statuses['201'] ?? 0);
      const sql = (m: Measured) => `${f(m.statementsPerMessage).padStart(9)}  ${f(m.sqlMsPerMessage, 3).padStart(10)}`;
      console.log(
        `${round + 1}    ${server.name.padEnd(6)}  ${f(load1).padStart(8)}  | ${f(lone.result.rps, 0).padStart(17)}  ${f(lone.result.cpuMsPerRequest).padStart(10)}  ${sql(lone)} | ` +
          `${f(capacity.result.rps, 0).padStart(17)}  ${f(capacity.result.cpuMsPerRequest).padStart(10)}  ${sql(capacity)} | ` +
          `${f(paced.result.rps, 0).padStart(12)}  ${f(paced.result.p50, 1).padStart(6)}  ${f(paced.result.p99, 1).padStart(6)}  ${f(paced.result.cpuPercent, 0).padStart(5)}  ${f(paced.result.cpuMsPerRequest).padStart(10)}  ${sql(paced)} | ` +
          `${non201(lone) + non201(capacity) + non201(paced)}`,
      );
    }
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

/**
 * Issue 19: a send, the history, the list and the unread count on PostgreSQL, with and without a network
 * delay between the server and the database, for the one-statement send and the transaction send side by
 * side in ONE run (the variants interleaved round by round, medians printed), so that a busy shared
 * machine affects both alike.
 *
 *   npm run bench:send                                  # defaults below
 *   npm run bench:send -- --rounds 3 --seconds 4 --delay-ms 1 --no-build
 *
 * Variants: `one statement` (the default server) and `transaction` (SUPPORT_CHAT_SEND_IN_ONE_STATEMENT=false,
 * the path of every send before issue 19); each `direct` (127.0.0.1:5432) and `+delay` (through
 * lib/delay-proxy.cjs, which holds every chunk the server sends to PostgreSQL for --delay-ms); and
 * `one statement unprepared, direct` (SUPPORT_CHAT_POSTGRES_PREPARED_STATEMENTS=false: every statement
 * parsed and planned again on each run, as before the chat's statements were prepared).
 * Scenarios per server start: POST with 50 senders as fast as answered (capacity), POST paced at 1,000
 * msg/s (p99 from each message's due time), GET history newest page, GET list, GET unread-count (1 connection).
 * `CPU ms/req` is the API server's; PostgreSQL's (all its processes) and the load generator's own are
 * printed beside it, because the three share the machine's cores: their sum per message is what a given
 * send rate asks of the machine.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, openSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

import { BENCH_PASSWORD, candidateUsername, conversationId, staffUsername } from './lib/ids';
import { AutocannonClient, load, LoadResult, median, pacedLoad } from './lib/measure';
import { newPgClient } from './lib/pg';
import { buildServer, nodeBinary, REPO_ROOT, SERVER_MAIN } from './lib/server-build';
import { seed } from './seed';
import { benchServerEnv } from './lib/server-env';

const API = '/api/support/chat';
const WORK_DIR = join(REPO_ROOT, 'tmp', 'bench');

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

async function admin(url: string, sql: string): Promise<void> {
  const client = newPgClient(url);
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** Median time of `SELECT 1` over a fresh connection to `url` (what one round trip costs there). */
async function pingMs(url: string, runs = 200): Promise<number> {
  const client = newPgClient(url);
  await client.connect();
  try {
    await client.query('SELECT 1');
    const times: number[] = [];
    for (let i = 0; i < runs; i++) {
      const started = performance.now();
      await client.query('SELECT 1');
      times.push(performance.now() - started);
    }
    return median(times);
  } finally {
    await client.end();
  }
}

async function startServer(databaseUrl: string, env: Record<string, string | undefined>): Promise<{ child: ChildProcess; url: string }> {
  const port = await freePort();
  mkdirSync(WORK_DIR, { recursive: true });
  const logFd = openSync(join(WORK_DIR, 'server-send-latency.log'), 'a');
  const child = spawn(nodeBinary(), [SERVER_MAIN], {
    cwd: REPO_ROOT,
    stdio: ['ignore', logFd, logFd],
    env: benchServerEnv(databaseUrl, port, env),
  });
  const url = `http://127.0.0.1:${port}`;
  const started = performance.now();
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode} (log: tmp/bench/server-send-latency.log)`);
    try {
      if ((await fetch(`${url}/api/health`)).ok) break;
    } catch {
      // not listening yet
    }
    if (performance.now() - started > 60_000) throw new Error('server did not start within 60 s');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return { child, url };
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

interface Measured {
  variant: string;
  scenario: string;
  result: LoadResult;
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      rounds: { type: 'string', default: '3' },
      seconds: { type: 'string', default: '4' },
      warmup: { type: 'string', default: '1' },
      'delay-ms': { type: 'string', default: '1' },
      rate: { type: 'string', default: '1000' },
      conversations: { type: 'string', default: '2000' },
      messages: { type: 'string', default: '60000' },
      'no-build': { type: 'boolean', default: false },
    },
  });
  const rounds = Number(values.rounds);
  const seconds = Number(values.seconds);
  const warmupSeconds = Number(values.warmup);
  const delayMs = Number(values['delay-ms']);
  const rate = Number(values.rate);
  const log = (line: string) => console.log(line);
  if (!values['no-build']) buildServer(true, log);

  const adminUrl = process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const name = `chat_bench_${process.pid}_send`;
  await admin(adminUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await admin(adminUrl, `CREATE DATABASE "${name}"`);
  const direct = new URL(adminUrl);
  direct.pathname = `/${name}`;
  const proxyPort = await freePort();
  const delayed = new URL(direct);
  delayed.host = `127.0.0.1:${proxyPort}`;
  const proxy = spawn(nodeBinary(), [join(__dirname, 'lib', 'delay-proxy.cjs'), String(proxyPort), direct.hostname, direct.port || '5432', String(delayMs)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve) => proxy.stdout!.once('data', () => resolve()));

  const measured: Measured[] = [];
  try {
    const sizes = { candidates: Math.max(1000, Number(values.conversations)), staff: 20 };
    const report = await seed({
      db: direct.toString(),
      ...sizes,
      conversations: Number(values.conversations),
      messages: Number(values.messages),
      deep: 5000,
      log,
    });
    const pings = { direct: await pingMs(direct.toString()), delayed: await pingMs(delayed.toString()) };
    log(`SELECT 1 round trip: direct ${pings.direct.toFixed(3)} ms, through the proxy ${pings.delayed.toFixed(3)} ms (median)`);

    const targets = report.openConversations.slice(0, 100);
    const variants = [
      { variant: 'one statement, direct', db: direct.toString(), env: {} },
      { variant: 'transaction, direct', db: direct.toString(), env: { SUPPORT_CHAT_SEND_IN_ONE_STATEMENT: 'false' } },
      { variant: 'one statement unprepared, direct', db: direct.toString(), env: { SUPPORT_CHAT_POSTGRES_PREPARED_STATEMENTS: 'false' } },
      { variant: `one statement, +${delayMs} ms`, db: delayed.toString(), env: {} },
      { variant: `transaction, +${delayMs} ms`, db: delayed.toString(), env: { SUPPORT_CHAT_SEND_IN_ONE_STATEMENT: 'false' } },
    ];
    for (let round = 1; round <= rounds; round++) {
      // Alternate the order from round to round, so neither variant always runs first.
      const order = round % 2 === 1 ? variants : [...variants].reverse();
      for (const { variant, db, env } of order) {
        log(`round ${round}/${rounds}: ${variant}`);
        const server = await startServer(db, env);
        try {
          const pid = server.child.pid!;
          const common = { url: server.url, pid, seconds, warmupSeconds };
          const staffToken = await login(server.url, staffUsername(0));
          const staffHeaders = { authorization: `Bearer ${staffToken}` };
          const senders: { token: string; conversations: string[] }[] = [];
          for (let i = 0; i < 30; i++) {
            senders.push({ token: await login(server.url, candidateUsername(targets[i] % sizes.candidates)), conversations: [conversationId(targets[i])] });
          }
          for (let j = 0; j < 20; j++) {
            senders.push({
              token: await login(server.url, staffUsername(j)),
              conversations: targets.map((_, k) => conversationId(targets[(k + j * 5) % targets.length])),
            });
          }
          const sendRequest = (sender: (typeof senders)[number], k: number) => ({
            method: 'POST' as const,
            path: `${API}/conversations/${sender.conversations[k % sender.conversations.length]}/messages`,
            headers: { authorization: `Bearer ${sender.token}`, 'content-type': 'application/json' },
            body: JSON.stringify({ content: `Mensaje de prueba ${k + 1}`, client_message_id: randomUUID() }),
          });
          let nextSender = 0;
          const setupClient = (client: AutocannonClient) => {
            const sender = senders[nextSender++ % senders.length];
            let k = 0;
            const next = () => client.setRequests([sendRequest(sender, k++)]);
            next();
            client.on('response', () => next());
          };
          const add = (scenario: string, result: LoadResult) => measured.push({ variant, scenario, result });
          add(
            'POST, 50 senders, as fast as answered',
            await load({ ...common, path: `${API}/conversations/${conversationId(targets[0])}/messages`, method: 'POST', connections: 50, setupClient }),
          );
          const sent = senders.map(() => 0);
          add(
            `POST, 50 senders, paced ${rate} msg/s`,
            await pacedLoad({ ...common, connections: 50, rate, request: (connection) => sendRequest(senders[connection], sent[connection]++) }),
          );
          add(
            'GET history newest page (50)',
            await load({ ...common, path: `${API}/conversations/${conversationId(0)}/messages?page=1&per_page=50`, headers: staffHeaders, connections: 1 }),
          );
          add('GET list (20)', await load({ ...common, path: `${API}/conversations?page=1&per_page=20`, headers: staffHeaders, connections: 1 }));
          add('GET unread-count', await load({ ...common, path: `${API}/unread-count`, headers: staffHeaders, connections: 1 }));
        } finally {
          await stop(server.child);
        }
      }
    }

    const scenarios = [...new Set(measured.map((m) => m.scenario))];
    const lines = [
      `PostgreSQL, ${values.conversations} conversations / ${values.messages} messages; ${rounds} rounds x ${seconds} s per run; medians over the rounds; ` +
        `delay proxy: +${delayMs} ms per exchange (SELECT 1: ${pings.direct.toFixed(3)} -> ${pings.delayed.toFixed(3)} ms)`,
      '',
      '| scenario | variant | req/s | p50 ms | p99 ms | CPU ms/req | PostgreSQL CPU ms/req | generator CPU ms/req | statuses |',
      '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    ];
    for (const scenario of scenarios) {
      for (const { variant } of variants) {
        const runs = measured.filter((m) => m.scenario === scenario && m.variant === variant).map((m) => m.result);
        const med = (pick: (r: LoadResult) => number) => median(runs.map(pick));
        const statuses = runs
          .map(
            (r) =>
              Object.entries(r.statuses)
                .map(([code, count]) => `${code}x${count}`)
                .join(' ') + (r.errors ? ` err=${r.errors}` : ''),
          )
          .join('; ');
        lines.push(
          `| ${scenario} | ${variant} | ${med((r) => r.rps).toFixed(0)} | ${med((r) => r.p50).toFixed(2)} | ${med((r) => r.p99).toFixed(2)} | ${med((r) => r.cpuMsPerRequest).toFixed(2)} | ${med((r) => r.postgresCpuMsPerRequest).toFixed(2)} | ${med((r) => r.generatorCpuMsPerRequest).toFixed(2)} | ${statuses} |`,
        );
      }
    }
    lines.push(
      '',
      `machine: ${cpus().length} x ${cpus()[0]?.model ?? '?'}; load average at the end ${loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')} (shared)`,
    );
    console.log(`\n${lines.join('\n')}`);
    return 0;
  } finally {
    await stop(proxy);
    await admin(adminUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`).catch(() => undefined);
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);

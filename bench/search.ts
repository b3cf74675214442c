/**
 * Message search benchmark (issue 16): `GET /api/support/chat/search/messages` on a seeded database of
 * 500,000 messages, through the real compiled server, one request at a time.
 *
 *   npm run bench:search                    # SQLite (FTS5)
 *   npm run bench:search -- --db postgres   # local PostgreSQL (tsvector + GIN; creates and drops its database)
 *   npm run bench:search -- --messages 50000 --requests 50   # smaller
 *   npm run bench:search -- --reuse         # seed once, keep and reuse the seeded database afterwards
 *   npm run bench:search -- --reuse --label b_search   # a seeded database of your own name (shared servers)
 *
 * Budget: p50 <= 50 ms per query on SQLite and PostgreSQL. The seeded text is a dozen phrases, so a
 * common word matches tens of thousands of messages (the worst case: the engine must order every match);
 * a rare word (a few rows added after seeding, through the same insert path the index follows) is the
 * usual case. Prints p50/p99 per query and whether the budget holds; figures go to bench/README.md.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, openSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

import { DataSource } from 'typeorm';

import { BENCH_PASSWORD, candidateUsername, conversationId, staffId, staffUsername } from './lib/ids';

import { loadHostBuild, nodeBinary, REPO_ROOT, SERVER_MAIN } from './lib/server-build';
import { seed } from './seed';
import { benchServerEnv } from './lib/server-env';
import { benchDatabase } from './lib/bench-database';

const WORK_DIR = join(REPO_ROOT, 'tmp', 'bench');
const BUDGET_P50_MS = 50;
const RARE_WORD = 'zafiroáureo';

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** A few messages with a word nobody else writes, in several conversations (inserted like any message). */
async function addRareMessages(databaseUrl: string, count: number): Promise<void> {
  const host = loadHostBuild();
  const dataSource = new DataSource({ ...(host.parseDatabaseUrl(databaseUrl, { entities: host.API_ENTITIES }) as object), logging: false } as never);
  await dataSource.initialize();
  try {
    const postgres = databaseUrl.startsWith('postgres');
    const [{ count: existing }] = (await dataSource.query(`SELECT COUNT(*) AS count FROM support_messages WHERE seq >= 1000000`)) as [
      { count: number | string },
    ];
    if (Number(existing) > 0) return; // a reused database has them
    for (let i = 0; i < count; i++) {
      const values = [
        `00000000-0000-4000-9000-${String(i).padStart(12, '0')}`,
        conversationId(i * 37),
        1_000_000 + i,
        `00000000-0000-4000-9001-${String(i).padStart(12, '0')}`,
        staffId(0),
        `Nota del caso: el ${RARE_WORD} aparece en la constancia ${i}`,
        new Date(),
      ];
      const placeholders = values.map((_, index) => (postgres ? `$${index + 1}` : '?'));
      await dataSource.query(
        `INSERT INTO support_messages (id, conversation_id, seq, client_message_id, sender_user_id, content, created_at, message_type) VALUES (${placeholders.join(', ')}, 'text')`,
        postgres ? values : values.map((value) => (value instanceof Date ? value.toISOString().replace('T', ' ').replace('Z', '') : value)),
      );
    }
  } finally {
    await dataSource.destroy();
  }
}

/** Conversations already in the database (0 when its tables do not exist yet). */
async function seededConversations(databaseUrl: string): Promise<number> {
  const host = loadHostBuild();
  const dataSource = new DataSource({ ...(host.parseDatabaseUrl(databaseUrl, { entities: host.API_ENTITIES }) as object), logging: false } as never);
  await dataSource.initialize();
  try {
    const [{ count }] = (await dataSource.query('SELECT COUNT(*) AS count FROM support_conversations')) as [{ count: number | string }];
    return Number(count);
  } catch {
    return 0;
  } finally {
    await dataSource.destroy();
  }
}

async function startServer(databaseUrl: string): Promise<{ url: string; stop(): Promise<void> }> {
  const port = await freePort();
  mkdirSync(WORK_DIR, { recursive: true });
  const logFd = openSync(join(WORK_DIR, 'search-server.log'), 'a');
  const child = spawn(nodeBinary(), [SERVER_MAIN], {
    cwd: REPO_ROOT,
    stdio: ['ignore', logFd, logFd],
    env: benchServerEnv(databaseUrl, port, { LOG_LEVEL: 'warn', SUPPORT_CHAT_RATE_LIMIT_SEARCHES_PER_MINUTE: '0' }),
  });
  const url = `http://127.0.0.1:${port}`;
  const started = Date.now();
  for (;;) {
    try {
      if ((await fetch(`${url}/api/health`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() - started > 600_000) throw new Error('server did not start within 600 s (see tmp/bench/search-server.log)');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    url,
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
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

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      db: { type: 'string', default: 'sqlite' },
      messages: { type: 'string', default: '500000' },
      conversations: { type: 'string', default: '10000' },
      requests: { type: 'string', default: '200' },
      keep: { type: 'boolean', default: false },
      reuse: { type: 'boolean', default: false },
      label: { type: 'string' },
    },
  });
  const kind = values.db === 'postgres' ? 'postgres' : 'sqlite';
  const messages = Number(values.messages);
  const conversations = Number(values.conversations);
  const requests = Number(values.requests);
  const db = await benchDatabase(kind, values.label ?? `search_${messages}`, values.reuse);
  let server: { url: string; stop(): Promise<void> } | null = null;
  try {
    if (values.reuse && (await seededConversations(db.url)) > 0) {
      console.log(`reusing the seeded ${kind} database (--reuse)`);
    } else {
      console.log(`seeding ${messages.toLocaleString('en')} messages in ${conversations.toLocaleString('en')} conversations (${kind}) ...`);
      const report = await seed({ db: db.url, candidates: conversations, staff: 20, conversations, messages, deep: 0, log: () => undefined });
      console.log(`seeded in ${report.seconds.toFixed(0)} s`);
    }
    await addRareMessages(db.url, 20);
    server = await startServer(db.url);
    const staff = await login(server.url, staffUsername(1));
    const candidate = await login(server.url, candidateUsername(0));
    const queries: { name: string; token: string; q: string }[] = [
      { name: 'staff, rare word (20 matches)', token: staff, q: 'zafiroaureo' },
      { name: 'staff, common word (~1 in 6 messages)', token: staff, q: 'examen' },
      { name: 'staff, two common words', token: staff, q: 'cambiar fecha' },
      { name: 'staff, common prefix', token: staff, q: 'evalua' },
      { name: 'candidate, common word (own conversations)', token: candidate, q: 'examen' },
    ];
    const rows: string[][] = [];
    let met = true;
    for (const query of queries) {
      const times: number[] = [];
      let results = 0;
      for (let i = 0; i < requests + 10; i++) {
        const started = performance.now();
        const response = await fetch(`${server.url}/api/support/chat/search/messages?q=${encodeURIComponent(query.q)}`, {
          headers: { authorization: `Bearer ${query.token}` },
        });
        const body = (await response.json()) as { results?: unknown[] };
        if (!response.ok) throw new Error(`${query.name}: ${response.status} ${JSON.stringify(body)}`);
        if (i >= 10) times.push(performance.now() - started);
        results = body.results?.length ?? 0;
      }
      times.sort((a, b) => a - b);
      const p50 = percentile(times, 50);
      met &&= p50 <= BUDGET_P50_MS;
      rows.push([query.name, `"${query.q}"`, String(results), p50.toFixed(2), percentile(times, 99).toFixed(2)]);
    }
    const header = ['query', 'q', 'results', 'p50 ms', 'p99 ms'];
    const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column].length)));
    const line = (row: string[]) => row.map((cell, column) => cell.padEnd(widths[column])).join('  ');
    console.log(`\nGET /search/messages, ${kind}, ${messages.toLocaleString('en')} messages, ${requests} sequential requests per query (after 10 warm-up)`);
    console.log(line(header));
    for (const row of rows) console.log(line(row));
    console.log(`\nbudget p50 <= ${BUDGET_P50_MS} ms per query: ${met ? 'met' : 'NOT met'}`);
    return 0;
  } finally {
    await server?.stop();
    if (!values.keep) await db.drop();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);

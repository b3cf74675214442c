/**
 * Faults the API must survive without losing or duplicating a message:
 * - the database refusing writes (SQLite locked by another process, SQLite read-only, PostgreSQL
 *   refusing connections): a clear 503 `service_unavailable`, no partial rows, recovery on its own;
 * - SIGKILL under a write load: every message that got a 201 is in the database exactly once;
 * - SIGTERM: in-flight requests finish, SSE streams end cleanly (their `retry:` hint tells the browser
 *   to reconnect, to another instance), then the process exits.
 *
 * The kill tests run the built server (`nest build api`) as a child process, as in production.
 */
import { randomUUID } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

import BetterSqlite3 from 'better-sqlite3';
import { DataSource } from 'typeorm';

import { DEMO_PASSWORD } from '../src/demo/demo-users';
import { buildServer, json, SERVER_JWT_SECRET, ServerProcess, startServer } from './server-process';
import { createTestApp, TestApp } from './test-app';

jest.setTimeout(180_000);

const API = '/api/support/chat';
const CHAT_TABLES = ['support_conversations', 'support_conversation_participants', 'support_messages'];

async function chatCounts(ds: DataSource): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of CHAT_TABLES) counts[table] = Number((await ds.query(`SELECT COUNT(*) AS n FROM ${table}`))[0].n);
  return counts;
}

async function newConversation(t: TestApp): Promise<string> {
  const response = await t.as('candidato1').post(`${API}/conversations`).send({ subject: 'Fallos' }).expect(201);
  return response.body.conversation.id as string;
}

describe('database unavailable (SQLite)', () => {
  let t: TestApp;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'support-chat-faults-'));
    t = await createTestApp({ env: { DATABASE_URL: `sqlite:${join(dir, 'chat.sqlite')}` } });
  });
  afterAll(async () => {
    await t?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers 503 service_unavailable with Retry-After while another process holds the write lock, writes nothing, and recovers by itself', async () => {
    const id = await newConversation(t);
    const before = await chatCounts(t.dataSource);
    const other = new BetterSqlite3(join(dir, 'chat.sqlite'));
    try {
      other.exec('BEGIN EXCLUSIVE');
      // The writer waits busy_timeout (5 s) for the lock, then gives up.
      const refused = await t.as('candidato1').post(`${API}/conversations/${id}/messages`).send({ content: 'bloqueado' }).expect(503);
      expect(refused.body).toEqual({ error: expect.stringMatching(/no está disponible/), code: 'service_unavailable' });
      expect(refused.headers['retry-after']).toBe('5');
      // Readers are not blocked in WAL mode.
      await t.as('candidato1').get(`${API}/conversations/${id}/messages`).expect(200);
    } finally {
      other.exec('ROLLBACK');
      other.close();
    }
    expect(await chatCounts(t.dataSource)).toEqual(before);
    const sent = await t.as('candidato1').post(`${API}/conversations/${id}/messages`).send({ content: 'de vuelta' }).expect(201);
    expect(sent.body.message.seq).toBe(1);
  });

  it('answers 503 while the database is read-only, writes nothing, and recovers when it is writable again', async () => {
    // The tests run as root, for whom file modes do not apply: `query_only` makes SQLite refuse every write
    // with SQLITE_READONLY, exactly what a read-only file or mount produces.
    const id = await newConversation(t);
    const before = await chatCounts(t.dataSource);
    await t.dataSource.query('PRAGMA query_only = ON');
    try {
      for (const attempt of [
        t.as('candidato1').post(`${API}/conversations/${id}/messages`).send({ content: 'solo lectura' }),
        t.as('candidato1').post(`${API}/conversations`).send({ subject: 'otra' }),
        t.as('soporte1').patch(`${API}/conversations/${id}/status`).send({ status: 'resolved' }),
      ]) {
        const response = await attempt;
        expect({ status: response.status, body: response.body }).toEqual({ status: 503, body: { error: expect.any(String), code: 'service_unavailable' } });
      }
      await t.as('candidato1').get(`${API}/conversations`).expect(200);
    } finally {
      await t.dataSource.query('PRAGMA query_only = OFF');
    }
    expect(await chatCounts(t.dataSource)).toEqual(before);
    await t.as('candidato1').post(`${API}/conversations/${id}/messages`).send({ content: 'escribible' }).expect(201);
  });
});

const PG_ADMIN_URL = process.env.FAULTS_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const PG_UP = spawnSync('pg_isready', ['-d', PG_ADMIN_URL], { stdio: 'ignore' }).status === 0;
if (!PG_UP) console.warn(`SKIPPED PostgreSQL outage test: pg_isready fails for ${PG_ADMIN_URL} (set FAULTS_POSTGRES_URL).`);

(PG_UP ? describe : describe.skip)('database unavailable (PostgreSQL: connections terminated and refused)', () => {
  const database = `support_chat_faults_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  let admin: DataSource;
  let t: TestApp;
  beforeAll(async () => {
    admin = new DataSource({ type: 'postgres', url: PG_ADMIN_URL });
    await admin.initialize();
    await admin.query(`CREATE DATABASE ${database}`);
    const url = new URL(PG_ADMIN_URL);
    url.pathname = `/${database}`;
    t = await createTestApp({ env: { DATABASE_URL: url.toString() } });
  });
  afterAll(async () => {
    await t?.close();
    await admin.query(`ALTER DATABASE ${database} ALLOW_CONNECTIONS true`).catch(() => undefined);
    await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`, [database]);
    await admin.query(`DROP DATABASE IF EXISTS ${database}`);
    await admin.destroy();
  });

  it('answers 503 while the database refuses connections, writes nothing, and recovers when it accepts them again', async () => {
    const id = await newConversation(t);
    await t.as('candidato1').post(`${API}/conversations/${id}/messages`).send({ content: 'antes' }).expect(201);
    await t.loginAs('soporte1');
    const before = await chatCounts(t.dataSource);

    // What a stopped server looks like to the app, without stopping a server others use: every open
    // connection is killed (57P01) and new ones are refused.
    await admin.query(`ALTER DATABASE ${database} ALLOW_CONNECTIONS false`);
    await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`, [database]);
    try {
      for (let i = 0; i < 4; i++) {
        const response = await t
          .as('candidato1')
          .post(`${API}/conversations/${id}/messages`)
          .send({ content: `durante ${i}` });
        expect({ status: response.status, body: response.body }).toEqual({ status: 503, body: { error: expect.any(String), code: 'service_unavailable' } });
      }
      const read = await t.as('soporte1').get(`${API}/conversations`);
      expect(read.status).toBe(503);
      await t.http.get('/api/health').expect(503);
    } finally {
      await admin.query(`ALTER DATABASE ${database} ALLOW_CONNECTIONS true`);
    }
    await t.as('candidato1').post(`${API}/conversations/${id}/messages`).send({ content: 'después' }).expect(201);
    const after = await chatCounts(t.dataSource);
    expect(after.support_messages).toBe(before.support_messages + 1);
    await t.http.get('/api/health').expect(200);
  });
});

describe('the built server killed and stopped', () => {
  let dir: string;
  beforeAll(() => {
    buildServer();
    dir = mkdtempSync(join(tmpdir(), 'support-chat-kill-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  async function login(server: ServerProcess, username: string): Promise<string> {
    const { status, body } = await json(`${server.url}/api/auth/login`, 'POST', null, { username, password: DEMO_PASSWORD });
    expect(status).toBe(200);
    return body.access_token as string;
  }

  it('SIGKILL under concurrent writes: after restart every acknowledged message is stored exactly once, seq has no gaps, and retries are idempotent', async () => {
    const file = join(dir, 'kill.sqlite');
    let server = await startServer(file, { LOG_LEVEL: 'debug' });
    const candidate = await login(server, 'candidato1');
    const staff = await login(server, 'soporte1');
    const wrongPassword = `Secreto-${randomUUID()}`;
    expect((await json(`${server.url}/api/auth/login`, 'POST', null, { username: 'admin1', password: wrongPassword })).status).toBe(401);
    const conversations: string[] = [];
    for (let i = 0; i < 3; i++)
      conversations.push((await json(`${server.url}${API}/conversations`, 'POST', candidate, { subject: `kill ${i}` })).body.conversation.id);

    const acknowledged = new Map<string, { conversation: string; id: string }>();
    const attempted = new Map<string, { conversation: string; token: string; content: string }>();
    let killed = false;
    const worker = async (w: number) => {
      for (let i = 0; ; i++) {
        const clientMessageId = randomUUID();
        const conversation = conversations[(w + i) % conversations.length];
        const token = w % 3 === 0 ? staff : candidate;
        const content = `w${w} #${i} ñ😀`;
        attempted.set(clientMessageId, { conversation, token, content });
        try {
          const { status, body } = await json(`${server.url}${API}/conversations/${conversation}/messages`, 'POST', token, {
            content,
            client_message_id: clientMessageId,
          });
          expect(status).toBe(201);
          acknowledged.set(clientMessageId, { conversation, id: body.message.id });
        } catch (error) {
          if (killed) return; // connection refused or reset: the server is gone
          throw error;
        }
        if (!killed && acknowledged.size >= 150) {
          killed = true;
          server.child.kill('SIGKILL');
        }
      }
    };
    await Promise.all(Array.from({ length: 8 }, (_, w) => worker(w)));
    expect(await server.exited).toEqual({ code: null, signal: 'SIGKILL' });
    const firstOutput = server.output();

    server = await startServer(file);
    try {
      const db = new BetterSqlite3(file, { readonly: true });
      try {
        const rows = db
          .prepare(
            'SELECT client_message_id AS cid, conversation_id AS conv, id, COUNT(*) OVER (PARTITION BY sender_user_id, client_message_id) AS n FROM support_messages',
          )
          .all() as {
          cid: string;
          conv: string;
          id: string;
          n: number;
        }[];
        const byClientId = new Map(rows.map((row) => [row.cid, row]));
        for (const [cid, ack] of acknowledged) {
          const row = byClientId.get(cid);
          expect({ cid, stored: row ? { conv: row.conv, id: row.id, n: row.n } : null }).toEqual({ cid, stored: { conv: ack.conversation, id: ack.id, n: 1 } });
        }
        expect(rows.every((row) => row.n === 1)).toBe(true);
        // Per conversation, seq is 1..N with no gap and matches the conversation's counter.
        for (const conversation of conversations) {
          const seqs = (db.prepare('SELECT seq FROM support_messages WHERE conversation_id = ? ORDER BY seq').all(conversation) as { seq: number }[]).map(
            (r) => r.seq,
          );
          expect(seqs).toEqual(seqs.map((_, i) => i + 1));
          expect((db.prepare('SELECT last_message_seq AS s FROM support_conversations WHERE id = ?').get(conversation) as { s: number }).s).toBe(seqs.length);
        }
      } finally {
        db.close();
      }

      // The client's retry story: resending every attempt with its client_message_id yields exactly one copy.
      const before = Number((await json(`${server.url}${API}/conversations/${conversations[0]}/messages?per_page=1`, 'GET', candidate)).body.total);
      for (const [cid, attempt] of attempted) {
        const { status } = await json(`${server.url}${API}/conversations/${attempt.conversation}/messages`, 'POST', attempt.token, {
          content: attempt.content,
          client_message_id: cid,
        });
        expect([acknowledged.has(cid) ? 200 : -1, 200, 201]).toContain(status);
        if (acknowledged.has(cid)) expect(status).toBe(200);
      }
      const check = new BetterSqlite3(file, { readonly: true });
      try {
        const stored = check
          .prepare('SELECT COUNT(*) AS n, COUNT(DISTINCT client_message_id) AS d FROM support_messages WHERE message_type = ?')
          .get('text') as { n: number; d: number };
        expect(stored.n).toBe(attempted.size);
        expect(stored.d).toBe(attempted.size);
      } finally {
        check.close();
      }
      expect(before).toBeGreaterThan(0);

      // Nothing secret reached the logs (debug level, 150+ requests with bearer tokens, login bodies).
      // (The demo password itself is public: the seeder prints it, the README lists it.)
      for (const secret of [SERVER_JWT_SECRET, wrongPassword, candidate, staff, candidate.split('.')[2]]) expect(firstOutput).not.toContain(secret);
      expect(firstOutput).toContain('"method":"POST"'); // request lines were logged, without their headers
      expect(firstOutput).not.toMatch(/"authorization"|"cookie"/i);
    } finally {
      server.child.kill('SIGKILL');
      await server.exited;
    }
  });

  it('SIGTERM: a request in flight completes, SSE streams end cleanly after their retry hint, then the process exits', async () => {
    const file = join(dir, 'term.sqlite');
    const server = await startServer(file);
    let exited = false;
    void server.exited.then(() => (exited = true));
    try {
      const candidate = await login(server, 'candidato1');
      const conversation = (await json(`${server.url}${API}/conversations`, 'POST', candidate, { subject: 'term' })).body.conversation.id as string;

      // An SSE subscriber.
      const ticket = (await json(`${server.url}${API}/events/ticket`, 'POST', candidate, {})).body.ticket as string;
      const stream = await fetch(`${server.url}${API}/events?ticket=${ticket}`);
      expect(stream.status).toBe(200);
      const reader = stream.body!.getReader();
      let sse = '';
      while (!/event: ready/.test(sse)) sse += new TextDecoder().decode((await reader.read()).value);
      expect(sse).toMatch(/^retry: \d+$/m);

      // A request in flight: headers and half of the body sent, the rest only after SIGTERM.
      const body = JSON.stringify({ content: 'enviado durante el apagado', client_message_id: randomUUID() });
      const port = Number(new URL(server.url).port);
      const inFlight = new Promise<{ status: number; text: string }>((resolve, reject) => {
        const req = httpRequest(
          {
            host: '127.0.0.1',
            port,
            method: 'POST',
            path: `${API}/conversations/${conversation}/messages`,
            headers: { Authorization: `Bearer ${candidate}`, 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) },
          },
          (res) => {
            let text = '';
            res.on('data', (chunk: Buffer) => (text += chunk.toString()));
            res.on('end', () => resolve({ status: res.statusCode!, text }));
          },
        );
        req.on('error', reject);
        req.write(body.slice(0, 10));
        setTimeout(() => {
          server.child.kill('SIGTERM');
          setTimeout(() => req.end(body.slice(10)), 300);
        }, 300);
      });

      // The SSE stream is closed by the server (a clean end, not a reset), so the browser reconnects.
      for (;;) {
        const { done } = await reader.read();
        if (done) break;
      }
      const finished = await inFlight;
      expect(finished.status).toBe(201);
      expect(JSON.parse(finished.text).message.content).toBe('enviado durante el apagado');

      const exit = await server.exited;
      expect(exit.code === 0 || exit.signal === 'SIGTERM').toBe(true);
      await expect(fetch(`${server.url}/api/health`)).rejects.toThrow();

      const db = new BetterSqlite3(file, { readonly: true });
      try {
        expect((db.prepare('SELECT COUNT(*) AS n FROM support_messages WHERE conversation_id = ?').get(conversation) as { n: number }).n).toBe(1);
      } finally {
        db.close();
      }
    } finally {
      if (!exited) server.child.kill('SIGKILL');
      await server.exited;
    }
  });
});

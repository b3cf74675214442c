/**
 * The demo host on a database that the original (Flask) module used: the built server refuses to start
 * and names the command, `npm run db:adopt-legacy` adopts the tables, and the server then serves the
 * old conversations. The database is built from `docs/legacy/original-schema.sql` as the original's
 * SQLAlchemy models created it on SQLite.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

import BetterSqlite3 from 'better-sqlite3';

import { buildServer, json, startServer } from './server-process';

jest.setTimeout(180_000);

const REPO_ROOT = resolve(__dirname, '..', '..', '..');
const API = '/api/support/chat';
const CANDIDATE = 'legacy-candidate-0000000000000000001';
const AGENT = 'legacy-agent-00000000000000000000001';

function buildOriginalDatabase(file: string): void {
  const db = new BetterSqlite3(file);
  try {
    // The original never enforced its references to the host's `users` table on SQLite.
    db.pragma('foreign_keys = OFF');
    db.exec(readFileSync(join(REPO_ROOT, 'docs', 'legacy', 'original-schema.sql'), 'utf8'));
    db.exec(`
      INSERT INTO support_conversations (id, candidate_user_id, created_by_user_id, assigned_support_user_id, current_handler_role, subject, status, priority, created_at, updated_at, last_message_at)
      VALUES (7, '${CANDIDATE}', '${CANDIDATE}', '${AGENT}', 'support', 'Mi examen no abre 😟', 'open', 'normal', '2025-05-01 10:00:00.000000', '2025-05-01 10:05:00.000000', '2025-05-01 10:05:00.000000'),
             (8, '${CANDIDATE}', NULL, NULL, 'support', NULL, 'closed', 'high', '2025-05-02 08:00:00.000000', '2025-05-02 08:00:00.000000', '2025-05-02 08:00:00.000000');
      INSERT INTO support_messages (id, conversation_id, sender_user_id, content, message_type, attachment_url, attachment_name, attachment_mime_type, attachment_size_bytes, created_at)
      VALUES (70, 7, '${CANDIDATE}', 'Hola 👋', 'text', NULL, NULL, NULL, NULL, '2025-05-01 10:00:01.000000'),
             (71, 7, '${AGENT}', NULL, 'attachment', 'https://storage.example.com/paso-1.png', 'paso-1.png', 'image/png', 5120, '2025-05-01 10:05:00.000000');
      INSERT INTO support_conversation_participants (id, conversation_id, user_id, participant_role, joined_at, last_read_at, last_read_message_id)
      VALUES (1, 7, '${CANDIDATE}', 'candidate', '2025-05-01 10:00:00.000000', '2025-05-01 10:00:01.000000', 70);
    `);
  } finally {
    db.close();
  }
}

function adoptLegacy(file: string): { status: number | null; output: string } {
  const result = spawnSync('npm', ['run', '--silent', 'db:adopt-legacy'], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    env: { ...process.env, DATABASE_URL: `sqlite:${file}`, NODE_OPTIONS: '' },
  });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

describe('the demo host on a database of the original module', () => {
  let dir: string;
  beforeAll(() => {
    buildServer('adopt-api');
    dir = mkdtempSync(join(tmpdir(), 'support-chat-adopt-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('refuses to start, then serves the old conversations after npm run db:adopt-legacy', async () => {
    const file = join(dir, 'original.sqlite');
    buildOriginalDatabase(file);

    const refused = await startServer(file, {}, 'adopt-api').then(
      () => null,
      (error: Error) => error.message,
    );
    expect(refused).toContain('support_conversations, support_conversation_participants, support_messages');
    expect(refused).toContain('npm run db:adopt-legacy');
    const untouched = new BetterSqlite3(file, { readonly: true });
    try {
      const columns = (untouched.pragma('table_info(support_messages)') as { name: string }[]).map((column) => column.name);
      expect(columns).not.toContain('seq');
    } finally {
      untouched.close();
    }

    const adopted = adoptLegacy(file);
    expect(adopted.output).toContain('Done: 2 conversations, 1 participants, 2 messages verified.');
    expect(adopted.status).toBe(0);
    const again = adoptLegacy(file);
    expect(again.output).toContain('Nothing to do: this database was adopted before.');
    expect(again.status).toBe(0);

    const server = await startServer(file, {}, 'adopt-api');
    try {
      const login = await json(`${server.url}/api/auth/login`, 'POST', null, { username: 'soporte1', password: 'Demo1234!' });
      const inbox = await json(`${server.url}${API}/conversations`, 'GET', login.body.access_token as string);
      expect(inbox.status).toBe(200);
      expect(inbox.body.conversations.map((c: { subject: string | null; status: string }) => [c.subject, c.status])).toEqual([
        [null, 'closed'],
        ['Mi examen no abre 😟', 'open'],
      ]);
      const [, open] = inbox.body.conversations as { id: string; last_message: { seq: number; attachment: { name: string } } }[];
      expect(open.last_message).toMatchObject({ seq: 2, attachment: { name: 'paso-1.png' } });
    } finally {
      server.child.kill('SIGTERM');
      await server.exited;
    }
  });
});

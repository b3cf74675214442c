import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { BACKSTOP_AUTOCHECKPOINT_PAGES } from '@support-chat/chat-domain';
import { DataSource } from 'typeorm';

import { API_ENTITIES } from '../src/app.module';
import { parseDatabaseUrl } from '../src/database/database-url';
import { DEMO_USERS } from '../src/demo/demo-users';
import { ensureUsersTable } from '../src/users/users.schema';
import { createTestApp } from './test-app';

describe('host persistence on SQLite', () => {
  let dir: string;
  let databaseUrl: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'support-chat-host-'));
    databaseUrl = `sqlite:${join(dir, 'host.sqlite')}`;
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  async function rawDataSource(): Promise<DataSource> {
    return new DataSource({ ...parseDatabaseUrl(databaseUrl), entities: API_ENTITIES }).initialize();
  }

  it('seeds the seven demo users once, however many times it starts', async () => {
    for (let start = 0; start < 2; start++) {
      const t = await createTestApp({ env: { DATABASE_URL: databaseUrl } });
      await t.close();
    }
    const ds = await rawDataSource();
    try {
      const rows = await ds.query<{ username: string; role: string }[]>('SELECT username, role FROM users ORDER BY username');
      expect(rows).toEqual(DEMO_USERS.map(({ username, role }) => ({ username, role })).sort((a, b) => a.username.localeCompare(b.username)));
      expect(rows).toHaveLength(7);
    } finally {
      await ds.destroy();
    }
  });

  it('creates no demo users when DEMO_USERS=false', async () => {
    const t = await createTestApp({ env: { DATABASE_URL: databaseUrl, DEMO_USERS: 'false' } });
    try {
      expect(await t.dataSource.query('SELECT COUNT(*) AS n FROM users')).toEqual([{ n: 0 }]);
      await t.http.post('/api/auth/login').send({ username: 'candidato1', password: 'Demo1234!' }).expect(401);
    } finally {
      await t.close();
    }
  });

  it('uses WAL and synchronous=FULL on the SQLite file', async () => {
    const t = await createTestApp({ env: { DATABASE_URL: databaseUrl } });
    try {
      expect(await t.dataSource.query('PRAGMA journal_mode')).toEqual([{ journal_mode: 'wal' }]);
      expect(await t.dataSource.query('PRAGMA synchronous')).toEqual([{ synchronous: 2 }]);
      expect((await t.dataSource.query<{ timeout: number }[]>('PRAGMA busy_timeout'))[0]).toEqual({ timeout: 5000 });
    } finally {
      await t.close();
    }
  });

  it("checkpoints on the chat module's worker while it runs: the writer's own checkpoint is only the backstop", async () => {
    const t = await createTestApp({ env: { DATABASE_URL: databaseUrl } });
    try {
      expect(await t.dataSource.query('PRAGMA wal_autocheckpoint')).toEqual([{ wal_autocheckpoint: BACKSTOP_AUTOCHECKPOINT_PAGES }]);
    } finally {
      await t.close();
    }
  });

  it('reports 503 service_unavailable from /api/health when the database is gone', async () => {
    const t = await createTestApp({ env: { DATABASE_URL: databaseUrl } });
    try {
      await t.dataSource.destroy();
      const response = await t.http.get('/api/health').expect(503);
      expect(response.body).toEqual({ error: expect.any(String), code: 'service_unavailable' });
    } finally {
      await t.close();
    }
  });

  it('creates the users table idempotently and leaves other tables alone', async () => {
    const ds = await rawDataSource();
    try {
      await ds.query('CREATE TABLE legacy_things (id INTEGER PRIMARY KEY, name TEXT)');
      await ds.query("INSERT INTO legacy_things (name) VALUES ('keep me')");
      const quiet = { log: () => undefined };
      expect(await ensureUsersTable(ds, quiet)).toEqual({ createdTable: true, addedColumns: [], createdIndices: [] });
      const schemaAfterFirst = await ds.query('SELECT type, name, sql FROM sqlite_master ORDER BY name');
      expect(await ensureUsersTable(ds, quiet)).toEqual({ createdTable: false, addedColumns: [], createdIndices: [] });
      expect(await ds.query('SELECT type, name, sql FROM sqlite_master ORDER BY name')).toEqual(schemaAfterFirst);
      expect(await ds.query('SELECT name FROM legacy_things')).toEqual([{ name: 'keep me' }]);
      const indexNames = (await ds.query<{ name: string }[]>("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'users'")).map((r) => r.name);
      expect(indexNames).toEqual(expect.arrayContaining(['uq_users_username', 'ix_users_role']));
    } finally {
      await ds.destroy();
    }
  });

  it('adds missing columns and indexes to an older users table without touching its rows', async () => {
    const ds = await rawDataSource();
    try {
      await ds.query(
        'CREATE TABLE users (id varchar(36) PRIMARY KEY NOT NULL, username varchar(150) NOT NULL, full_name varchar(255) NOT NULL, email varchar(255) NOT NULL, role varchar(32) NOT NULL, is_active boolean NOT NULL DEFAULT (1), password_hash varchar(255) NOT NULL, created_at datetime NOT NULL)',
      );
      await ds.query("INSERT INTO users VALUES ('u1', 'old', 'Old User', 'old@example.com', 'candidato', 1, 'x', '2024-01-01 00:00:00')");
      const report = await ensureUsersTable(ds, { log: () => undefined });
      expect({ ...report, createdIndices: [...report.createdIndices].sort() }).toEqual({
        createdTable: false,
        addedColumns: ['phone', 'curp'],
        createdIndices: ['ix_users_role', 'uq_users_username'],
      });
      expect(await ds.query('SELECT id, username, phone, curp FROM users')).toEqual([{ id: 'u1', username: 'old', phone: null, curp: null }]);
    } finally {
      await ds.destroy();
    }
  });
});

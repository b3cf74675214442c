/**
 * Which database the chat tests run on, chosen by `SUPPORT_CHAT_TEST_DB`:
 *
 * - `sqlite` (default): a fresh SQLite file per test app (handled by `createChatTestApp` itself).
 * - `postgres`: a fresh database on `SUPPORT_CHAT_TEST_POSTGRES_URL` (default `postgres://postgres@127.0.0.1:5432/postgres`).
 * - `mariadb` (alias `mysql`): a fresh database on `SUPPORT_CHAT_TEST_MARIADB_URL` (default `mysql://root@127.0.0.1:3306`),
 *   TypeORM type `mysql` with the `mysql2` driver, utf8mb4, UTC.
 * - `mssql`: a fresh database on `SUPPORT_CHAT_TEST_MSSQL_URL` (required; `mssql://user:pass@host:1433?encrypt=true`).
 *
 * Every server database is created for one test app and dropped when it closes; its name starts with
 * `sct_<run id>_` (`SUPPORT_CHAT_TEST_RUN_ID`, set by `scripts/test-db.mjs`) so that the run's wrapper
 * can sweep what a crashed test left behind without touching anyone else's databases.
 *
 * The driver modules are passed explicitly (`driver:`): under jest's ESM mode TypeORM's own `require`
 * of a driver can return the wrong module object.
 */
import { randomBytes } from 'node:crypto';

import mysql2 from 'mysql2';
import mysql2Promise from 'mysql2/promise';
import type { DataSourceOptions } from 'typeorm';

/** The little of `pg` and `mssql` used here (their type packages are not installed). */
interface PgClient {
  connect(): Promise<void>;
  query<T>(text: string): Promise<{ rows: T[] }>;
  end(): Promise<void>;
}
interface PgModule {
  Client: new (config: Record<string, unknown>) => PgClient;
}
interface MssqlPool {
  connect(): Promise<MssqlPool>;
  request(): { query<T>(text: string): Promise<{ recordset: T[] }> };
  close(): Promise<void>;
}
interface MssqlModule {
  ConnectionPool: new (config: Record<string, unknown>) => MssqlPool;
}
// Loaded here and handed to TypeORM as `driver`: TypeORM's own require can return the wrong module
// object under jest's ESM mode.
const pg = require('pg') as PgModule;
const mssql = require('mssql') as MssqlModule;

export type TestDialect = 'sqlite' | 'postgres' | 'mariadb' | 'mssql';

export const TEST_DATABASE_DEFAULT_URLS = {
  postgres: 'postgres://postgres@127.0.0.1:5432/postgres',
  mariadb: 'mysql://root@127.0.0.1:3306',
} as const;

const PREFIX = 'sct_';

/** The dialect selected by `SUPPORT_CHAT_TEST_DB` (default `sqlite`). */
export function testDialect(env: Record<string, string | undefined> = process.env): TestDialect {
  const raw = (env.SUPPORT_CHAT_TEST_DB ?? '').trim().toLowerCase();
  switch (raw) {
    case '':
    case 'sqlite':
    case 'better-sqlite3':
      return 'sqlite';
    case 'postgres':
    case 'postgresql':
    case 'pg':
      return 'postgres';
    case 'mariadb':
    case 'mysql':
      return 'mariadb';
    case 'mssql':
    case 'sqlserver':
      return 'mssql';
    default:
      throw new Error(`SUPPORT_CHAT_TEST_DB must be sqlite, postgres, mariadb or mssql (got "${env.SUPPORT_CHAT_TEST_DB}")`);
  }
}

/** True on the databases that run transactions concurrently (everything but SQLite). */
export function isServerDialect(dialect: TestDialect = testDialect()): boolean {
  return dialect !== 'sqlite';
}

export const DIALECT_LABELS: Record<TestDialect, string> = { sqlite: 'SQLite', postgres: 'PostgreSQL', mariadb: 'MariaDB/MySQL', mssql: 'SQL Server' };

/** The admin URL for a server dialect, from the environment or the local default. */
export function serverUrl(dialect: Exclude<TestDialect, 'sqlite'>, env: Record<string, string | undefined> = process.env): string {
  switch (dialect) {
    case 'postgres':
      return env.SUPPORT_CHAT_TEST_POSTGRES_URL || TEST_DATABASE_DEFAULT_URLS.postgres;
    case 'mariadb':
      return env.SUPPORT_CHAT_TEST_MARIADB_URL || TEST_DATABASE_DEFAULT_URLS.mariadb;
    case 'mssql': {
      const url = env.SUPPORT_CHAT_TEST_MSSQL_URL;
      if (!url) throw new Error('SUPPORT_CHAT_TEST_DB=mssql needs SUPPORT_CHAT_TEST_MSSQL_URL=mssql://user:password@host:1433?encrypt=true');
      return url;
    }
  }
}

/** A database created for one test app. */
export interface TestDatabase {
  dialect: Exclude<TestDialect, 'sqlite'>;
  name: string;
  /** TypeORM options for it (entities, logging and the like are added by the caller). */
  options: DataSourceOptions;
  /** The same database as a `DATABASE_URL` (for hosts that parse URLs, e.g. the demo API's test app). */
  url: string;
  /** Drops the database; safe to call twice. */
  drop(): Promise<void>;
}

interface ServerParts {
  host: string;
  port?: number;
  user?: string;
  password?: string;
  database?: string;
  query: URLSearchParams;
}

function parts(url: string): ServerParts {
  const parsed = new URL(url);
  return {
    host: parsed.hostname || '127.0.0.1',
    port: parsed.port ? Number(parsed.port) : undefined,
    user: parsed.username ? decodeURIComponent(parsed.username) : undefined,
    password: parsed.password ? decodeURIComponent(parsed.password) : undefined,
    database: decodeURIComponent(parsed.pathname.replace(/^\//, '')) || undefined,
    query: parsed.searchParams,
  };
}

/** A unique, lower-case database name valid on every server (letters, digits, underscores). */
export function newDatabaseName(env: Record<string, string | undefined> = process.env): string {
  const run =
    (env.SUPPORT_CHAT_TEST_RUN_ID ?? 'adhoc')
      .toLowerCase()
      .replace(/[^a-z0-9]/g, '')
      .slice(0, 16) || 'adhoc';
  return `${PREFIX}${run}_${process.pid}_${randomBytes(4).toString('hex')}`;
}

/**
 * Creates a fresh database on the server selected by `SUPPORT_CHAT_TEST_DB`, or returns `null` for
 * SQLite (the caller keeps its own SQLite file).
 */
export async function createTestDatabase(env: Record<string, string | undefined> = process.env): Promise<TestDatabase | null> {
  const dialect = testDialect(env);
  if (dialect === 'sqlite') return null;
  const name = newDatabaseName(env);
  const admin = serverAdmin(dialect, serverUrl(dialect, env));
  await admin.create(name);
  let dropped = false;
  return {
    dialect,
    name,
    options: admin.options(name),
    url: databaseUrl(serverUrl(dialect, env), name),
    drop: async () => {
      if (dropped) return;
      dropped = true;
      await admin.drop(name);
    },
  };
}

/** `serverUrl` pointed at database `name` (the server's own query parameters kept). */
function databaseUrl(server: string, name: string): string {
  const url = new URL(server);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Drops the databases whose names start with `sct_<runId>_` (what crashed tests of that run left behind). */
export async function sweepTestDatabases(
  dialect: Exclude<TestDialect, 'sqlite'>,
  runId: string,
  env: Record<string, string | undefined> = process.env,
): Promise<string[]> {
  const admin = serverAdmin(dialect, serverUrl(dialect, env));
  const prefix = `${PREFIX}${runId
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '')
    .slice(0, 16)}_`;
  const names = (await admin.list()).filter((name) => name.startsWith(prefix));
  for (const name of names) await admin.drop(name);
  return names;
}

/** Connects once to the server and answers its version, or throws (used to decide whether to skip). */
export async function probeServer(dialect: Exclude<TestDialect, 'sqlite'>, env: Record<string, string | undefined> = process.env): Promise<string> {
  return serverAdmin(dialect, serverUrl(dialect, env)).version();
}

interface ServerAdmin {
  create(name: string): Promise<void>;
  drop(name: string): Promise<void>;
  list(): Promise<string[]>;
  version(): Promise<string>;
  options(name: string): DataSourceOptions;
}

function serverAdmin(dialect: Exclude<TestDialect, 'sqlite'>, url: string): ServerAdmin {
  switch (dialect) {
    case 'postgres':
      return postgresAdmin(parts(url));
    case 'mariadb':
      return mariadbAdmin(parts(url));
    case 'mssql':
      return mssqlAdmin(parts(url));
  }
}

function postgresAdmin(server: ServerParts): ServerAdmin {
  const connection = { host: server.host, port: server.port ?? 5432, user: server.user ?? 'postgres', password: server.password };
  const sql = async <T>(text: string): Promise<T[]> => {
    const client = new pg.Client({ ...connection, database: server.database ?? 'postgres', connectionTimeoutMillis: 3000 });
    await client.connect();
    try {
      return (await client.query<T>(text)).rows;
    } finally {
      await client.end();
    }
  };
  return {
    create: async (name) => void (await sql(`CREATE DATABASE "${name}" ENCODING 'UTF8' TEMPLATE template0`)),
    // FORCE (PostgreSQL 13+) ends connections a leaked pool may still hold.
    drop: async (name) => void (await sql(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)),
    list: async () => (await sql<{ datname: string }>('SELECT datname FROM pg_database')).map((row) => row.datname),
    version: async () => (await sql<{ version: string }>('SELECT version() AS version'))[0].version,
    options: (name) => ({ type: 'postgres', driver: pg, ...connection, username: connection.user, database: name }),
  };
}

function mariadbAdmin(server: ServerParts): ServerAdmin {
  const connection = { host: server.host, port: server.port ?? 3306, user: server.user ?? 'root', password: server.password };
  const sql = async <T>(text: string): Promise<T[]> => {
    const client = await mysql2Promise.createConnection({ ...connection, connectTimeout: 3000 });
    try {
      const [rows] = await client.query(text);
      return rows as T[];
    } finally {
      await client.end();
    }
  };
  return {
    create: async (name) => void (await sql(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`)),
    drop: async (name) => void (await sql(`DROP DATABASE IF EXISTS \`${name}\``)),
    list: async () => (await sql<{ Database: string }>('SHOW DATABASES')).map((row) => row.Database),
    version: async () => (await sql<{ version: string }>('SELECT VERSION() AS version'))[0].version,
    options: (name) => ({
      type: 'mysql',
      driver: mysql2,
      host: connection.host,
      port: connection.port,
      username: connection.user,
      password: connection.password,
      database: name,
      charset: 'utf8mb4',
      timezone: 'Z',
    }),
  };
}

function mssqlAdmin(server: ServerParts): ServerAdmin {
  const flag = (name: string, fallback: boolean): boolean => {
    const raw = server.query.get(name);
    return raw === null || raw === '' ? fallback : /^(true|1|yes)$/i.test(raw);
  };
  const tls = { encrypt: flag('encrypt', true), trustServerCertificate: flag('trustServerCertificate', false) };
  const connection = { server: server.host, port: server.port ?? 1433, user: server.user, password: server.password };
  const sql = async <T>(text: string): Promise<T[]> => {
    const pool = await new mssql.ConnectionPool({ ...connection, database: 'master', options: tls, connectionTimeout: 15000 }).connect();
    try {
      return (await pool.request().query(text)).recordset as T[];
    } finally {
      await pool.close();
    }
  };
  return {
    create: async (name) => void (await sql(`CREATE DATABASE [${name}]`)),
    // SINGLE_USER ends leftover sessions on SQL Server; Azure SQL Database refuses it, hence TRY/CATCH.
    drop: async (name) =>
      void (await sql(
        `IF DB_ID('${name}') IS NOT NULL BEGIN BEGIN TRY ALTER DATABASE [${name}] SET SINGLE_USER WITH ROLLBACK IMMEDIATE; END TRY BEGIN CATCH END CATCH; DROP DATABASE [${name}]; END`,
      )),
    list: async () => (await sql<{ name: string }>('SELECT name FROM sys.databases')).map((row) => row.name),
    version: async () => (await sql<{ version: string }>('SELECT @@VERSION AS version'))[0].version,
    options: (name) => ({
      type: 'mssql',
      driver: mssql,
      host: connection.server,
      port: connection.port,
      username: connection.user,
      password: connection.password,
      database: name,
      options: { ...tls, useUTC: true },
    }),
  };
}

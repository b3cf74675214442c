import { isAbsolute, resolve } from 'node:path';

import type { DataSourceOptions } from 'typeorm';

/** The default when `DATABASE_URL` is unset: a SQLite file under `./data/`, relative to the working directory. */
export const DEFAULT_DATABASE_URL = 'sqlite:./data/support-chat.sqlite';

export class DatabaseUrlError extends Error {
  constructor(message: string) {
    super(`Invalid DATABASE_URL: ${message}`);
    this.name = 'DatabaseUrlError';
  }
}

/** What every dialect shares; the host adds its entities and the URL parser adds the connection. */
export interface DatabaseUrlExtras {
  entities?: NonNullable<DataSourceOptions['entities']>;
  /** Working directory that relative SQLite paths are resolved against (default `process.cwd()`). */
  cwd?: string;
}

/** Milliseconds a SQLite writer waits for a lock before failing with SQLITE_BUSY. */
const SQLITE_BUSY_TIMEOUT_MS = 5000;

type BetterSqliteDatabase = { pragma(source: string): unknown };

/**
 * Turns a `DATABASE_URL` into TypeORM options. Supported forms:
 *
 * - `sqlite:<path>` / `sqlite://<path>` / `sqlite::memory:`: better-sqlite3, WAL, `synchronous=FULL`,
 *   a busy timeout; a relative path is resolved against `cwd`.
 * - `postgres://user:pass@host:5432/db?sslmode=require&schema=app` (also `postgresql://`).
 * - `mysql://user:pass@host:3306/db` (driver mysql2) and `mariadb://...`; utf8mb4 and UTC.
 * - `mssql://user:pass@host:1433/db?encrypt=true&trustServerCertificate=false&instanceName=X`
 *   (also `sqlserver://`); encryption is on unless `encrypt=false`.
 *
 * The schema is never synchronised from the entities: the chat module and the host create their own
 * tables with idempotent checks at start-up.
 */
export function parseDatabaseUrl(rawUrl: string, extras: DatabaseUrlExtras = {}): DataSourceOptions {
  const url = rawUrl.trim();
  if (url === '') throw new DatabaseUrlError('the value is empty');
  const common = { synchronize: false, migrationsRun: false, entities: extras.entities ?? [] } as const;

  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1]?.toLowerCase();
  if (scheme === 'sqlite' || scheme === 'better-sqlite3') {
    return { ...common, type: 'better-sqlite3', ...sqliteOptions(url.slice(scheme.length + 1), extras.cwd ?? process.cwd()) };
  }

  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new DatabaseUrlError(`"${redactUrl(url)}" is not a URL (expected sqlite:<path>, postgres://, mysql://, mariadb:// or mssql://)`);
  }
  const username = parsed.username ? decodeURIComponent(parsed.username) : undefined;
  const password = parsed.password ? decodeURIComponent(parsed.password) : undefined;
  const database = decodeURIComponent(parsed.pathname.replace(/^\//, '')) || undefined;
  const host = parsed.hostname || undefined;
  const port = parsed.port ? Number(parsed.port) : undefined;
  const query = parsed.searchParams;

  switch (scheme) {
    case 'postgres':
    case 'postgresql': {
      const sslmode = query.get('sslmode') ?? (query.get('ssl') === 'true' ? 'require' : undefined);
      return {
        ...common,
        type: 'postgres',
        host: host ?? 'localhost',
        port: port ?? 5432,
        username,
        password,
        database,
        ...(query.get('schema') ? { schema: query.get('schema')! } : {}),
        ...(sslmode && sslmode !== 'disable' ? { ssl: sslmode === 'verify-full' || sslmode === 'verify-ca' ? true : { rejectUnauthorized: false } } : {}),
        ...(query.get('application_name') ? { applicationName: query.get('application_name')! } : {}),
      };
    }
    case 'mysql':
    case 'mariadb':
      return {
        ...common,
        type: scheme,
        host: host ?? 'localhost',
        port: port ?? 3306,
        username,
        password,
        database,
        charset: 'utf8mb4_unicode_ci',
        timezone: 'Z',
        ...(query.get('ssl') === 'true' ? { ssl: {} } : {}),
      };
    case 'mssql':
    case 'sqlserver': {
      const instanceName = query.get('instanceName') ?? undefined;
      return {
        ...common,
        type: 'mssql',
        host: host ?? 'localhost',
        ...(instanceName ? {} : { port: port ?? 1433 }),
        username,
        password,
        database,
        ...(query.get('schema') ? { schema: query.get('schema')! } : {}),
        options: {
          encrypt: booleanParam(query, 'encrypt', true),
          trustServerCertificate: booleanParam(query, 'trustServerCertificate', false),
          useUTC: true,
          ...(instanceName ? { instanceName } : {}),
          ...(query.get('appName') ? { appName: query.get('appName')! } : {}),
        },
      };
    }
    default:
      throw new DatabaseUrlError(`unsupported scheme "${scheme ?? ''}" (expected sqlite:, postgres://, mysql://, mariadb:// or mssql://)`);
  }
}

function sqliteOptions(
  rest: string,
  cwd: string,
): { database: string; enableWAL: boolean; timeout: number; prepareDatabase: (db: BetterSqliteDatabase) => void } {
  let path = rest.startsWith('//') ? rest.slice(2) : rest;
  path = path.split('?')[0]!;
  if (path === '') throw new DatabaseUrlError('sqlite: needs a file path, e.g. sqlite:./data/support-chat.sqlite');
  const inMemory = path === ':memory:';
  const database = inMemory ? ':memory:' : isAbsolute(path) ? path : resolve(cwd, path);
  return {
    database,
    // WAL lets readers run while a writer commits; it does not apply to in-memory databases.
    enableWAL: !inMemory,
    timeout: SQLITE_BUSY_TIMEOUT_MS,
    prepareDatabase: (db) => {
      db.pragma(`busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`);
      // FULL: a committed message survives a power loss, also in WAL mode.
      db.pragma('synchronous = FULL');
    },
  };
}

function booleanParam(query: URLSearchParams, name: string, fallback: boolean): boolean {
  const raw = query.get(name);
  if (raw === null || raw === '') return fallback;
  if (/^(true|1|yes)$/i.test(raw)) return true;
  if (/^(false|0|no)$/i.test(raw)) return false;
  throw new DatabaseUrlError(`query parameter ${name} must be true or false (got "${raw}")`);
}

/** The URL with its password replaced, safe to log. */
export function redactUrl(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/@]*:)[^@]*@/i, '$1***@');
}

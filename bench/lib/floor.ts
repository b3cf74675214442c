/**
 * The "floor" of an endpoint: the SQL statements it really sends, captured from TypeORM's logger while
 * the compiled app answers one request (capture-sql.cjs), then executed directly with the
 * driver, with the same parameters, in the same order, with cached prepared statements (SQLite) or on
 * one open connection (PostgreSQL). Endpoint latency / floor is what the framework, the ORM, the mapping
 * and HTTP add on top of the database work.
 */
import type { Database as SqliteDatabase, Statement } from 'better-sqlite3';

import { timeRepeatedly } from './measure';
import { newPgClient, PgClient } from './pg';

export interface CapturedStatement {
  sql: string;
  parameters: unknown[];
}

const TRANSACTION_CONTROL = /^\s*(BEGIN|COMMIT|ROLLBACK|START TRANSACTION|SET TRANSACTION|SAVEPOINT|RELEASE)/i;

export interface FloorResult {
  median: number;
  p99: number;
  runs: number;
  statements: number;
}

export interface FloorDriver {
  /** Times the statements; a write unit is run inside BEGIN ... ROLLBACK so it can be repeated. */
  time(statements: CapturedStatement[], budgetMs: number): Promise<FloorResult>;
  /** Median time of one statement alone (reads only), for the per-statement breakdown. */
  timeOne(statement: CapturedStatement, budgetMs: number): Promise<number>;
  /** EXPLAIN QUERY PLAN / EXPLAIN ANALYZE of one statement, for the report. */
  explain(statement: CapturedStatement): Promise<string>;
  close(): Promise<void>;
}

function isWrite(statements: CapturedStatement[]): boolean {
  return statements.some((s) => /^\s*(INSERT|UPDATE|DELETE)/i.test(s.sql));
}

export function sqliteFloor(path: string): FloorDriver {
  const Database = require('better-sqlite3') as typeof import('better-sqlite3');
  const db: SqliteDatabase = new Database(path);
  // The server's own pragmas (apps/api/src/database/database-url.ts).
  db.pragma('journal_mode = WAL');
  db.pragma('busy_timeout = 5000');
  db.pragma('synchronous = FULL');
  const cache = new Map<string, Statement>();
  const statement = (sql: string) => {
    let s = cache.get(sql);
    if (!s) cache.set(sql, (s = db.prepare(sql)));
    return s;
  };
  return {
    async time(statements, budgetMs) {
      const work = statements.filter((s) => !TRANSACTION_CONTROL.test(s.sql));
      const write = isWrite(work);
      const prepared = work.map((s) => ({ stmt: statement(s.sql), parameters: s.parameters }));
      const once = () => {
        if (write) db.exec('BEGIN');
        try {
          for (const { stmt, parameters } of prepared) {
            if (stmt.reader) stmt.all(...parameters);
            else stmt.run(...parameters);
          }
        } finally {
          if (write) db.exec('ROLLBACK');
        }
      };
      return { ...(await timeRepeatedly(once, budgetMs)), statements: work.length };
    },
    async timeOne(s, budgetMs) {
      const stmt = statement(s.sql);
      return (await timeRepeatedly(() => stmt.all(...s.parameters), budgetMs)).median;
    },
    async explain(s) {
      const rows = db.prepare(`EXPLAIN QUERY PLAN ${s.sql}`).all(...s.parameters) as { detail: string }[];
      return rows.map((row) => row.detail).join('\n');
    },
    async close() {
      db.close();
    },
  };
}

export async function postgresFloor(url: string): Promise<FloorDriver> {
  const client: PgClient = newPgClient(url);
  // An idle client whose backend goes away must not crash the process with an unhandled 'error'.
  client.on('error', (error) => console.warn(`postgres: ${error.message}`));
  await client.connect();
  return {
    async time(statements, budgetMs) {
      const work = statements.filter((s) => !TRANSACTION_CONTROL.test(s.sql));
      const write = isWrite(work);
      const once = async () => {
        if (write) await client.query('BEGIN');
        try {
          for (const s of work) await client.query(s.sql, s.parameters);
        } finally {
          if (write) await client.query('ROLLBACK');
        }
      };
      return { ...(await timeRepeatedly(once, budgetMs)), statements: work.length };
    },
    async timeOne(s, budgetMs) {
      return (await timeRepeatedly(() => client.query(s.sql, s.parameters), budgetMs)).median;
    },
    async explain(s) {
      const result = await client.query(`EXPLAIN (ANALYZE, BUFFERS) ${s.sql}`, s.parameters);
      return result.rows.map((row) => String(row['QUERY PLAN'])).join('\n');
    },
    async close() {
      await client.end();
    },
  };
}

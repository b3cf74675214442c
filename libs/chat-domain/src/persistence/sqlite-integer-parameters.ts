import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';

import { CHAT_DATA_SOURCE } from './tokens';

const PATCHED = Symbol.for('support-chat.sqlite-integer-parameters');

type EscapeQueryWithParameters = (sql: string, parameters: Record<string, unknown>, nativeParameters: Record<string, unknown>) => [string, unknown[]];

/** The function `bindIntegerParametersOnSqlite` installed on a driver (to tell it from any later wrapper). */
const INSTALLED = Symbol.for('support-chat.sqlite-integer-parameters.installed');

/**
 * TypeORM's SQLite drivers write number parameters into the SQL text (`seq > 41`) instead of binding
 * them. Every new number is then a new statement: TypeORM's statement cache misses and better-sqlite3
 * compiles the SQL again, on every message sent, every read marker and every history page. Safe
 * integers are handed to the driver as `bigint` placeholders instead, which better-sqlite3 binds as
 * SQLite INTEGERs: the same value and type as the literal, and one prepared statement per query shape.
 *
 * Only the placeholders of the SQLite driver change; other dialects already bind numbers.
 */
export function bindIntegerParametersOnSqlite(dataSource: DataSource): boolean {
  if (dataSource.options.type !== 'better-sqlite3') return false;
  const driver = dataSource.driver as unknown as { escapeQueryWithParameters: EscapeQueryWithParameters; [PATCHED]?: true };
  if (driver[PATCHED]) return true;
  const escape = driver.escapeQueryWithParameters.bind(driver);
  const installed: EscapeQueryWithParameters = (sql, parameters, nativeParameters) => {
    if (!parameters) return escape(sql, parameters, nativeParameters);
    const bound: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(parameters)) bound[key] = typeof value === 'number' && Number.isSafeInteger(value) ? BigInt(value) : value;
    return escape(sql, bound, nativeParameters);
  };
  driver.escapeQueryWithParameters = installed;
  (driver as unknown as Record<symbol, unknown>)[INSTALLED] = installed;
  driver[PATCHED] = true;
  return true;
}

/**
 * How the SQLite driver of `dataSource` currently turns a `:name` number into SQL: `'bind'` when
 * `bindIntegerParametersOnSqlite` is in effect (safe integers become bigint placeholders), `'inline'` for
 * TypeORM's own driver (numbers written into the text), `null` when it is not SQLite or someone else
 * wrapped `escapeQueryWithParameters` (then only the driver knows what it does).
 */
export function sqliteNumberParameters(dataSource: DataSource): 'bind' | 'inline' | null {
  if (dataSource.options.type !== 'better-sqlite3') return null;
  const driver = dataSource.driver as unknown as Record<string | symbol, unknown>;
  if (!Object.prototype.hasOwnProperty.call(driver, 'escapeQueryWithParameters')) return 'inline';
  return driver[INSTALLED] !== undefined && driver.escapeQueryWithParameters === driver[INSTALLED] ? 'bind' : null;
}

/** Applies `bindIntegerParametersOnSqlite` to the data source the chat was given. */
@Injectable()
export class SqliteIntegerParameters implements OnModuleInit {
  constructor(@Inject(CHAT_DATA_SOURCE) private readonly dataSource: DataSource) {}

  onModuleInit(): void {
    bindIntegerParametersOnSqlite(this.dataSource);
  }
}

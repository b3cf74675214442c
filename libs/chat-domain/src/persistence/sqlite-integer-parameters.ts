import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';

import { CHAT_DATA_SOURCE } from './tokens';

const PATCHED = Symbol.for('support-chat.sqlite-integer-parameters');

type EscapeQueryWithParameters = (sql: string, parameters: Record<string, unknown>, nativeParameters: Record<string, unknown>) => [string, unknown[]];

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
  driver.escapeQueryWithParameters = (sql, parameters, nativeParameters) => {
    if (!parameters) return escape(sql, parameters, nativeParameters);
    const bound: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(parameters)) bound[key] = typeof value === 'number' && Number.isSafeInteger(value) ? BigInt(value) : value;
    return escape(sql, bound, nativeParameters);
  };
  driver[PATCHED] = true;
  return true;
}

/** Applies `bindIntegerParametersOnSqlite` to the data source the chat was given. */
@Injectable()
export class SqliteIntegerParameters implements OnModuleInit {
  constructor(@Inject(CHAT_DATA_SOURCE) private readonly dataSource: DataSource) {}

  onModuleInit(): void {
    bindIntegerParametersOnSqlite(this.dataSource);
  }
}

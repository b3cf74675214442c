import { TableColumnOptions } from 'typeorm';

import { ColumnSpec } from './support-chat.schema';

export type SupportedDialect = 'better-sqlite3' | 'postgres' | 'mysql' | 'mariadb' | 'mssql';

const SUPPORTED: readonly string[] = ['better-sqlite3', 'postgres', 'mysql', 'mariadb', 'mssql'];

export function assertSupportedDialect(type: string): SupportedDialect {
  if (!SUPPORTED.includes(type)) {
    throw new Error(`Support chat: database type "${type}" is not supported (use one of ${SUPPORTED.join(', ')})`);
  }
  return type as SupportedDialect;
}

/**
 * Physical column for a logical one. The choices that matter:
 * - SQL Server: every string is NVARCHAR (Unicode, and the same type TypeORM binds parameters as, so
 *   indexes stay usable), long text NVARCHAR(MAX), timestamps DATETIME2.
 * - MySQL/MariaDB: utf8mb4 so emoji fit, millisecond timestamps.
 * - PostgreSQL: timestamps with time zone.
 */
export function physicalColumn(dialect: SupportedDialect, column: ColumnSpec): TableColumnOptions {
  const base: TableColumnOptions = {
    name: column.name,
    type: '',
    isNullable: column.nullable ?? false,
    ...(column.default !== undefined ? { default: typeof column.default === 'string' ? `'${column.default}'` : String(column.default) } : {}),
  };
  const utf8mb4 = { charset: 'utf8mb4', collation: 'utf8mb4_unicode_ci' };
  const isMysql = dialect === 'mysql' || dialect === 'mariadb';
  switch (column.type) {
    case 'id':
      if (dialect === 'mssql') return { ...base, type: 'nvarchar', length: '36' };
      return { ...base, type: 'varchar', length: '36', ...(isMysql ? { charset: 'ascii', collation: 'ascii_bin' } : {}) };
    case 'short_text':
      if (dialect === 'mssql') return { ...base, type: 'nvarchar', length: String(column.length) };
      return { ...base, type: 'varchar', length: String(column.length), ...(isMysql ? utf8mb4 : {}) };
    case 'long_text':
      if (dialect === 'mssql') return { ...base, type: 'nvarchar', length: 'MAX' };
      if (isMysql) return { ...base, type: 'mediumtext', ...utf8mb4 };
      return { ...base, type: 'text' };
    case 'int':
      return { ...base, type: dialect === 'better-sqlite3' ? 'integer' : 'int' };
    case 'bigint':
      return { ...base, type: 'bigint' };
    case 'timestamp':
      switch (dialect) {
        case 'mssql':
          return { ...base, type: 'datetime2', precision: 3 };
        case 'postgres':
          return { ...base, type: 'timestamp with time zone', precision: 3 };
        case 'mysql':
        case 'mariadb':
          return { ...base, type: 'datetime', precision: 3 };
        case 'better-sqlite3':
          return { ...base, type: 'datetime' };
      }
  }
}

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import BetterSqlite3 from 'better-sqlite3';
import { DataSource, DataSourceOptions, Table } from 'typeorm';

import { SUPPORT_CHAT_ENTITIES } from '../../src/persistence/entities';
import { createTestDatabase, DIALECT_LABELS, testDialect } from '../../src/testing/test-database';

export const DIALECT = testDialect();
export const DIALECT_LABEL = DIALECT_LABELS[DIALECT];

/** A fresh, empty database of the dialect under test (`SUPPORT_CHAT_TEST_DB`), with a DataSource on it. */
export interface DialectDatabase {
  dataSource: DataSource;
  /** Closes the DataSource and drops the database (or deletes the SQLite file). */
  dispose(): Promise<void>;
}

export async function openDialectDatabase(extra: Partial<DataSourceOptions> = {}): Promise<DialectDatabase> {
  const server = await createTestDatabase();
  const dir = server ? null : mkdtempSync(join(tmpdir(), 'support-chat-dialect-'));
  const options: DataSourceOptions = server?.options ?? { type: 'better-sqlite3', driver: BetterSqlite3, database: join(dir!, 'db.sqlite') };
  const dataSource = new DataSource({ ...options, entities: [...SUPPORT_CHAT_ENTITIES], synchronize: false, ...extra } as DataSourceOptions);
  await dataSource.initialize();
  return {
    dataSource,
    dispose: async () => {
      if (dataSource.isInitialized) await dataSource.destroy();
      await server?.drop();
      if (dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Table name without the schema/database prefix TypeORM adds on some dialects. */
export function bareName(name: string): string {
  return name
    .split('.')
    .pop()!
    .replace(/[`"[\]]/g, '');
}

/** Everything `getTable()` reports about a table that a schema comparison should look at, in a stable order. */
export function describeTable(table: Table) {
  const byName = <T extends { name?: string }>(a: T, b: T) => (a.name ?? '').localeCompare(b.name ?? '');
  return {
    name: bareName(table.name),
    columns: table.columns
      .map((column) => ({
        name: column.name,
        type: column.type,
        length: column.length,
        precision: column.precision ?? null,
        scale: column.scale ?? null,
        nullable: column.isNullable,
        primary: column.isPrimary,
        default: column.default ?? null,
        charset: column.charset ?? null,
        collation: column.collation ?? null,
      }))
      .sort(byName),
    primaryKey: table.primaryColumns.map((column) => column.name),
    indices: table.indices.map((index) => ({ name: index.name, columns: [...index.columnNames], unique: index.isUnique })).sort(byName),
    uniques: table.uniques.map((unique) => ({ name: unique.name, columns: [...unique.columnNames] })).sort(byName),
    foreignKeys: table.foreignKeys
      .map((fk) => ({
        name: fk.name,
        columns: [...fk.columnNames],
        referencedTable: bareName(fk.referencedTableName),
        referencedColumns: [...fk.referencedColumnNames],
        onDelete: fk.onDelete ?? null,
        onUpdate: fk.onUpdate ?? null,
      }))
      .sort(byName),
    checks: table.checks.map((check) => ({ name: check.name, expression: check.expression })).sort(byName),
  };
}

/** The user tables of the database (what TypeORM's `getTables()` without arguments would list). */
export async function listTables(dataSource: DataSource): Promise<string[]> {
  return (await queryTableNames(dataSource)).sort();
}

async function queryTableNames(dataSource: DataSource): Promise<string[]> {
  const runner = dataSource.createQueryRunner();
  try {
    switch (dataSource.options.type) {
      case 'better-sqlite3':
        // The message search's FTS5 table and its shadow tables (issue 16) are an index of support_messages, not tables of their own.
        return (
          await runner.query(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'support_messages_fts%' ORDER BY name",
          )
        ).map((row: { name: string }) => row.name);
      case 'postgres':
        return (await runner.query('SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() ORDER BY table_name')).map(
          (row: { name: string }) => row.name,
        );
      case 'mysql':
      case 'mariadb':
        return (await runner.query('SELECT table_name AS name FROM information_schema.tables WHERE table_schema = DATABASE() ORDER BY table_name')).map(
          (row: { name: string }) => row.name,
        );
      case 'mssql':
        return (await runner.query('SELECT name FROM sys.tables ORDER BY name')).map((row: { name: string }) => row.name);
      default:
        throw new Error(`no table listing for ${dataSource.options.type}`);
    }
  } finally {
    await runner.release();
  }
}

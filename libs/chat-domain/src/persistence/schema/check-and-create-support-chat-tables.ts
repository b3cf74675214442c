import { Logger } from '@nestjs/common';
import { DataSource, QueryRunner, Table, TableColumn, TableForeignKey, TableIndex } from 'typeorm';

import { assertNoLegacySupportChat } from '../legacy/legacy-schema';
import { assertSupportedDialect, physicalColumn, SupportedDialect } from './dialect-column-types';
import { getExistingTables } from './existing-tables';
import { ensureMessageSearchIndex } from './message-search-index';
import { SUPPORT_CHAT_SCHEMA, TableSpec } from './support-chat.schema';

export interface SchemaCheckReport {
  createdTables: string[];
  addedColumns: string[];
  createdIndices: string[];
  /** Full-text search objects created (`message-search-index.ts`), logged apart from the tables' changes. */
  createdSearchObjects?: string[];
}

export function toTypeormTable(dialect: SupportedDialect, spec: TableSpec): Table {
  return new Table({
    name: spec.name,
    columns: spec.columns.map((column) => ({
      ...physicalColumn(dialect, column),
      isPrimary: column.name === spec.primaryKey,
      ...(column.name === spec.primaryKey ? { primaryKeyConstraintName: spec.primaryKeyName } : {}),
    })),
    indices: spec.indices.map((index) => new TableIndex({ name: index.name, columnNames: index.columns, isUnique: index.unique ?? false })),
    foreignKeys: spec.foreignKeys.map(
      (fk) =>
        new TableForeignKey({
          name: fk.name,
          columnNames: fk.columns,
          referencedTableName: fk.referencedTable,
          referencedColumnNames: fk.referencedColumns,
          onDelete: 'NO ACTION',
          onUpdate: 'NO ACTION',
        }),
    ),
  });
}

/**
 * Creates, inside an existing query runner, whatever part of the chat schema is missing: whole tables,
 * then columns, then indexes. It never alters or drops anything, and never touches a table the chat
 * does not own. Shared by the start-up check and the TypeORM migration.
 */
export async function ensureSupportChatSchema(queryRunner: QueryRunner, log: (line: string) => void = () => undefined): Promise<SchemaCheckReport> {
  const dialect = assertSupportedDialect(queryRunner.connection.options.type);
  const report: SchemaCheckReport = { createdTables: [], addedColumns: [], createdIndices: [] };

  // Every chat table inspected in one go, before any change: each step below only touches its own table.
  const existingTables = await getExistingTables(
    queryRunner,
    SUPPORT_CHAT_SCHEMA.map((spec) => spec.name),
  );
  for (const spec of SUPPORT_CHAT_SCHEMA) {
    const existing = existingTables.get(spec.name);
    if (!existing) {
      await queryRunner.createTable(toTypeormTable(dialect, spec), true, true, true);
      report.createdTables.push(spec.name);
      log(`created table ${spec.name}`);
      continue;
    }
    for (const column of spec.columns) {
      if (existing.findColumnByName(column.name)) continue;
      await addColumn(queryRunner, dialect, spec.name, new TableColumn(physicalColumn(dialect, column)));
      report.addedColumns.push(`${spec.name}.${column.name}`);
      log(`added column ${spec.name}.${column.name}`);
      if (column.backfill) {
        await queryRunner.query(column.backfill);
        log(`filled ${spec.name}.${column.name} for the existing rows`);
      }
    }
    const existingIndexNames = new Set(
      [...existing.indices.map((index) => index.name), ...existing.uniques.map((unique) => unique.name)].filter(Boolean).map((name) => name!.toLowerCase()),
    );
    for (const index of spec.indices) {
      if (existingIndexNames.has(index.name.toLowerCase())) continue;
      await queryRunner.createIndex(spec.name, new TableIndex({ name: index.name, columnNames: index.columns, isUnique: index.unique ?? false }));
      report.createdIndices.push(index.name);
      log(`created index ${index.name}`);
    }
  }
  // Full-text search over the messages (issue 16): engine-specific, so not in the table description.
  const search = await ensureMessageSearchIndex(queryRunner, dialect);
  if (search.length > 0) {
    report.createdSearchObjects = search;
    log(`created message search index (${search.join(', ')})`);
  }
  return report;
}

/**
 * On SQLite, TypeORM adds a column by rebuilding the table (copy, drop, rename), which the other chat
 * tables' foreign keys refuse once it holds rows, and which would copy every row. SQLite's own
 * `ALTER TABLE ... ADD COLUMN` does it in place for the columns the chat adds (nullable, or with a default).
 */
async function addColumn(queryRunner: QueryRunner, dialect: SupportedDialect, tableName: string, column: TableColumn): Promise<void> {
  if (dialect !== 'better-sqlite3') return queryRunner.addColumn(tableName, column);
  const type = column.length ? `${column.type}(${column.length})` : column.type;
  const definition = [`"${column.name}" ${type}`, column.isNullable ? '' : 'NOT NULL', column.default !== undefined ? `DEFAULT ${String(column.default)}` : '']
    .filter(Boolean)
    .join(' ');
  await queryRunner.query(`ALTER TABLE "${tableName}" ADD COLUMN ${definition}`);
}

/**
 * The spec's idempotent start-up migration (`check_and_create_support_chat_tables()`): runs at start-up,
 * creates only the chat's missing tables, columns and indexes, and logs what it did. A database that
 * holds the original (Flask) module's tables under the same names is refused before anything is
 * touched (`LegacySupportChatSchemaError`, naming `npm run db:adopt-legacy`).
 */
export async function checkAndCreateSupportChatTables(
  dataSource: DataSource,
  logger: Pick<Logger, 'log'> = new Logger('SupportChatSchema'),
): Promise<SchemaCheckReport> {
  const queryRunner = dataSource.createQueryRunner();
  try {
    await assertNoLegacySupportChat(queryRunner);
    const report = await ensureSupportChatSchema(queryRunner, (line) => logger.log(line));
    const changes = report.createdTables.length + report.addedColumns.length + report.createdIndices.length;
    logger.log(changes === 0 ? 'support chat schema is up to date' : `support chat schema updated (${changes} change${changes === 1 ? '' : 's'})`);
    return report;
  } finally {
    await queryRunner.release();
  }
}

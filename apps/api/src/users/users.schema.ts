import { Logger } from '@nestjs/common';
import { DataSource, Table, TableColumn, TableIndex } from 'typeorm';
import { TableUtils } from 'typeorm/schema-builder/util/TableUtils';

import { UserEntity } from './user.entity';

export interface UsersSchemaReport {
  createdTable: boolean;
  addedColumns: string[];
  createdIndices: string[];
}

/**
 * Creates the host's `users` table, or its missing columns and indexes, from the entity's own metadata
 * (the DDL TypeORM would generate for the current dialect). Idempotent, never alters or drops anything;
 * the host's counterpart of the chat module's `checkAndCreateSupportChatTables()`.
 */
export async function ensureUsersTable(dataSource: DataSource, logger: Pick<Logger, 'log'> = new Logger('UsersSchema')): Promise<UsersSchemaReport> {
  const metadata = dataSource.getMetadata(UserEntity);
  const report: UsersSchemaReport = { createdTable: false, addedColumns: [], createdIndices: [] };
  const queryRunner = dataSource.createQueryRunner();
  try {
    const existing = await queryRunner.getTable(metadata.tablePath);
    if (!existing) {
      await queryRunner.createTable(Table.create(metadata, dataSource.driver), true, false, true);
      report.createdTable = true;
      logger.log(`created table ${metadata.tableName}`);
      return report;
    }
    for (const column of metadata.columns) {
      if (existing.findColumnByName(column.databaseName)) continue;
      const options = TableUtils.createTableColumnOptions(column, dataSource.driver);
      // A column added to a table that already has rows must be nullable or have a default.
      await queryRunner.addColumn(existing, new TableColumn({ ...options, isNullable: options.isNullable || options.default === undefined }));
      report.addedColumns.push(column.databaseName);
      logger.log(`added column ${metadata.tableName}.${column.databaseName}`);
    }
    const existingNames = new Set([...existing.indices, ...existing.uniques].map((index) => index.name?.toLowerCase()));
    for (const index of metadata.indices) {
      if (existingNames.has(index.name.toLowerCase())) continue;
      await queryRunner.createIndex(existing, TableIndex.create(index));
      report.createdIndices.push(index.name);
      logger.log(`created index ${index.name}`);
    }
    if (report.addedColumns.length + report.createdIndices.length === 0) logger.log('users table is up to date');
    return report;
  } finally {
    await queryRunner.release();
  }
}

import type { QueryRunner } from 'typeorm';

import { checkAndCreateSupportChatTables } from '../../src/persistence/schema/check-and-create-support-chat-tables';
import { getExistingTables } from '../../src/persistence/schema/existing-tables';
import { SUPPORT_CHAT_TABLE_NAMES } from '../../src/persistence/schema/support-chat.schema';
import { DIALECT_LABEL, DialectDatabase, openDialectDatabase } from './dialect-database';

const silent = { log: () => undefined };

/**
 * The start-up check inspects the chat's tables with one `getTables()` (and the legacy check its own
 * with another), never with a `getTable()` per table: on PostgreSQL and MariaDB each of those was a
 * round of catalogue queries, most of the check's time at start-up.
 */
describe(`start-up check: table inspection in one batch (${DIALECT_LABEL})`, () => {
  let db: DialectDatabase;

  beforeEach(async () => {
    db = await openDialectDatabase();
  }, 60_000);
  afterEach(() => db?.dispose());

  it('getExistingTables returns the existing tables by their bare names, as getTable() inspects them, and leaves out missing ones', async () => {
    await checkAndCreateSupportChatTables(db.dataSource, silent);
    const queryRunner = db.dataSource.createQueryRunner();
    try {
      const tables = await getExistingTables(queryRunner, [...SUPPORT_CHAT_TABLE_NAMES, 'support_no_such_table']);
      expect([...tables.keys()].sort()).toEqual([...SUPPORT_CHAT_TABLE_NAMES].sort());
      const one = (await queryRunner.getTable('support_messages'))!;
      const batched = tables.get('support_messages')!;
      expect(batched.columns.map((column) => column.name).sort()).toEqual(one.columns.map((column) => column.name).sort());
      expect(batched.indices.map((index) => index.name).sort()).toEqual(one.indices.map((index) => index.name).sort());
      expect(batched.uniques.map((unique) => unique.name).sort()).toEqual(one.uniques.map((unique) => unique.name).sort());
    } finally {
      await queryRunner.release();
    }
  });

  it('checks an up-to-date database with two getTables() calls and no getTable()', async () => {
    await checkAndCreateSupportChatTables(db.dataSource, silent);
    const probe = db.dataSource.createQueryRunner();
    const prototype = Object.getPrototypeOf(probe) as QueryRunner;
    await probe.release();
    const getTable = jest.spyOn(prototype, 'getTable');
    const getTables = jest.spyOn(prototype, 'getTables');
    try {
      const report = await checkAndCreateSupportChatTables(db.dataSource, silent);
      expect(report.createdTables.length + report.addedColumns.length + report.createdIndices.length).toBe(0);
      expect(getTable).not.toHaveBeenCalled();
      expect(getTables).toHaveBeenCalledTimes(2);
    } finally {
      getTable.mockRestore();
      getTables.mockRestore();
    }
  });
});

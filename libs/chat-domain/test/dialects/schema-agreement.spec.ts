import { Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';

import { SUPPORT_CHAT_MIGRATIONS, SUPPORT_CHAT_MIGRATIONS_TABLE } from '../../src/persistence/migrations';
import { checkAndCreateSupportChatTables } from '../../src/persistence/schema/check-and-create-support-chat-tables';
import { SUPPORT_CHAT_SCHEMA, SUPPORT_CHAT_TABLE_NAMES } from '../../src/persistence/schema/support-chat.schema';
import { describeTable, DIALECT_LABEL, DialectDatabase, listTables, openDialectDatabase } from './dialect-database';

const silent = { log: () => undefined };

async function describeChatSchema(dataSource: DataSource) {
  const runner = dataSource.createQueryRunner();
  try {
    const tables = [];
    for (const name of SUPPORT_CHAT_TABLE_NAMES) {
      const table = await runner.getTable(name);
      if (!table) throw new Error(`table ${name} is missing`);
      tables.push(describeTable(table));
    }
    return tables;
  } finally {
    await runner.release();
  }
}

/** Index name -> columns in index order, from the catalog (PostgreSQL only; empty elsewhere). */
async function indexColumnOrder(dataSource: DataSource, tableName: string): Promise<Map<string, string[]>> {
  if (dataSource.options.type !== 'postgres') return new Map();
  const rows: { name: string; columns: string[] }[] = await dataSource.query(
    `SELECT i.relname AS name, array_agg(a.attname::text ORDER BY k.ord) AS columns
       FROM pg_index x
       JOIN pg_class i ON i.oid = x.indexrelid
       JOIN pg_class t ON t.oid = x.indrelid
       JOIN LATERAL unnest(x.indkey) WITH ORDINALITY AS k(attnum, ord) ON true
       JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum
      WHERE t.relname = $1 AND t.relnamespace = current_schema()::regnamespace
      GROUP BY i.relname`,
    [tableName],
  );
  return new Map(rows.map((row) => [row.name, row.columns]));
}

/**
 * The two ways to create the chat schema, the start-up check and the TypeORM migrations, must
 * produce the same tables on the dialect under test (`SUPPORT_CHAT_TEST_DB`; `npm run test:postgres`
 * and `npm run test:mariadb` cover the servers).
 */
describe(`schema: start-up check == TypeORM migrations (${DIALECT_LABEL})`, () => {
  let viaStartup: DialectDatabase;
  let viaMigrations: DialectDatabase;

  beforeAll(async () => {
    Logger.overrideLogger(false);
    viaStartup = await openDialectDatabase();
    viaMigrations = await openDialectDatabase({ migrations: [...SUPPORT_CHAT_MIGRATIONS], migrationsTableName: SUPPORT_CHAT_MIGRATIONS_TABLE, logging: false });
    await checkAndCreateSupportChatTables(viaStartup.dataSource, silent);
    await viaMigrations.dataSource.runMigrations({ transaction: 'each' });
  }, 60_000);
  afterAll(async () => {
    await viaStartup?.dispose();
    await viaMigrations?.dispose();
  });

  it('creates the same tables, columns (types, lengths, nullability, defaults), indexes, unique keys and foreign keys', async () => {
    const fromStartup = await describeChatSchema(viaStartup.dataSource);
    const fromMigrations = await describeChatSchema(viaMigrations.dataSource);
    expect(fromMigrations).toEqual(fromStartup);
  });

  it('matches the schema description: every column, its nullability, every named index and foreign key', async () => {
    for (const table of await describeChatSchema(viaMigrations.dataSource)) {
      const spec = SUPPORT_CHAT_SCHEMA.find((candidate) => candidate.name === table.name)!;
      // PostgreSQL's message search column is the search index's own (message-search-index.ts), not the description's.
      const described = table.columns.filter((column) => column.name !== 'search_vector');
      expect(described.map((column) => [column.name, column.nullable]).sort()).toEqual(
        spec.columns.map((column) => [column.name, column.nullable ?? false]).sort(),
      );
      expect(table.primaryKey).toEqual([spec.primaryKey]);
      // Unique indexes show up as indices or, on some dialects, as unique constraints: accept either.
      // TypeORM's PostgreSQL getTable() lists an index's columns in table order, not index order; read
      // the real order from the catalog there.
      const realOrder = await indexColumnOrder(viaMigrations.dataSource, table.name);
      const indexes = [...table.indices.map((index) => ({ ...index })), ...table.uniques.map((unique) => ({ ...unique, unique: true }))]
        .filter((index) => spec.indices.some((candidate) => candidate.name.toLowerCase() === index.name?.toLowerCase()))
        .map((index) => ({ name: index.name!.toLowerCase(), columns: realOrder.get(index.name!) ?? index.columns, unique: index.unique }))
        .sort((a, b) => a.name.localeCompare(b.name));
      expect(indexes).toEqual(
        spec.indices
          .map((index) => ({ name: index.name.toLowerCase(), columns: index.columns, unique: index.unique ?? false }))
          .sort((a, b) => a.name.localeCompare(b.name)),
      );
      expect(
        table.foreignKeys.map((fk) => ({ name: fk.name, columns: fk.columns, referencedTable: fk.referencedTable, referencedColumns: fk.referencedColumns })),
      ).toEqual(
        spec.foreignKeys.map((fk) => ({ name: fk.name, columns: fk.columns, referencedTable: fk.referencedTable, referencedColumns: fk.referencedColumns })),
      );
    }
  });

  it('keeps its bookkeeping in the explicit migrations table and creates nothing else', async () => {
    expect(await listTables(viaMigrations.dataSource)).toEqual([...SUPPORT_CHAT_TABLE_NAMES, SUPPORT_CHAT_MIGRATIONS_TABLE].sort());
    expect(await listTables(viaStartup.dataSource)).toEqual([...SUPPORT_CHAT_TABLE_NAMES].sort());
    expect(await viaMigrations.dataSource.showMigrations()).toBe(false);
  });

  it('agrees in both orders: the start-up check after the migrations, and the migrations after the start-up check, change nothing', async () => {
    expect(await checkAndCreateSupportChatTables(viaMigrations.dataSource, silent)).toEqual({ createdTables: [], addedColumns: [], createdIndices: [] });

    const before = await describeChatSchema(viaStartup.dataSource);
    const runner = viaStartup.dataSource.createQueryRunner();
    try {
      for (const Migration of SUPPORT_CHAT_MIGRATIONS) await new Migration().up(runner);
    } finally {
      await runner.release();
    }
    expect(await describeChatSchema(viaStartup.dataSource)).toEqual(before);
  });

  it('reverts: migration:revert, once per migration, drops the chat tables and only them', async () => {
    for (let i = 0; i < SUPPORT_CHAT_MIGRATIONS.length; i++) await viaMigrations.dataSource.undoLastMigration({ transaction: 'each' });
    expect(await listTables(viaMigrations.dataSource)).toEqual([SUPPORT_CHAT_MIGRATIONS_TABLE]);
    await viaMigrations.dataSource.runMigrations({ transaction: 'each' });
    expect(await describeChatSchema(viaMigrations.dataSource)).toEqual(await describeChatSchema(viaStartup.dataSource));
  });
});

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { DataSource } from 'typeorm';

import { SUPPORT_CHAT_ENTITIES } from '../src/persistence/entities';
import { checkAndCreateSupportChatTables } from '../src/persistence/schema/check-and-create-support-chat-tables';
import { SUPPORT_CHAT_SCHEMA, SUPPORT_CHAT_TABLE_NAMES } from '../src/persistence/schema/support-chat.schema';

const silent = { log: () => undefined };

describe('checkAndCreateSupportChatTables (start-up migration)', () => {
  let dir: string;
  let dataSource: DataSource;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'support-chat-schema-'));
    dataSource = new DataSource({ type: 'better-sqlite3', driver: BetterSqlite3, database: join(dir, 'host.sqlite'), entities: [...SUPPORT_CHAT_ENTITIES] });
    await dataSource.initialize();
  });
  afterEach(async () => {
    await dataSource.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  const dumpOtherTables = async () => {
    const tables: { name: string; sql: string }[] = await dataSource.query(
      `SELECT name, sql FROM sqlite_master WHERE type IN ('table', 'index') AND tbl_name NOT IN (${SUPPORT_CHAT_TABLE_NAMES.map((name) => `'${name}'`).join(', ')}) AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'support_messages_fts%' ORDER BY name`,
    );
    const rows: Record<string, unknown[]> = {};
    for (const table of tables.filter((t) => t.sql?.startsWith('CREATE TABLE')))
      rows[table.name] = await dataSource.query(`SELECT * FROM "${table.name}" ORDER BY rowid`);
    return { tables, rows };
  };

  it('creates every chat table once, then reports no changes', async () => {
    const first = await checkAndCreateSupportChatTables(dataSource, silent);
    expect(first.createdTables).toEqual(SUPPORT_CHAT_TABLE_NAMES);
    expect(first.createdSearchObjects).toEqual(['support_messages_fts', 'trg_support_messages_fts_insert']);
    const second = await checkAndCreateSupportChatTables(dataSource, silent);
    expect(second).toEqual({ createdTables: [], addedColumns: [], createdIndices: [] });
  });

  it("leaves the host's own tables and data untouched", async () => {
    await dataSource.query('CREATE TABLE users (id varchar(36) PRIMARY KEY, username varchar(50) UNIQUE, role varchar(20))');
    await dataSource.query("INSERT INTO users VALUES ('u1', 'candidato1', 'candidato'), ('u2', 'soporte1', 'soporte')");
    await dataSource.query('CREATE TABLE support_tickets (id integer PRIMARY KEY, title text)');
    await dataSource.query("INSERT INTO support_tickets (title) VALUES ('ticket existente')");
    await dataSource.query('CREATE INDEX ix_users_role ON users (role)');
    const before = await dumpOtherTables();

    await checkAndCreateSupportChatTables(dataSource, silent);
    await checkAndCreateSupportChatTables(dataSource, silent);

    expect(before.tables.map((table) => table.name)).toEqual(['ix_users_role', 'support_tickets', 'users']);
    expect(await dumpOtherTables()).toEqual(before);
  });

  it('adds only the missing columns and indexes to a chat table created by an older version', async () => {
    await dataSource.query(`CREATE TABLE support_conversation_participants (
      id varchar(36) PRIMARY KEY NOT NULL, conversation_id varchar(36) NOT NULL, user_id varchar(36) NOT NULL,
      participant_role varchar(16) NOT NULL, joined_at datetime NOT NULL, last_read_at datetime, last_read_message_id varchar(36))`);
    await dataSource.query("INSERT INTO support_conversation_participants VALUES ('p1', 'c1', 'u1', 'candidate', '2026-01-01 00:00:00.000', NULL, NULL)");

    const report = await checkAndCreateSupportChatTables(dataSource, silent);

    expect(report.createdTables).toEqual(SUPPORT_CHAT_TABLE_NAMES.filter((name) => name !== 'support_conversation_participants'));
    expect(report.addedColumns).toEqual(['support_conversation_participants.last_read_seq']);
    expect(report.createdIndices).toEqual(['uq_support_participants_conversation_user', 'ix_support_participants_user']);
    expect(await dataSource.query('SELECT id, last_read_seq FROM support_conversation_participants')).toEqual([{ id: 'p1', last_read_seq: 0 }]);
  });

  it('logs what it did', async () => {
    const lines: string[] = [];
    await checkAndCreateSupportChatTables(dataSource, { log: (line: string) => lines.push(line) });
    expect(lines).toEqual(
      expect.arrayContaining(['created table support_conversations', `support chat schema updated (${SUPPORT_CHAT_TABLE_NAMES.length} changes)`]),
    );
    lines.length = 0;
    await checkAndCreateSupportChatTables(dataSource, { log: (line: string) => lines.push(line) });
    expect(lines).toEqual(['support chat schema is up to date']);
  });

  it('keeps the entities and the schema description in agreement', () => {
    for (const table of SUPPORT_CHAT_SCHEMA) {
      const metadata = dataSource.entityMetadatas.find((entity) => entity.tableName === table.name);
      expect(metadata).toBeDefined();
      expect(metadata!.columns.map((column) => column.databaseName).sort()).toEqual(table.columns.map((column) => column.name).sort());
      expect(metadata!.indices.map((index) => index.name).sort()).toEqual(table.indices.map((index) => index.name).sort());
      for (const index of table.indices) {
        const entityIndex = metadata!.indices.find((candidate) => candidate.name === index.name)!;
        expect({ name: index.name, columns: entityIndex.columns.map((column) => column.databaseName), unique: entityIndex.isUnique }).toEqual({
          name: index.name,
          columns: index.columns,
          unique: index.unique ?? false,
        });
      }
      for (const column of table.columns) {
        const entityColumn = metadata!.columns.find((candidate) => candidate.databaseName === column.name)!;
        expect({ column: column.name, nullable: entityColumn.isNullable }).toEqual({ column: column.name, nullable: column.nullable ?? false });
      }
    }
  });
});

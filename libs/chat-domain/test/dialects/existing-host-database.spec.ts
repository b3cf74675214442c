import { createHash } from 'node:crypto';

import { Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';

import { checkAndCreateSupportChatTables } from '../../src/persistence/schema/check-and-create-support-chat-tables';
import { SUPPORT_CHAT_TABLE_NAMES } from '../../src/persistence/schema/support-chat.schema';
import { createChatTestApp } from '../../src/testing/chat-test-app';
import { DIALECT, DIALECT_LABEL, DialectDatabase, listTables, openDialectDatabase } from './dialect-database';

const silent = { log: () => undefined };

/** The host's tables, written in each dialect's own DDL as a host would have them. */
const HOST_DDL: Record<string, string[]> = {
  sqlite: [
    `CREATE TABLE users (id varchar(36) PRIMARY KEY NOT NULL, username varchar(150) NOT NULL UNIQUE, full_name varchar(255) NOT NULL, role varchar(40) NOT NULL, is_active boolean NOT NULL DEFAULT 1, created_at datetime NOT NULL)`,
    `CREATE INDEX ix_users_role ON users (role)`,
    `CREATE TABLE support_tickets (id integer PRIMARY KEY AUTOINCREMENT, user_id varchar(36) NOT NULL REFERENCES users (id) ON DELETE CASCADE, title text NOT NULL, status varchar(20) NOT NULL DEFAULT 'open', created_at datetime NOT NULL)`,
    `CREATE TABLE exams (code varchar(20) PRIMARY KEY, title text, score numeric(5,2))`,
    `CREATE VIEW open_tickets AS SELECT id, title FROM support_tickets WHERE status = 'open'`,
  ],
  postgres: [
    `CREATE TABLE users (id varchar(36) PRIMARY KEY, username varchar(150) NOT NULL UNIQUE, full_name varchar(255) NOT NULL, role varchar(40) NOT NULL, is_active boolean NOT NULL DEFAULT true, created_at timestamptz NOT NULL)`,
    `CREATE INDEX ix_users_role ON users (role)`,
    `CREATE TABLE support_tickets (id serial PRIMARY KEY, user_id varchar(36) NOT NULL REFERENCES users (id) ON DELETE CASCADE, title text NOT NULL, status varchar(20) NOT NULL DEFAULT 'open', created_at timestamptz NOT NULL)`,
    `CREATE TABLE exams (code varchar(20) PRIMARY KEY, title text, score numeric(5,2))`,
    `CREATE VIEW open_tickets AS SELECT id, title FROM support_tickets WHERE status = 'open'`,
  ],
  mariadb: [
    `CREATE TABLE users (id varchar(36) PRIMARY KEY, username varchar(150) NOT NULL UNIQUE, full_name varchar(255) NOT NULL, role varchar(40) NOT NULL, is_active tinyint(1) NOT NULL DEFAULT 1, created_at datetime(3) NOT NULL) CHARACTER SET utf8mb4`,
    `CREATE INDEX ix_users_role ON users (role)`,
    `CREATE TABLE support_tickets (id int AUTO_INCREMENT PRIMARY KEY, user_id varchar(36) NOT NULL, title text NOT NULL, status varchar(20) NOT NULL DEFAULT 'open', created_at datetime(3) NOT NULL, CONSTRAINT fk_tickets_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE) CHARACTER SET utf8mb4`,
    `CREATE TABLE exams (code varchar(20) PRIMARY KEY, title text, score decimal(5,2)) CHARACTER SET latin1`,
    `CREATE VIEW open_tickets AS SELECT id, title FROM support_tickets WHERE status = 'open'`,
  ],
  // Not run here (no SQL Server on this machine); used by `npm run test:mssql`.
  mssql: [
    `CREATE TABLE users (id nvarchar(36) NOT NULL CONSTRAINT pk_users PRIMARY KEY, username nvarchar(150) NOT NULL CONSTRAINT uq_users_username UNIQUE, full_name nvarchar(255) NOT NULL, role nvarchar(40) NOT NULL, is_active bit NOT NULL CONSTRAINT df_users_active DEFAULT 1, created_at datetime2(3) NOT NULL)`,
    `CREATE INDEX ix_users_role ON users (role)`,
    `CREATE TABLE support_tickets (id int IDENTITY(1,1) NOT NULL CONSTRAINT pk_tickets PRIMARY KEY, user_id nvarchar(36) NOT NULL CONSTRAINT fk_tickets_user REFERENCES users (id) ON DELETE CASCADE, title nvarchar(max) NOT NULL, status nvarchar(20) NOT NULL CONSTRAINT df_tickets_status DEFAULT 'open', created_at datetime2(3) NOT NULL)`,
    `CREATE TABLE exams (code nvarchar(20) NOT NULL CONSTRAINT pk_exams PRIMARY KEY, title nvarchar(max), score decimal(5,2))`,
    `CREATE VIEW open_tickets AS SELECT id, title FROM support_tickets WHERE status = 'open'`,
  ],
};

const HOST_DATA_DIALECT = DIALECT === 'postgres' ? (sql: string) => sql : (sql: string) => sql.replace(/\bTRUE\b/g, '1').replace(/\bFALSE\b/g, '0');
const HOST_DATA = [
  `INSERT INTO users (id, username, full_name, role, is_active, created_at) VALUES ('u-1', 'candidato1', 'Carla Peña 😀', 'candidato', TRUE, '2025-01-02 03:04:05.678'), ('u-2', 'soporte1', 'Sofía', 'soporte', FALSE, '2025-02-03 04:05:06.789')`,
  `INSERT INTO support_tickets (user_id, title, created_at) VALUES ('u-1', 'No carga el examen', '2025-03-04 05:06:07.123'), ('u-2', 'Ticket "con comillas" y ñ', '2025-03-05 06:07:08.456')`,
  `INSERT INTO exams (code, title, score) VALUES ('EX-1', 'Matemáticas', 93.5), ('EX-2', NULL, NULL)`,
].map(HOST_DATA_DIALECT);

/** Schema of every object that is not the chat's, in the dialect's own words, plus every row. */
async function dumpHostObjects(dataSource: DataSource): Promise<{ schema: unknown; rows: Record<string, unknown[]>; checksum: string }> {
  const q = (sql: string) => dataSource.query(sql);
  const chat = new Set<string>(SUPPORT_CHAT_TABLE_NAMES);
  const tables = (await listTables(dataSource)).filter((name) => !chat.has(name));
  let schema: unknown;
  switch (DIALECT) {
    case 'sqlite':
      schema = await q(
        `SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'support_conv%' AND name NOT LIKE 'support_messages%' AND tbl_name NOT IN (${[...chat].map((name) => `'${name}'`).join(', ')}) ORDER BY type, name`,
      );
      break;
    case 'postgres':
      schema = {
        columns:
          await q(`SELECT table_name, column_name, ordinal_position, data_type, character_maximum_length, numeric_precision, numeric_scale, is_nullable, column_default
                            FROM information_schema.columns WHERE table_schema = current_schema() AND table_name NOT LIKE 'support\\_%' ORDER BY table_name, ordinal_position`),
        indexes: await q(
          `SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() AND tablename NOT LIKE 'support\\_%' ORDER BY indexname`,
        ),
        constraints: await q(`SELECT conrelid::regclass::text AS table_name, conname, pg_get_constraintdef(oid) AS definition FROM pg_constraint
                               WHERE connamespace = current_schema()::regnamespace AND conrelid::regclass::text NOT LIKE 'support\\_%' ORDER BY conname`),
        views: await q(`SELECT viewname, definition FROM pg_views WHERE schemaname = current_schema() ORDER BY viewname`),
        sequences: await q(`SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = current_schema() ORDER BY sequencename`),
      };
      break;
    case 'mariadb':
      schema = await Promise.all(
        [...tables, 'open_tickets'].map(async (name) => {
          const [row] = await q(`SHOW CREATE TABLE \`${name}\``);
          return row;
        }),
      );
      break;
    case 'mssql':
      schema = {
        columns:
          await q(`SELECT TABLE_NAME, COLUMN_NAME, ORDINAL_POSITION, DATA_TYPE, CHARACTER_MAXIMUM_LENGTH, NUMERIC_PRECISION, NUMERIC_SCALE, IS_NULLABLE, COLUMN_DEFAULT, COLLATION_NAME
                            FROM INFORMATION_SCHEMA.COLUMNS WHERE TABLE_NAME NOT LIKE 'support[_]%' ORDER BY TABLE_NAME, ORDINAL_POSITION`),
        indexes: await q(`SELECT t.name AS table_name, i.name, i.type_desc, i.is_unique, c.name AS column_name, ic.key_ordinal FROM sys.indexes i
                            JOIN sys.tables t ON t.object_id = i.object_id JOIN sys.index_columns ic ON ic.object_id = i.object_id AND ic.index_id = i.index_id
                            JOIN sys.columns c ON c.object_id = ic.object_id AND c.column_id = ic.column_id
                           WHERE t.name NOT LIKE 'support[_]%' ORDER BY t.name, i.name, ic.key_ordinal`),
        constraints: await q(
          `SELECT name, type_desc, OBJECT_NAME(parent_object_id) AS table_name FROM sys.objects WHERE type IN ('PK', 'UQ', 'F', 'D', 'C') AND OBJECT_NAME(parent_object_id) NOT LIKE 'support[_]%' ORDER BY name`,
        ),
        views: await q(`SELECT name, OBJECT_DEFINITION(object_id) AS definition FROM sys.views ORDER BY name`),
      };
      break;
    default:
      throw new Error(`no dump for ${String(DIALECT)}`);
  }
  const rows: Record<string, unknown[]> = {};
  for (const table of tables.filter((name) => name !== 'open_tickets')) rows[table] = await q(`SELECT * FROM ${table} ORDER BY 1`);
  rows.open_tickets = await q('SELECT * FROM open_tickets ORDER BY 1');
  const checksum = createHash('sha256')
    .update(
      JSON.stringify({ schema, rows }, (_, value) => (value instanceof Date ? value.toISOString() : Buffer.isBuffer(value) ? value.toString('hex') : value)),
    )
    .digest('hex');
  return { schema, rows, checksum };
}

/**
 * The spec's promise for Azure DB: the start-up migration only creates the chat's tables and never
 * touches the host's. Run against a database that already holds a host's tables and data.
 */
describe(`existing host database (${DIALECT_LABEL})`, () => {
  let db: DialectDatabase;

  beforeAll(() => Logger.overrideLogger(false));
  beforeEach(async () => {
    db = await openDialectDatabase();
    for (const sql of [...HOST_DDL[DIALECT], ...HOST_DATA]) await db.dataSource.query(sql);
  });
  afterEach(() => db?.dispose());

  it('creates only the chat tables, once, and leaves every other table, index, constraint, view and row byte-for-byte unchanged', async () => {
    const before = await dumpHostObjects(db.dataSource);
    const hostTables = await listTables(db.dataSource);
    expect(before.rows.users).toHaveLength(2);

    const first = await checkAndCreateSupportChatTables(db.dataSource, silent);
    const afterFirst = await dumpHostObjects(db.dataSource);
    const second = await checkAndCreateSupportChatTables(db.dataSource, silent);
    const afterSecond = await dumpHostObjects(db.dataSource);

    // The message search objects (issue 16) are the chat's own too (engine-specific: FTS table, function, index).
    const { createdSearchObjects, ...created } = first;
    expect(created).toEqual({ createdTables: [...SUPPORT_CHAT_TABLE_NAMES], addedColumns: [], createdIndices: [] });
    for (const object of createdSearchObjects ?? []) expect(object).toMatch(/support_/);
    expect(second).toEqual({ createdTables: [], addedColumns: [], createdIndices: [] });
    expect(afterFirst).toEqual(before);
    expect(afterSecond.checksum).toBe(before.checksum);
    expect(await listTables(db.dataSource)).toEqual([...hostTables, ...SUPPORT_CHAT_TABLE_NAMES].sort());
  });

  it('boots the chat module twice on that database and the chat works beside the host tables', async () => {
    const before = await dumpHostObjects(db.dataSource);
    const options = db.dataSource.options;
    for (let boot = 0; boot < 2; boot++) {
      const ctx = await createChatTestApp({ database: options });
      try {
        const conversation = await ctx
          .as('candidate1')
          .post('/api/support/chat/conversations')
          .send({ subject: `arranque ${boot + 1}` })
          .expect(201);
        await ctx
          .as('candidate1')
          .post(`/api/support/chat/conversations/${conversation.body.conversation.id}/messages`)
          .send({ content: 'Hola 😀' })
          .expect(201);
      } finally {
        await ctx.close();
      }
    }
    expect((await dumpHostObjects(db.dataSource)).checksum).toBe(before.checksum);
    expect(Number((await db.dataSource.query('SELECT COUNT(*) AS n FROM support_conversations'))[0].n)).toBe(2);
  });
});

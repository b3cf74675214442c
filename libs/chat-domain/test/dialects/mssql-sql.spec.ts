import { Logger } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { getMetadataStorage, validate } from 'class-validator';
import { DataSource, QueryBuilder } from 'typeorm';

import { SCHEMA_LIMITS } from '../../src/config/support-chat.config';
import { CreateConversationDto, ListConversationsQueryDto, UpdateConversationDto } from '../../src/conversations/dto/conversation-requests.dto';
import { AttachmentInputDto, SendMessageDto } from '../../src/messages/dto/message-requests.dto';
import { SUPPORT_CHAT_ENTITIES } from '../../src/persistence/entities';
import { ensureSupportChatSchema } from '../../src/persistence/schema/check-and-create-support-chat-tables';
import { SUPPORT_CHAT_SCHEMA } from '../../src/persistence/schema/support-chat.schema';
import { MarkReadDto } from '../../src/read-state/dto/mark-read.dto';
import { ChatScenario } from '../../src/testing/chat-scenario';
import { ChatTestApp, createChatTestApp } from '../../src/testing/chat-test-app';

/**
 * SQL Server (Azure SQL) cannot run on this machine, so this proves what can be proven without one:
 * the DDL the chat generates for `mssql`, and the SQL of every query the module issues, rendered by
 * TypeORM's SQL Server driver from a DataSource that never connects.
 */

/** A `type: 'mssql'` DataSource with its metadata built, never connected. */
async function offlineSqlServer(): Promise<DataSource> {
  const dataSource = new DataSource({
    type: 'mssql',
    driver: require('mssql'),
    host: 'offline.invalid',
    database: 'support_chat',
    entities: [...SUPPORT_CHAT_ENTITIES],
    options: { encrypt: true },
  });
  // `buildMetadatas()` is what `initialize()` runs after connecting; it needs no connection.
  await (dataSource as unknown as { buildMetadatas(): Promise<void> }).buildMetadatas();
  return dataSource;
}

/** The DDL `ensureSupportChatSchema()` runs on an empty SQL Server database, collected in memory. */
async function generateDdl(dataSource: DataSource): Promise<string[]> {
  const runner = dataSource.createQueryRunner();
  // An empty database: nothing exists yet. These are the only two reads the schema check makes (it
  // inspects the tables that exist with one getTables()).
  runner.getTables = async () => [];
  runner.hasTable = async () => false;
  // The message search asks whether full-text search is installed: not here (its DDL is not built offline).
  runner.query = (async () => []) as unknown as typeof runner.query;
  runner.enableSqlMemory();
  await ensureSupportChatSchema(runner);
  const sql = runner.getMemorySql().upQueries.map((query) => query.query);
  runner.disableSqlMemory();
  return sql;
}

/**
 * Runs the module on SQLite and, for every query builder that executes, also renders its SQL with the
 * SQL Server driver (same expression map, `dataSource` swapped). Every query the services build goes
 * through `QueryBuilder.getQueryAndParameters()`, including repository `find*`, `insert`, `update`,
 * `exists` and `count`.
 */
function captureAsSqlServer(source: DataSource, target: DataSource) {
  const original = QueryBuilder.prototype.getQueryAndParameters;
  const captured: string[] = [];
  const failures: { sql: string; error: string }[] = [];
  QueryBuilder.prototype.getQueryAndParameters = function (this: QueryBuilder<object>) {
    const result = original.call(this);
    if (this.connection === source) {
      const asSqlServer = Object.create(this) as QueryBuilder<object>;
      Object.defineProperty(asSqlServer, 'dataSource', { value: target });
      try {
        captured.push(original.call(asSqlServer)[0]);
      } catch (error) {
        failures.push({ sql: result[0], error: String(error) });
      }
    }
    return result;
  } as typeof original;
  return { captured, failures, restore: () => (QueryBuilder.prototype.getQueryAndParameters = original) };
}

/** Every `(SELECT ...)` in `sql`, with its own text (balanced parentheses). */
function subqueries(sql: string): string[] {
  const found: string[] = [];
  for (let start = sql.indexOf('('); start !== -1; start = sql.indexOf('(', start + 1)) {
    if (!/^\(\s*SELECT\b/i.test(sql.slice(start))) continue;
    let depth = 0;
    for (let i = start; i < sql.length; i++) {
      if (sql[i] === '(') depth++;
      else if (sql[i] === ')' && --depth === 0) {
        found.push(sql.slice(start + 1, i));
        break;
      }
    }
  }
  return found;
}

/** `sql` with nested parenthesised parts blanked, so keywords of inner queries do not count for the outer one. */
function topLevel(sql: string): string {
  let depth = 0;
  let out = '';
  for (const char of sql) {
    if (char === '(') depth++;
    out += depth === 0 ? char : ' ';
    if (char === ')') depth--;
  }
  return out;
}

/** Strips quoted literals and bracketed identifiers so that their content never looks like SQL. */
function withoutLiterals(sql: string): string {
  return sql.replace(/'(?:[^']|'')*'/g, "''").replace(/\[[^\]]*\]/g, '[x]');
}

describe('SQL Server (Azure SQL) without a server', () => {
  let sqlServer: DataSource;
  beforeAll(async () => {
    Logger.overrideLogger(false);
    sqlServer = await offlineSqlServer();
  });

  describe('DDL generated for mssql', () => {
    let ddl: string[];
    beforeAll(async () => {
      ddl = await generateDdl(sqlServer);
    });

    const createTable = (name: string) =>
      ddl.find((sql) => sql.startsWith(`CREATE TABLE "support_chat"."dbo"."${name}"`) || sql.startsWith(`CREATE TABLE "${name}"`))!;
    const columnDefinition = (table: string, column: string) => {
      const match = new RegExp(`"${column}" ([^,]+?)(?:, "|, CONSTRAINT|\\)$)`).exec(createTable(table));
      return match?.[1] ?? '';
    };

    it('creates the three tables with their indexes', () => {
      for (const table of SUPPORT_CHAT_SCHEMA) {
        expect(createTable(table.name)).toBeDefined();
        for (const index of table.indices) {
          expect(ddl.some((sql) => new RegExp(`CREATE ${index.unique ? 'UNIQUE ' : ''}INDEX "${index.name}"`).test(sql))).toBe(true);
        }
      }
    });

    it('stores every text column as NVARCHAR (Unicode), long text as NVARCHAR(MAX), never VARCHAR/TEXT/NTEXT', () => {
      for (const table of SUPPORT_CHAT_SCHEMA) {
        for (const column of table.columns) {
          const definition = columnDefinition(table.name, column.name);
          if (column.type === 'id')
            expect({ column: column.name, definition }).toEqual({ column: column.name, definition: expect.stringMatching(/^nvarchar\(36\)/) });
          if (column.type === 'short_text')
            expect({ column: column.name, definition }).toEqual({
              column: column.name,
              definition: expect.stringMatching(new RegExp(`^nvarchar\\(${column.length}\\)`)),
            });
          if (column.type === 'long_text')
            expect({ column: column.name, definition }).toEqual({ column: column.name, definition: expect.stringMatching(/^nvarchar\(MAX\)/) });
        }
      }
      expect(withoutLiterals(ddl.join('\n'))).not.toMatch(/\b(varchar|text|ntext|char)\b/i);
    });

    it('stores timestamps as datetime2 (never datetime, whose 3.33 ms ticks reorder messages)', () => {
      for (const table of SUPPORT_CHAT_SCHEMA) {
        for (const column of table.columns.filter((c) => c.type === 'timestamp')) {
          expect({ column: column.name, definition: columnDefinition(table.name, column.name) }).toEqual({
            column: column.name,
            definition: expect.stringMatching(/^datetime2\(3\)/),
          });
        }
      }
      expect(ddl.join('\n')).not.toMatch(/\bdatetime\b(?!2)/i);
    });

    it('has no multiple cascade paths: every foreign key is NO ACTION and the FK graph has one path per pair', () => {
      const fks = SUPPORT_CHAT_SCHEMA.flatMap((table) => table.foreignKeys.map((fk) => ({ from: table.name, to: fk.referencedTable })));
      const joined = ddl.join('\n');
      expect(joined).not.toMatch(/ON (DELETE|UPDATE) (CASCADE|SET NULL|SET DEFAULT)/i);
      expect((joined.match(/FOREIGN KEY/g) ?? []).length).toBe(fks.length);
      // Count the distinct paths between every pair of tables: SQL Server rejects a second cascading one.
      const paths = (from: string, to: string): number => fks.filter((fk) => fk.from === from).reduce((n, fk) => n + (fk.to === to ? 1 : paths(fk.to, to)), 0);
      for (const a of SUPPORT_CHAT_SCHEMA)
        for (const b of SUPPORT_CHAT_SCHEMA)
          expect({ from: a.name, to: b.name, paths: Math.min(paths(a.name, b.name), 1) }).toEqual({ from: a.name, to: b.name, paths: paths(a.name, b.name) });
    });

    it('keeps every identifier within SQL Server limits (128 characters)', () => {
      const names = SUPPORT_CHAT_SCHEMA.flatMap((table) => [
        table.name,
        table.primaryKeyName,
        ...table.columns.map((c) => c.name),
        ...table.indices.map((i) => i.name),
        ...table.foreignKeys.map((f) => f.name),
      ]);
      const quoted = ddl.flatMap((sql) => [...sql.matchAll(/"([^"]+)"/g)].map((match) => match[1]));
      // Includes the DEFAULT constraints' names, which TypeORM derives from table and column names.
      expect([...names, ...quoted].filter((name) => name.length > 128)).toEqual([]);
    });
  });

  describe('queries the module issues, rendered for mssql', () => {
    let ctx: ChatTestApp;
    let capture: ReturnType<typeof captureAsSqlServer>;

    beforeAll(async () => {
      // Always SQLite underneath: the point is the SQL Server rendering, not the server.
      const { default: BetterSqlite3 } = await import('better-sqlite3');
      const { mkdtempSync } = await import('node:fs');
      const { tmpdir } = await import('node:os');
      const { join } = await import('node:path');
      ctx = await createChatTestApp({
        database: { type: 'better-sqlite3', driver: BetterSqlite3, database: join(mkdtempSync(join(tmpdir(), 'support-chat-mssql-')), 'chat.sqlite') },
      });
      capture = captureAsSqlServer(ctx.dataSource, sqlServer);
      await exerciseEveryEndpoint(ctx);
      capture.restore();
    }, 60_000);
    afterAll(async () => {
      capture?.restore();
      await ctx?.close();
    });

    it('renders every query without error (and captured a meaningful set)', () => {
      expect(capture.failures).toEqual([]);
      // Each repository statement is rendered once (then cached), so this counts statements, not calls;
      // the full list per dialect is in src/persistence/queries/*.mssql.sql.
      expect(capture.captured.length).toBeGreaterThan(25);
      const kinds = new Set(capture.captured.map((sql) => sql.split(/\s/)[0].toUpperCase()));
      expect([...kinds].sort()).toEqual(['INSERT', 'SELECT', 'UPDATE']);
    });

    it('never puts ORDER BY in a subquery without TOP or OFFSET (SQL Server rejects it)', () => {
      const offending = capture.captured.flatMap((sql) =>
        subqueries(withoutLiterals(sql))
          .map(topLevel)
          .filter((inner) => /\bORDER BY\b/i.test(inner) && !/\bTOP\b|\bOFFSET\b/i.test(inner))
          .map((inner) => ({ sql, inner })),
      );
      expect(offending).toEqual([]);
    });

    it('paginates with ORDER BY ... OFFSET n ROWS FETCH NEXT m ROWS ONLY, never LIMIT', () => {
      const all = capture.captured.map(withoutLiterals);
      expect(all.filter((sql) => /\bLIMIT\b/i.test(sql))).toEqual([]);
      const paginated = all.filter((sql) => /\bOFFSET\b/i.test(sql) || /\bFETCH\b/i.test(sql));
      expect(paginated.length).toBeGreaterThan(0);
      for (const sql of paginated) {
        for (const query of [sql, ...subqueries(sql)]) {
          const level = topLevel(query);
          if (!/\bOFFSET\b/i.test(level)) continue;
          expect({ query: level, ok: /\bORDER BY\b[\s\S]+\bOFFSET \d+ ROWS( FETCH NEXT \d+ ROWS ONLY)?\s*$/i.test(level.trim()) }).toEqual({
            query: level,
            ok: true,
          });
        }
      }
      // The inbox pages with OFFSET/FETCH over an explicit order.
      expect(
        all.some((sql) =>
          /FROM "support_conversations" "c"[\s\S]*ORDER BY "c"\."last_message_at" DESC, "c"\."id" DESC OFFSET \d+ ROWS FETCH NEXT \d+ ROWS ONLY/i.test(sql),
        ),
      ).toBe(true);
    });

    it('uses only T-SQL: no boolean literals, no backticks, no ILIKE, no || concatenation, no RETURNING', () => {
      const all = capture.captured.map(withoutLiterals).join('\n');
      expect(all).not.toMatch(/[=<>]\s*(true|false)\b/i);
      expect(all).not.toMatch(/`/);
      expect(all).not.toMatch(/\bILIKE\b/i);
      expect(all).not.toMatch(/\|\|/);
      expect(all).not.toMatch(/\bRETURNING\b/i);
    });

    it('escapes LIKE patterns with an explicit ESCAPE character (brackets are wildcards on SQL Server)', () => {
      const likes = capture.captured.filter((sql) => /\bLIKE\b/i.test(sql));
      expect(likes.length).toBeGreaterThan(0);
      // Executed queries show the driver's placeholders (@0); compiled statements (CompiledQuery) their named ones.
      for (const sql of likes) expect(sql).toMatch(/LIKE (@\d+|:\w+) ESCAPE '!'/);
    });
  });

  describe('string lengths are enforced before they reach the database', () => {
    /** DTO field -> the column it is stored in. */
    const STORED: { dto: new () => object; property: string; table: string; column: string }[] = [
      { dto: CreateConversationDto, property: 'subject', table: 'support_conversations', column: 'subject' },
      { dto: CreateConversationDto, property: 'candidate_user_id', table: 'support_conversations', column: 'candidate_user_id' },
      { dto: UpdateConversationDto, property: 'assigned_support_user_id', table: 'support_conversations', column: 'assigned_support_user_id' },
      { dto: AttachmentInputDto, property: 'url', table: 'support_messages', column: 'attachment_url' },
      { dto: AttachmentInputDto, property: 'name', table: 'support_messages', column: 'attachment_name' },
      { dto: AttachmentInputDto, property: 'mime_type', table: 'support_messages', column: 'attachment_mime_type' },
      { dto: MarkReadDto, property: 'last_message_id', table: 'support_conversation_participants', column: 'last_read_message_id' },
    ];
    const columnLength = (table: string, column: string) =>
      SUPPORT_CHAT_SCHEMA.find((t) => t.name === table)!.columns.find((c) => c.name === column)!.length ?? 36;

    it.each(STORED.map((entry) => [`${entry.dto.name}.${entry.property}`, entry] as const))('%s has a validated maximum that fits its column', (_, entry) => {
      const constraints = getMetadataStorage()
        .getTargetValidationMetadatas(entry.dto, '', true, false)
        .filter((meta) => meta.propertyName === entry.property);
      const maxima = constraints.filter((meta) => meta.name === 'maxLength' || meta.name === 'maxUtf16Length').map((meta) => meta.constraints[0] as number);
      const isUuid = constraints.some((meta) => meta.name === 'isUuid');
      expect({ field: entry.property, bounded: maxima.length > 0 || isUuid }).toEqual({ field: entry.property, bounded: true });
      if (maxima.length > 0) expect(Math.min(...maxima)).toBeLessThanOrEqual(columnLength(entry.table, entry.column));
    });

    it.each(
      STORED.filter((entry) => !entry.column.endsWith('_id') && entry.property !== 'mime_type').map(
        (entry) => [`${entry.dto.name}.${entry.property}`, entry] as const,
      ),
    )('%s rejects a value that fits the limit in characters but not NVARCHAR(n), which counts UTF-16 units (emoji = 2)', async (_, entry) => {
      const length = columnLength(entry.table, entry.column);
      const emoji = '\u{1F600}'.repeat(Math.ceil(length / 2) + 1); // fewer characters than the column, more UTF-16 units
      const base = entry.dto === AttachmentInputDto ? { url: 'https://files.example.com/a.png', name: 'a.png', mime_type: 'image/png', size_bytes: 1 } : {};
      const value = entry.property === 'url' ? `https://files.example.com/${emoji}` : emoji;
      const errors = await validate(plainToInstance(entry.dto, { ...base, [entry.property]: value }));
      expect({ field: entry.property, utf16: value.length, column: length, rejected: errors.some((error) => error.property === entry.property) }).toEqual({
        field: entry.property,
        utf16: value.length,
        column: length,
        rejected: true,
      });
    });

    it('content (NVARCHAR(MAX)) and the configurable subject limit stay within the schema limits', () => {
      const contentMax = getMetadataStorage()
        .getTargetValidationMetadatas(SendMessageDto, '', true, false)
        .filter((meta) => meta.propertyName === 'content' && meta.name === 'maxLength')
        .map((meta) => meta.constraints[0] as number);
      expect(contentMax).toEqual([SCHEMA_LIMITS.messageLength]);
      const subjectColumn = columnLength('support_conversations', 'subject');
      expect(SCHEMA_LIMITS.subjectLength).toBeLessThanOrEqual(subjectColumn);
      expect(ListConversationsQueryDto).toBeDefined();
    });
  });
});

/** Drives every endpoint and branch that issues SQL: create, list (filters, search, pages), send, history, read, status, update. */
async function exerciseEveryEndpoint(ctx: ChatTestApp): Promise<void> {
  const chat = new ChatScenario(ctx);
  const base = '/api/support/chat';
  const mine = await chat.newConversation('candidate1', { subject: 'Examen 100% [urgente] _ya_' });
  const staffMade = await ctx
    .as('support1')
    .post(`${base}/conversations`)
    .send({ candidate_user_id: (await ctx.users.findById('c0000000-0000-4000-8000-000000000002'))!.id, priority: 'high' })
    .expect(201);
  const other = staffMade.body.conversation.id as string;

  await chat.send('candidate1', mine.id, 'Hola 😀');
  await chat.send('support1', mine.id, 'Hola, ¿en qué te ayudo?');
  await ctx
    .as('candidate1')
    .post(`${base}/conversations/${mine.id}/messages`)
    .send({
      content: 'adjunto',
      attachment: { url: 'https://files.example.com/a.png', name: 'a.png', mime_type: 'image/png', size_bytes: 1234 },
      client_message_id: '6f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f',
    })
    .expect(201);
  await ctx
    .as('candidate1')
    .post(`${base}/conversations/${mine.id}/messages`)
    .send({ content: 'adjunto', client_message_id: '6f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f' });
  await chat.send('support2', other, 'Hola Carlos');

  for (const user of ['support1', 'candidate1', 'admin1'] as const) {
    await ctx.as(user).get(`${base}/conversations`).expect(200);
    await ctx.as(user).get(`${base}/conversations?page=2&per_page=1`).expect(200);
    await ctx.as(user).get(`${base}/unread-count`).expect(200);
  }
  const inbox = await ctx.as('support1').get(`${base}/conversations?status=open&assigned_to_me=true`).expect(200);
  if (inbox.headers.etag) await ctx.as('support1').get(`${base}/conversations?status=open&assigned_to_me=true`).set('If-None-Match', inbox.headers.etag);
  await ctx
    .as('support1')
    .get(`${base}/conversations?search=${encodeURIComponent('100% [urg')}`)
    .expect(200);
  await ctx.as('support1').get(`${base}/conversations?search=Carla`).expect(200);

  await ctx.as('candidate1').get(`${base}/conversations/${mine.id}`).expect(200);
  await ctx.as('candidate1').get(`${base}/conversations/${mine.id}/messages?page=1&per_page=2`).expect(200);
  await ctx.as('candidate1').get(`${base}/conversations/${mine.id}/messages?before_seq=3&per_page=2`).expect(200);
  await ctx.as('candidate1').get(`${base}/conversations/${mine.id}/messages?after_seq=1&per_page=2`).expect(200);

  const history = await ctx.as('candidate1').get(`${base}/conversations/${mine.id}/messages`).expect(200);
  await ctx.as('candidate1').post(`${base}/conversations/${mine.id}/read`).send({ last_message_id: history.body.messages[1].id }).expect(200);
  await ctx.as('candidate1').post(`${base}/conversations/${mine.id}/read`).send({}).expect(200);
  await ctx.as('admin1').post(`${base}/conversations/${mine.id}/read`).send({}).expect(200);

  await ctx.as('support1').patch(`${base}/conversations/${mine.id}/status`).send({ status: 'resolved' }).expect(200);
  await chat.send('candidate1', mine.id, 'Sigue fallando'); // reopens
  await ctx
    .as('admin1')
    .patch(`${base}/conversations/${other}`)
    .send({ assigned_support_user_id: 's0000000-0000-4000-8000-000000000001', priority: 'low' })
    .expect(200);
  await ctx.as('admin1').patch(`${base}/conversations/${other}`).send({ assigned_support_user_id: null }).expect(200);
  await ctx.as('support1').patch(`${base}/conversations/${other}/status`).send({ status: 'closed' }).expect(200);
  await ctx.as('support2').post(`${base}/conversations/${other}/messages`).send({ content: 'cerrada' }).expect(409);
}

import { DataSource, EntityManager, ObjectLiteral, QueryFailedError } from 'typeorm';

import { CompiledQuery, EntityMapper, insertAllColumns } from '../../src/persistence/repositories/compiled-query';
import { defineStatement, StatementCache } from '../../src/persistence/repositories/statement-cache';
import { SupportConversationEntity, SupportMessageEntity } from '../../src/persistence/entities';
import { ensureSupportChatSchema } from '../../src/persistence/schema/check-and-create-support-chat-tables';
import { bindIntegerParametersOnSqlite } from '../../src/persistence/sqlite-integer-parameters';
import { isUniqueViolation } from '../../src/persistence/chat-transactions';
import { DIALECT_LABEL, DialectDatabase, openDialectDatabase } from './dialect-database';

/**
 * Compiled statements must read and write exactly what TypeORM's own find/insert do on every dialect:
 * the hot paths (sends, polls, the signed-in user) use them instead of the query builder at run time.
 */
describe(`CompiledQuery and EntityMapper (${DIALECT_LABEL})`, () => {
  let db: DialectDatabase;
  let dataSource: DataSource;
  let conversations: EntityMapper<SupportConversationEntity>;
  let messages: EntityMapper<SupportMessageEntity>;
  let seq = 0;
  /** The repositories' INSERT path: every column, values converted by the mapper. */
  const insertInto = <T extends object>(mapper: EntityMapper<T>, target: new () => T, entity: T, manager?: EntityManager) =>
    new CompiledQuery(dataSource, () => insertAllColumns(dataSource, target)).execute(mapper.insertParameters(entity), manager);

  beforeAll(async () => {
    db = await openDialectDatabase();
    dataSource = db.dataSource;
    bindIntegerParametersOnSqlite(dataSource);
    const runner = dataSource.createQueryRunner();
    await ensureSupportChatSchema(runner);
    await runner.release();
    conversations = new EntityMapper(dataSource, SupportConversationEntity);
    messages = new EntityMapper(dataSource, SupportMessageEntity);
  }, 60_000);
  afterAll(() => db?.dispose());

  const uuid = (prefix: string) => `${prefix}${String(++seq).padStart(7, '0')}-0000-4000-8000-000000000000`;

  const newConversation = (overrides: Partial<SupportConversationEntity> = {}): SupportConversationEntity =>
    Object.assign(new SupportConversationEntity(), {
      id: uuid('a'),
      candidateUserId: uuid('c'),
      createdByUserId: uuid('c'),
      assignedSupportUserId: null,
      subject: 'Revisión de examen ñandú 🚀',
      status: 'open',
      priority: 'normal',
      // Milliseconds matter: messages are ordered and versioned by these values.
      createdAt: new Date('2026-03-04T05:06:07.089Z'),
      updatedAt: new Date('2026-03-04T05:06:08.123Z'),
      lastMessageAt: new Date('2026-03-04T05:06:08.123Z'),
      lastMessageSeq: 2,
      lastCandidateMessageSeq: 2,
      lastStaffMessageSeq: 0,
      unansweredCandidateMessages: 2,
      firstCandidateMessageAt: new Date('2026-03-04T05:06:07.500Z'),
      firstResponseAt: null,
      resolutionCount: 0,
      resolvedAt: null,
      arrivedOutsideHours: 1,
      autoReplyPeriod: '2026-03-04T15:00:00.000Z',
      latestRating: 4,
      lastVisibleMessageSeq: 2,
      waitingSince: new Date('2026-03-04T05:06:07.500Z'),
      handlingTier: 'agent',
      escalatedAt: null,
      ...overrides,
    });

  const newMessage = (conversation: SupportConversationEntity, overrides: Partial<SupportMessageEntity> = {}): SupportMessageEntity =>
    Object.assign(new SupportMessageEntity(), {
      id: uuid('b'),
      conversationId: conversation.id,
      seq: 1,
      clientMessageId: uuid('f'),
      senderUserId: conversation.candidateUserId,
      content: 'Hola, ¿me ayudan? 😀',
      messageType: 'attachment',
      attachmentUrl: 'https://files.example.com/a.pdf',
      attachmentName: 'constancia.pdf',
      attachmentMimeType: 'application/pdf',
      attachmentSizeBytes: 3_000_000_000, // beyond 32 bits: a bigint column with a transformer
      createdAt: new Date('2026-03-04T05:06:07.999Z'),
      editedAt: null,
      ...overrides,
    });

  let selectConversation: CompiledQuery | undefined;
  const conversationById = async (id: string, manager?: EntityManager) => {
    selectConversation ??= new CompiledQuery(dataSource, () => dataSource.createQueryBuilder(SupportConversationEntity, 'c').where('c.id = :id'));
    const [row] = await selectConversation.rows({ id }, manager);
    return row ? conversations.fromRow(row, 'c') : null;
  };

  it('inserts an entity that TypeORM reads back unchanged (dates to the millisecond, nulls, Unicode, bigint)', async () => {
    const conversation = newConversation();
    await insertInto(conversations, SupportConversationEntity, conversation);
    const message = newMessage(conversation);
    await insertInto(messages, SupportMessageEntity, message);

    expect(await dataSource.manager.findOneBy(SupportConversationEntity, { id: conversation.id })).toEqual(conversation);
    expect(await dataSource.manager.findOneBy(SupportMessageEntity, { id: message.id })).toEqual(message);
  });

  it('reads rows into the same entities as TypeORM find', async () => {
    const conversation = newConversation({ assignedSupportUserId: uuid('d'), subject: null, status: 'resolved' });
    await dataSource.manager.insert(SupportConversationEntity, conversation);
    const message = newMessage(conversation, {
      messageType: 'text',
      attachmentUrl: null,
      attachmentName: null,
      attachmentMimeType: null,
      attachmentSizeBytes: null,
    });
    await dataSource.manager.insert(SupportMessageEntity, message);

    const read = await conversationById(conversation.id);
    expect(read).toBeInstanceOf(SupportConversationEntity);
    expect(read).toEqual(await dataSource.manager.findOneBy(SupportConversationEntity, { id: conversation.id }));
    expect(read).toEqual(conversation);

    const [row] = await new CompiledQuery(dataSource, () => dataSource.createQueryBuilder(SupportMessageEntity, 'm').where('m.id = :id')).rows({
      id: message.id,
    });
    expect(messages.fromRow(row, 'm')).toEqual(await dataSource.manager.findOneBy(SupportMessageEntity, { id: message.id }));
    expect(await conversationById(uuid('a'))).toBeNull();
  });

  it('converts every raw form of a column as the driver does (the mapper takes shortcuts for the common ones)', () => {
    // What fromRow did before it was compiled: the driver's conversion and setEntityValue, column by column.
    const reference = <T extends object>(target: new () => T, row: Record<string, unknown>, alias: string) => {
      const metadata = dataSource.getMetadata(target);
      const entity = metadata.create() as T;
      for (const column of metadata.columns) {
        column.setEntityValue(entity, dataSource.driver.prepareHydratedValue(row[`${alias}_${column.databaseName}`], column));
      }
      return entity;
    };
    const date = dataSource.getMetadata(SupportMessageEntity).findColumnWithPropertyName('createdAt')!;
    const rawDates: unknown[] = [
      dataSource.driver.preparePersistentValue(new Date('2026-03-04T05:06:07.089Z'), date), // the form the chat writes
      '2026-03-04 05:06:07', // SQLite's datetime('now')
      '2026-03-04T05:06:07.089Z',
      '2026-03-04 05:06:07.089+02:00',
      '2026-03-04 05:06',
      // Near the form the chat writes, but not a date the parser reads as Date.UTC would.
      '2026-02-31 05:06:07.089',
      '2024-02-29 23:59:59.999',
      '2026-13-04 05:06:07.089',
      '2026-00-04 05:06:07.089',
      '2026-03-00 05:06:07.089',
      '2026-03-04 24:00:00.000',
      '2026-03-04 05:60:07.089',
      '2026-03-04 05:06:60.089',
      '0050-03-04 05:06:07.089',
      '2026-03-04 05:06:07,089',
      '2026-03-04 05:06:07.08x',
      '+02026-03-04 05:06:07.0',
      new Date('2026-03-04T05:06:07.089Z'),
      null,
      undefined,
    ];
    for (const raw of rawDates) {
      const row = {
        m_id: uuid('b'),
        m_conversation_id: uuid('a'),
        m_seq: 7,
        m_client_message_id: uuid('f'),
        m_sender_user_id: uuid('c'),
        m_content: raw === null ? null : 'Hola 😀',
        m_message_type: 'text',
        m_attachment_url: null,
        m_attachment_name: null,
        m_attachment_mime_type: null,
        m_attachment_size_bytes: raw === null ? null : '3000000000',
        m_created_at: raw,
        m_edited_at: raw,
      };
      const compiled = messages.fromRow(row, 'm');
      expect(compiled).toBeInstanceOf(SupportMessageEntity);
      // Dates by their time (toEqual never takes two invalid dates as equal), and of the same class.
      const comparable = (entity: object) =>
        Object.fromEntries(Object.entries(entity).map(([key, value]) => [key, value instanceof Date ? `Date(${value.getTime()})` : value]));
      expect(comparable(compiled)).toEqual(comparable(reference(SupportMessageEntity, row, 'm')));
    }
    // Another alias for the same entity reads its own keys.
    const conversation = newConversation();
    const row = Object.fromEntries(
      dataSource
        .getMetadata(SupportConversationEntity)
        .columns.map((column) => [`x_${column.databaseName}`, dataSource.driver.preparePersistentValue(column.getEntityValue(conversation), column)]),
    );
    expect(conversations.fromRow(row, 'x')).toEqual(conversation);
  });

  it('binds the same values and runs the same SQL as the driver, placeholder by placeholder', async () => {
    const statements: { sql: string; values: unknown[] }[] = [];
    const logger = dataSource.logger;
    const logQuery = logger.logQuery.bind(logger);
    logger.logQuery = (sql, values, runner) => {
      statements.push({ sql, values: Array.isArray(values) ? [...(values as unknown[])] : [values] });
      return logQuery(sql, values, runner);
    };
    try {
      const candidate = uuid('c');
      const rows = [newConversation({ candidateUserId: candidate, subject: null }), newConversation({ candidateUserId: candidate })];
      for (const conversation of rows) await insertInto(conversations, SupportConversationEntity, conversation);
      const text = dataSource
        .createQueryBuilder(SupportConversationEntity, 'c')
        .select('c.id', 'id')
        .where('c.candidate_user_id = :candidate AND c.id IN (:...ids) AND c.last_message_seq * 1.0 >= :seq AND c.resolution_count < :big')
        .andWhere('(c.subject = :subject OR :subject IS NULL) AND c.created_at < :before')
        .orderBy('c.id')
        .getQuery();
      const statement = new CompiledQuery(dataSource, () => text);
      const cases: ObjectLiteral[] = [
        { candidate, ids: rows.map((r) => r.id), seq: 2, big: 10, subject: null, before: '9999-12-31 00:00:00.000' },
        { candidate, ids: [rows[1].id], seq: 1, big: 10, subject: rows[1].subject, before: new Date('2030-01-01T00:00:00.000Z') },
        {
          candidate,
          ids: rows.map((r) => r.id),
          seq: 1.5,
          big: () => '10',
          subject: null,
          before: conversations.toColumnValue('createdAt', new Date('2030-01-01T00:00:00.000Z')),
        },
      ];
      for (const parameters of cases) {
        statements.length = 0;
        const [expectedSql, expectedValues] = dataSource.driver.escapeQueryWithParameters(text, parameters);
        const expected = await dataSource.query<{ id: string }[]>(expectedSql, expectedValues);
        const got = await statement.rows<{ id: string }>(parameters);
        expect(got).toEqual(expected);
        expect(got.length).toBeGreaterThan(0);
        expect(statements[1]).toEqual(statements[0]);
      }
    } finally {
      logger.logQuery = logQuery;
    }
  });

  it('binds new values on every run, expands lists, and reports the rows an UPDATE changed', async () => {
    const candidate = uuid('c');
    const rows = [newConversation({ candidateUserId: candidate }), newConversation({ candidateUserId: candidate }), newConversation()];
    for (const conversation of rows) await insertInto(conversations, SupportConversationEntity, conversation);

    const byIds = new CompiledQuery(dataSource, () =>
      dataSource.createQueryBuilder(SupportConversationEntity, 'c').select('c.id', 'id').where('c.id IN (:...ids)'),
    );
    expect((await byIds.rows<{ id: string }>({ ids: [rows[0].id] })).map((row) => row.id)).toEqual([rows[0].id]);
    expect((await byIds.rows<{ id: string }>({ ids: rows.map((row) => row.id) })).map((row) => row.id).sort()).toEqual(rows.map((row) => row.id).sort());

    const bump = new CompiledQuery(dataSource, () =>
      dataSource
        .createQueryBuilder()
        .update(SupportConversationEntity)
        .set({ lastMessageSeq: () => 'last_message_seq + 1', updatedAt: () => ':now' })
        .where('candidate_user_id = :candidate'),
    );
    const now = new Date('2026-05-06T07:08:09.010Z');
    expect(await bump.execute({ candidate, now: conversations.toColumnValue('updatedAt', now) })).toBe(2);
    expect(await bump.execute({ candidate: uuid('c'), now: conversations.toColumnValue('updatedAt', now) })).toBe(0);
    const bumped = await conversationById(rows[1].id);
    expect(bumped).toMatchObject({ lastMessageSeq: 3, updatedAt: now });
    expect(await conversationById(rows[2].id)).toMatchObject({ lastMessageSeq: 2 });
  });

  it('runs inside the caller transaction (a rollback undoes it)', async () => {
    const kept = newConversation();
    const undone = newConversation();
    await dataSource.transaction(async (manager) => insertInto(conversations, SupportConversationEntity, kept, manager));
    await expect(
      dataSource.transaction(async (manager) => {
        await insertInto(conversations, SupportConversationEntity, undone, manager);
        expect(await conversationById(undone.id, manager)).toEqual(undone);
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect(await conversationById(kept.id)).not.toBeNull();
    expect(await conversationById(undone.id)).toBeNull();
  });

  it('builds each statement once, and refuses a builder that already holds values', async () => {
    const compiled = new StatementCache(dataSource);
    let builds = 0;
    const countByStatus = defineStatement({
      name: 'Spec.countByStatus',
      shapes: [{}],
      build: () => {
        builds++;
        return dataSource.createQueryBuilder(SupportConversationEntity, 'c').select('COUNT(*)', 'n').where('c.status = :status');
      },
    });
    const page = defineStatement<{ page: number }>({ name: 'Spec.page', shapes: [], build: () => 'SELECT 1' });
    const statement = compiled.get(countByStatus, {});
    expect(compiled.get(countByStatus, {})).toBe(statement);
    await statement.rows({ status: 'open' });
    await statement.rows({ status: 'closed' });
    await compiled.rows(countByStatus, {}, { status: 'resolved' });
    expect(builds).toBe(1);

    // Least recently used shapes go first: the hot statement survives a walk through many others.
    for (let n = 1; n <= 600; n++) {
      compiled.get(page, { page: n });
      if (n % 100 === 0) compiled.get(countByStatus, {});
    }
    expect(compiled.get(countByStatus, {})).toBe(statement);
    const firstPage = compiled.get(page, { page: 1 });
    expect(compiled.get(page, { page: 1 })).toBe(firstPage); // rebuilt once after eviction, then kept
    expect(builds).toBe(1);

    const frozen = new CompiledQuery(dataSource, () =>
      dataSource.createQueryBuilder(SupportConversationEntity, 'c').where('c.status = :status', { status: 'open' }),
    );
    await expect(frozen.rows({ status: 'closed' })).rejects.toThrow(/takes its values when it runs/);
  });

  describe('named prepared statements', () => {
    const postgres = () => dataSource.options.type === 'postgres';
    /** Which of these texts (with their `:name` placeholders) are prepared on the manager's connection (PostgreSQL). */
    const preparedOn = async (manager: EntityManager, texts: Record<string, { query: string; parameters: ObjectLiteral }>) => {
      const sent = Object.entries(texts).map(([label, { query, parameters }]) => [label, dataSource.driver.escapeQueryWithParameters(query, parameters)[0]]);
      const rows = await manager.query<{ statement: string }[]>('SELECT statement FROM pg_prepared_statements WHERE statement = ANY($1)', [
        sent.map(([, text]) => text),
      ]);
      return sent.filter(([, text]) => rows.some((row) => row.statement === text)).map(([label]) => label);
    };
    const byId = () => dataSource.createQueryBuilder(SupportConversationEntity, 'c').where('c.id = :id');

    it('on PostgreSQL, are prepared on the connection and give the rows of the unnamed statement; elsewhere the option changes nothing', async () => {
      const stored = [newConversation(), newConversation()];
      for (const conversation of stored) await insertInto(conversations, SupportConversationEntity, conversation);
      const prepared = new CompiledQuery(dataSource, byId, { prepared: true });
      const unnamed = new CompiledQuery(dataSource, () => byId().andWhere('1 = 1'));
      await dataSource.transaction(async (manager) => {
        for (const conversation of stored) {
          const rows = await prepared.rows({ id: conversation.id }, manager);
          expect(rows).toEqual(await unnamed.rows({ id: conversation.id }, manager));
          expect(conversations.fromRow(rows[0], 'c')).toEqual(conversation);
        }
        if (postgres()) {
          const texts = { prepared: { query: prepared.query, parameters: { id: '' } }, unnamed: { query: unnamed.query, parameters: { id: '' } } };
          expect(await preparedOn(manager, texts)).toEqual(['prepared']);
        }
      });
      // Outside a transaction, on whichever pooled connection: prepared there on first use.
      expect(await prepared.rows({ id: stored[0].id })).toHaveLength(1);
      // Another compiled statement with the same text shares the connection's prepared statement.
      expect(await new CompiledQuery(dataSource, byId, { prepared: true }).rows({ id: stored[1].id })).toHaveLength(1);
    });

    it('report a failure as TypeORM does (QueryFailedError around the driver error, through the logger), and keep working after it', async () => {
      const conversation = newConversation();
      const insert = new CompiledQuery(dataSource, () => insertAllColumns(dataSource, SupportConversationEntity), { prepared: true });
      const logger = dataSource.logger;
      const [logQuery, logQueryError] = [logger.logQuery, logger.logQueryError];
      const logged: string[] = [];
      const failed: string[] = [];
      logger.logQuery = (sql, values, runner) => {
        logged.push(sql);
        return logQuery.call(logger, sql, values, runner);
      };
      logger.logQueryError = (error, sql, values, runner) => {
        failed.push(sql);
        return logQueryError.call(logger, error, sql, values, runner);
      };
      try {
        expect(await insert.execute(conversations.insertParameters(conversation))).toBe(1);
        const duplicate = await insert.execute(conversations.insertParameters(conversation)).catch((error: unknown) => error);
        expect(duplicate).toBeInstanceOf(QueryFailedError);
        expect(isUniqueViolation(duplicate)).toBe(true);
        expect(logged).toHaveLength(2);
        expect(failed).toEqual([logged[1]]);
        expect(await insert.execute(conversations.insertParameters(newConversation()))).toBe(1);
      } finally {
        logger.logQuery = logQuery;
        logger.logQueryError = logQueryError;
      }
    });

    it('never prepare a statement that takes a list (its text changes with the length), nor a shape its definition does not list', async () => {
      const [first, second] = [newConversation(), newConversation()];
      for (const conversation of [first, second]) await insertInto(conversations, SupportConversationEntity, conversation);
      const byIds = new CompiledQuery(dataSource, () => dataSource.createQueryBuilder(SupportConversationEntity, 'c').where('c.id IN (:...ids)'), {
        prepared: true,
      });
      const cache = new StatementCache(dataSource, { preparedStatements: true });
      const newest = defineStatement<{ limit: number }>({
        name: 'Spec.newest',
        shapes: [{ limit: 1 }],
        build: (source, { limit }) => source.createQueryBuilder(SupportConversationEntity, 'c').where('c.id IN (:first, :second)').orderBy('c.id').limit(limit),
      });
      const pair = { first: first.id, second: second.id };
      await dataSource.transaction(async (manager) => {
        expect(await byIds.rows({ ids: [first.id] }, manager)).toHaveLength(1);
        expect(await byIds.rows({ ids: [first.id, second.id] }, manager)).toHaveLength(2);
        expect(await cache.rows(newest, { limit: 1 }, pair, manager)).toHaveLength(1);
        expect(await cache.rows(newest, { limit: 2 }, pair, manager)).toHaveLength(2);
        if (postgres()) {
          const texts = {
            'list of 1': { query: byIds.query, parameters: { ids: [first.id] } },
            'list of 2': { query: byIds.query, parameters: { ids: [first.id, second.id] } },
            'listed shape': { query: cache.get(newest, { limit: 1 }).query, parameters: pair },
            'other shape': { query: cache.get(newest, { limit: 2 }).query, parameters: pair },
          };
          expect(await preparedOn(manager, texts)).toEqual(['listed shape']);
        }
      });
    });
  });
});

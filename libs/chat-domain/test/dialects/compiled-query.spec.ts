import { DataSource, EntityManager } from 'typeorm';

import { CompiledQuery, EntityMapper, insertAllColumns } from '../../src/persistence/repositories/compiled-query';
import { defineStatement, StatementCache } from '../../src/persistence/repositories/statement-cache';
import { SupportConversationEntity, SupportMessageEntity } from '../../src/persistence/entities';
import { ensureSupportChatSchema } from '../../src/persistence/schema/check-and-create-support-chat-tables';
import { bindIntegerParametersOnSqlite } from '../../src/persistence/sqlite-integer-parameters';
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
});

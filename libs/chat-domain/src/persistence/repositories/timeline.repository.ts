import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager, ObjectLiteral, UpdateQueryBuilder } from 'typeorm';

import { ConversationStatus } from '../../domain/conversation-status';
import { MessageType, STAFF_ONLY_MESSAGE_TYPES } from '../../domain/message-type';
import { ChatErrors } from '../../errors/chat-error';
import { SupportConversationEntity, SupportMessageEntity } from '../entities';
import { ChatStatements } from './chat-statements';
import { insertAllColumns } from './compiled-query';
import { ConversationRepository } from './conversation.repository';
import { ParticipantRepository } from './participant.repository';
import { ReadStateRepository } from './read-state.repository';
import { defineStatement } from './statement-cache';

/** Who writes a timeline entry: a candidate's or staff's message, a `system` line, or staff's internal `note`. */
export type EntryAuthor = 'candidate' | 'staff' | 'system' | 'note';

/** Whose view of the timeline a read serves: candidates never see staff-only entries (notes). */
export type TimelineReader = 'candidate' | 'staff';

/** `AND`-able SQL that keeps only the entries a candidate may see, for the alias `m`. */
const CANDIDATE_VISIBLE = `m.message_type NOT IN (${STAFF_ONLY_MESSAGE_TYPES.map((type) => `'${type}'`).join(', ')})`;

export interface NewTimelineEntry {
  messageType: MessageType;
  content: string | null;
  clientMessageId: string;
  attachment: { url: string; name: string | null; mimeType: string; sizeBytes: number } | null;
  /** A `system` line may change the conversation's status in the same statement. */
  status?: ConversationStatus;
  /**
   * A candidate's message sent outside business hours: marks the conversation as arrived outside hours
   * when it is their first (`arrived_outside_hours`).
   */
  outsideHours?: boolean;
}

export interface AppendedEntry {
  conversation: SupportConversationEntity;
  message: SupportMessageEntity;
}

/**
 * A message appended in ONE statement, so in one network round trip: allocate `seq` and update the
 * conversation's counters (the `allocateSeq` UPDATE, so whatever it maintains is maintained here too),
 * insert the message and move the author's read marker, atomically and under the same row lock as the
 * transaction path. Per dialect:
 * - PostgreSQL: data-modifying CTEs of one statement (atomic without BEGIN/COMMIT);
 * - MariaDB: an anonymous compound statement (`BEGIN NOT ATOMIC ... END`, one statement for the protocol,
 *   no `multipleStatements` needed) that runs the transaction server-side and rolls back on any error,
 *   re-raising it (a duplicate `client_message_id` reaches the caller as ER_DUP_ENTRY); it checks the
 *   participant row and the `client_message_id` through its statements' outcomes (see below);
 * - SQL Server: one batch (`SET XACT_ABORT ON`, `OUTPUT ... INTO` a table variable for the new `seq`),
 *   built and kept in the SQL snapshots but not run yet (see `appendsInOneStatement`): it has never met a
 *   SQL Server; enable it after `npm run test:mssql -- send-round-trips concurrency` passes on one;
 * - SQLite: not built (in-process, no round trips to save).
 *
 * It only handles the common case, and its WHERE says which: the conversation is not closed; a candidate
 * sends in their own conversation that is not `resolved` (else it would reopen, under the open-limit lock);
 * a staff message goes to an already assigned conversation (else it assigns, which is announced); the author
 * already has a participant row (else it is created); and the sender has no message with this
 * `client_message_id` yet (else it is a replay or a conflict). When any of these does not hold, the UPDATE
 * matches no row, nothing is written, no row comes back, and the caller takes the transaction path, which
 * applies the rules and gives the precise answer.
 */
function appendInOneStatementSql(dataSource: DataSource, author: 'candidate' | 'staff'): string {
  const type = dataSource.options.type;
  if (type !== 'postgres' && type !== 'mysql' && type !== 'mariadb' && type !== 'mssql') {
    throw new Error('one-statement append is not built for SQLite (in-process: it has no round trips to save)');
  }
  const q = (name: string) => dataSource.driver.escape(name);
  const messages = q('support_messages');
  const participants = q('support_conversation_participants');
  const update = (TIMELINE_STATEMENTS.allocateSeq.build(dataSource, { author, setsStatus: false }) as UpdateQueryBuilder<ObjectLiteral>).andWhere(
    author === 'candidate' ? "candidate_user_id = :senderId AND status <> 'resolved'" : 'assigned_support_user_id IS NOT NULL',
  );
  const isParticipant = `EXISTS (SELECT 1 FROM ${participants} WHERE conversation_id = :conversationId AND user_id = :senderId)`;
  const isNew = `NOT EXISTS (SELECT 1 FROM ${messages} WHERE sender_user_id = :senderId AND client_message_id = :clientMessageId)`;
  const message = dataSource.getMetadata(SupportMessageEntity);
  const columns = message.columns.map((column) => q(column.databaseName)).join(', ');
  const values = (seq: string) => message.columns.map((column) => (column.propertyName === 'seq' ? seq : `:${column.propertyName}`)).join(', ');
  const conversation = dataSource.getMetadata(SupportConversationEntity);
  const returned = conversation.columns.map((column) => `${q('c')}.${q(column.databaseName)} AS ${q(`c_${column.databaseName}`)}`).join(', ');
  const marker = (seq: string) => `UPDATE ${participants} SET ${q('last_read_seq')} = ${seq}, ${q('last_read_message_id')} = :id, ${q('last_read_at')} = :now`;
  const markerWhere = (seq: string) => `conversation_id = :conversationId AND user_id = :senderId AND last_read_seq < ${seq}`;

  if (type === 'postgres') {
    const seq = `${q('m')}.${q('seq')}`;
    return [
      `WITH ${q('c')} AS (${update.andWhere(isParticipant).andWhere(isNew).returning('*').getQuery()}),`,
      `${q('m')} AS (INSERT INTO ${messages}(${columns}) SELECT ${values(`${q('c')}.${q('last_message_seq')}`)} FROM ${q('c')} RETURNING ${q('seq')}),`,
      `${q('p')} AS (${marker(seq)} FROM ${q('m')} WHERE ${markerWhere(seq)})`,
      `SELECT ${returned} FROM ${q('c')}`,
    ].join('\n');
  }
  if (type === 'mssql') {
    const updateSql = update.getQuery();
    const where = updateSql.indexOf(' WHERE ');
    const seq = `(SELECT ${q('seq')} FROM @seq)`;
    return [
      'SET XACT_ABORT ON;',
      'DECLARE @seq TABLE (seq INT);',
      'BEGIN TRANSACTION;',
      `${updateSql.slice(0, where)} OUTPUT INSERTED.${q('last_message_seq')} INTO @seq${updateSql.slice(where)};`,
      `IF @@ROWCOUNT = 1 AND ${isParticipant} AND ${isNew}`,
      'BEGIN',
      `  INSERT INTO ${messages}(${columns}) SELECT ${values(`${q('s')}.${q('seq')}`)} FROM @seq ${q('s')};`,
      `  ${marker(seq)} WHERE ${markerWhere(seq)};`,
      `  SELECT ${returned} FROM ${q('support_conversations')} ${q('c')} WHERE ${q('c')}.${q('id')} = :conversationId;`,
      '  COMMIT;',
      'END',
      'ELSE ROLLBACK;',
    ].join('\n');
  }
  // MariaDB: no reads of other tables inside the block. A subquery in a stored program's IF takes shared
  // locks, and two sends in one conversation deadlocked on them (found by the concurrency suite). So the
  // locks are taken in the transaction path's order (conversation, message, marker) and the checks are
  // the statements' own outcomes: a `client_message_id` used before fails the INSERT on its unique key
  // (rolled back and re-raised, and the caller then takes the transaction path, which finds that
  // message), and an author without a participant row moves no marker (rolled back, `v_seq` unset).
  return [
    'BEGIN NOT ATOMIC',
    '  DECLARE v_seq INT DEFAULT NULL;',
    '  DECLARE EXIT HANDLER FOR SQLEXCEPTION BEGIN ROLLBACK; RESIGNAL; END;',
    // The isolation of the transaction path (`ChatTransactions`).
    '  SET TRANSACTION ISOLATION LEVEL READ COMMITTED;',
    '  START TRANSACTION;',
    `  ${lockingByPrimaryKey(update.getQuery(), q('support_conversations'))};`,
    '  IF ROW_COUNT() = 1 THEN',
    `    SELECT ${q('last_message_seq')} INTO v_seq FROM ${q('support_conversations')} WHERE ${q('id')} = :conversationId;`,
    `    INSERT INTO ${messages}(${columns}) VALUES (${values('v_seq')});`,
    // The author's marker is always behind the new `seq`: it moves unless they have no participant row.
    `    ${marker('v_seq')} WHERE ${markerWhere('v_seq')};`,
    '    IF ROW_COUNT() = 1 THEN',
    // Read under the row lock, before COMMIT: the conversation as this message left it.
    `      SELECT ${returned} FROM ${q('support_conversations')} ${q('c')} WHERE ${q('c')}.${q('id')} = :conversationId;`,
    '      COMMIT;',
    '    ELSE',
    '      ROLLBACK;',
    '    END IF;',
    '  ELSE',
    '    ROLLBACK;',
    '  END IF;',
    'END',
  ].join('\n');
}

/**
 * MariaDB: makes an `UPDATE <table> SET ... WHERE id = ... AND ...` find its row by the primary key. With
 * `assigned_support_user_id IS NOT NULL` in the WHERE, InnoDB could walk the assignee index instead and lock
 * that index's entries before the row, while a concurrent UPDATE of the same row (found by its key) holds the
 * row and then locks those entries to change them: two sends in one conversation deadlocked (ER_LOCK_DEADLOCK,
 * `SHOW ENGINE INNODB STATUS`). By key, every writer locks the row first.
 */
function lockingByPrimaryKey(updateSql: string, table: string): string {
  const prefix = `UPDATE ${table} SET `;
  if (!updateSql.startsWith(prefix)) throw new Error(`unexpected UPDATE shape: ${updateSql.slice(0, 60)}`);
  return `UPDATE ${table} FORCE INDEX (PRIMARY) SET ${updateSql.slice(prefix.length)}`;
}

/** Every shape of `allocateSeq` (and of `allocateSeqReturning`). */
const ALLOCATE_SEQ_SHAPES: readonly { author: EntryAuthor; setsStatus: boolean }[] = [
  { author: 'candidate', setsStatus: false },
  { author: 'staff', setsStatus: false },
  { author: 'system', setsStatus: false },
  { author: 'system', setsStatus: true },
  { author: 'note', setsStatus: false },
];

export const TIMELINE_STATEMENTS = {
  /**
   * Allocates the next `seq`: increments the conversation's counters in one UPDATE, which on server
   * databases also takes the conversation's row lock until commit (so `seq` is unique and gap-free, and
   * the first staff reply assigns exactly one agent). Messages need a conversation that is not closed;
   * `system` lines (status changes) do not.
   */
  allocateSeq: defineStatement<{ author: EntryAuthor; setsStatus: boolean }>({
    name: 'TimelineRepository.allocateSeq',
    shapes: ALLOCATE_SEQ_SHAPES,
    build: (dataSource, { author, setsStatus }) => {
      // An internal note only takes the next `seq`: the candidate's view (visible seq, times, counters,
      // waiting time, assignment) stays exactly as it was.
      if (author === 'note') {
        return dataSource
          .createQueryBuilder()
          .update(SupportConversationEntity)
          .set({ lastMessageSeq: () => 'last_message_seq + 1' })
          .where('id = :conversationId');
      }
      const update = dataSource
        .createQueryBuilder()
        .update(SupportConversationEntity)
        // Key order matters on MySQL, which evaluates assignments left to right: the role counters read
        // `last_message_seq` before it is incremented, and `waiting_since` reads the unanswered count
        // before it changes, as every other database does.
        .set({
          // Issue 17 bookkeeping (first arrival, first response, resolutions), before the counters they read.
          ...(author === 'staff'
            ? { firstResponseAt: () => 'CASE WHEN first_response_at IS NULL AND last_candidate_message_seq > 0 THEN :now ELSE first_response_at END' }
            : author === 'candidate'
              ? {
                  firstCandidateMessageAt: () => 'COALESCE(first_candidate_message_at, :now)',
                  arrivedOutsideHours: () => 'CASE WHEN last_candidate_message_seq = 0 THEN :outsideHours ELSE arrived_outside_hours END',
                }
              : {}),
          ...(setsStatus
            ? {
                resolutionCount: () => "CASE WHEN :resolves = 1 AND status = 'open' THEN resolution_count + 1 ELSE resolution_count END",
                resolvedAt: () => "CASE WHEN :resolves = 1 AND status = 'open' THEN :now ELSE resolved_at END",
              }
            : {}),
          ...(author === 'staff'
            ? {
                lastStaffMessageSeq: () => 'last_message_seq + 1',
                waitingSince: () => 'NULL',
                unansweredCandidateMessages: () => '0',
                assignedSupportUserId: () => 'COALESCE(assigned_support_user_id, :senderId)',
              }
            : author === 'candidate'
              ? {
                  lastCandidateMessageSeq: () => 'last_message_seq + 1',
                  waitingSince: () => 'CASE WHEN unanswered_candidate_messages = 0 THEN :now ELSE waiting_since END',
                  unansweredCandidateMessages: () => 'unanswered_candidate_messages + 1',
                }
              : {}),
          ...(setsStatus ? { status: () => ':status' } : {}),
          lastVisibleMessageSeq: () => 'last_message_seq + 1',
          lastMessageSeq: () => 'last_message_seq + 1',
          lastMessageAt: () => ':now',
          updatedAt: () => ':now',
        })
        .where('id = :conversationId');
      return author === 'system' ? update : update.andWhere("status <> 'closed'");
    },
  }),
  /**
   * `allocateSeq` that also answers the conversation as it left it (columns `c_<column>`), so that an append
   * needs no read of the conversation after it: one statement fewer per message. Only SQLite, where the
   * transaction path is every send's path; PostgreSQL has RETURNING too, but sends there mostly take
   * `appendInOneStatement`, and MariaDB has no `UPDATE ... RETURNING`.
   */
  allocateSeqReturning: defineStatement<{ author: EntryAuthor; setsStatus: boolean }>({
    name: 'TimelineRepository.allocateSeqReturning',
    shapes: ALLOCATE_SEQ_SHAPES,
    build: (dataSource, shape) => {
      if (dataSource.options.type !== 'better-sqlite3') throw new Error('only built for SQLite (see TimelineRepository.append)');
      const q = (name: string) => dataSource.driver.escape(name);
      const update = TIMELINE_STATEMENTS.allocateSeq.build(dataSource, shape) as UpdateQueryBuilder<ObjectLiteral>;
      const returned = dataSource
        .getMetadata(SupportConversationEntity)
        .columns.map((column) => `${q(column.databaseName)} AS ${q(`c_${column.databaseName}`)}`)
        .join(', ');
      return `${update.getQuery()} RETURNING ${returned}`;
    },
  }),
  /** See `appendInOneStatementSql`: not built on the dialects that append in a transaction. */
  appendInOneStatement: defineStatement<{ author: 'candidate' | 'staff' }>({
    name: 'TimelineRepository.appendInOneStatement',
    shapes: [{ author: 'candidate' }, { author: 'staff' }],
    build: (dataSource, { author }) => appendInOneStatementSql(dataSource, author),
  }),
  insert: defineStatement({
    name: 'TimelineRepository.insert',
    shapes: [{}],
    build: (dataSource) => insertAllColumns(dataSource, SupportMessageEntity),
  }),
  byClientId: defineStatement({
    name: 'TimelineRepository.byClientMessageId',
    shapes: [{}],
    build: (dataSource) =>
      dataSource.createQueryBuilder(SupportMessageEntity, 'm').where('m.sender_user_id = :senderUserId').andWhere('m.client_message_id = :clientMessageId'),
  }),
  range: defineStatement<{ writtenSince: boolean; reader: TimelineReader }>({
    name: 'TimelineRepository.range',
    shapes: [
      { writtenSince: false, reader: 'staff' },
      { writtenSince: true, reader: 'staff' },
      { writtenSince: false, reader: 'candidate' },
    ],
    build: (dataSource, { writtenSince, reader }) => {
      const query = dataSource
        .createQueryBuilder(SupportMessageEntity, 'm')
        .where('m.conversation_id = :conversationId')
        .andWhere('m.seq BETWEEN :fromSeq AND :toSeq');
      if (reader === 'candidate') query.andWhere(CANDIDATE_VISIBLE);
      if (writtenSince) query.andWhere('m.created_at >= :writtenSince');
      return query.orderBy('m.seq', 'ASC');
    },
  }),
  position: defineStatement<{ by: 'id' | 'seq'; reader: TimelineReader }>({
    name: 'TimelineRepository.position',
    shapes: [
      { by: 'id', reader: 'staff' },
      { by: 'seq', reader: 'staff' },
      { by: 'id', reader: 'candidate' },
    ],
    build: (dataSource, { by, reader }) => {
      const query = dataSource
        .createQueryBuilder(SupportMessageEntity, 'm')
        .select('m.id', 'id')
        .addSelect('m.seq', 'seq')
        .where('m.conversation_id = :conversationId')
        .andWhere(by === 'id' ? 'm.id = :id' : 'm.seq = :seq');
      return reader === 'candidate' ? query.andWhere(CANDIDATE_VISIBLE) : query;
    },
  }),
  lastEntries: defineStatement<{ reader: TimelineReader }>({
    name: 'TimelineRepository.lastEntries',
    shapes: [{ reader: 'staff' }, { reader: 'candidate' }],
    // Candidates' preview is the newest entry they see: the pointer kept on write, no scan past notes.
    // Filtered on the conversation's key, not the message's: with `m.conversation_id IN (...)` PostgreSQL
    // estimated from the messages of those conversations and read all of them (a long conversation in the
    // page made every inbox load read its whole history); this way it looks up one entry per conversation.
    build: (dataSource, { reader }) =>
      dataSource
        .createQueryBuilder(SupportMessageEntity, 'm')
        .innerJoin(
          SupportConversationEntity,
          'c',
          `c.id = m.conversation_id AND m.seq = ${reader === 'candidate' ? 'c.last_visible_message_seq' : 'c.last_message_seq'}`,
        )
        .where('c.id IN (:...conversationIds)'),
  }),
  /** Entries after a position, for `conversations` conversations at once (`:c<i>`, `:s<i>`). */
  after: defineStatement<{ conversations: number }>({
    name: 'TimelineRepository.after',
    shapes: [{ conversations: 1 }, { conversations: 2 }],
    build: (dataSource, { conversations }) =>
      dataSource
        .createQueryBuilder(SupportMessageEntity, 'm')
        .where(`(${Array.from({ length: conversations }, (_, index) => `(m.conversation_id = :c${index} AND m.seq > :s${index})`).join(' OR ')})`)
        .orderBy('m.conversation_id', 'ASC')
        .addOrderBy('m.seq', 'ASC'),
  }),
};

/** Conversations per `after` statement. */
const AFTER_CHUNK = 50;

/** A conversation's timeline: messages and `system` lines, appended through one path. */
@Injectable()
export class TimelineRepository {
  constructor(
    private readonly db: ChatStatements,
    private readonly conversations: ConversationRepository,
    private readonly participants: ParticipantRepository,
    private readonly readState: ReadStateRepository,
  ) {}

  /**
   * Appends one entry inside the caller's transaction: allocates its `seq` (see `allocateSeq`), reads
   * the updated conversation (on SQLite the UPDATE itself answers it: `allocateSeqReturning`) and inserts
   * the entry. A message also moves its author's read marker to it
   * (writing means having read), making the author a participant on their first message.
   */
  async append(
    manager: EntityManager,
    conversationId: string,
    author: { id: string; kind: 'candidate' | 'staff' },
    entry: NewTimelineEntry,
  ): Promise<AppendedEntry> {
    const now = new Date();
    const system = entry.messageType === 'system';
    const note = entry.messageType === 'note';
    const shape = { author: system ? 'system' : note ? 'note' : author.kind, setsStatus: entry.status !== undefined } as const;
    const parameters = this.allocateSeqParameters(conversationId, author.id, entry, now);
    const notAllocated = () => (system || note ? ChatErrors.conversationNotFound() : ChatErrors.conversationClosed());
    let conversation: SupportConversationEntity | null;
    if (this.allocatesWithReturning) {
      const [row] = await this.db.cache.rows(TIMELINE_STATEMENTS.allocateSeqReturning, shape, parameters, manager);
      if (!row) throw notAllocated();
      conversation = this.db.conversations.fromRow(row, 'c');
    } else {
      if (!(await this.db.cache.execute(TIMELINE_STATEMENTS.allocateSeq, shape, parameters, manager))) throw notAllocated();
      conversation = await this.conversations.byId(conversationId, manager);
      if (!conversation) throw ChatErrors.conversationNotFound();
    }
    const message = this.newMessage(conversationId, conversation.lastMessageSeq, author.id, entry, now);
    await this.db.cache.execute(TIMELINE_STATEMENTS.insert, {}, this.db.messages.insertParameters(message), manager);
    if (!system) {
      // The marker is always behind the new `seq`, so it moves unless the author has no participant row yet.
      if (!(await this.readState.advanceMarker(manager, conversationId, author.id, message, now))) {
        await this.participants.ensure(manager, conversationId, author, now);
        await this.readState.advanceMarker(manager, conversationId, author.id, message, now);
      }
    }
    return { conversation, message };
  }

  /** True when `append` allocates with `allocateSeqReturning` (SQLite), which answers the updated conversation. */
  private get allocatesWithReturning(): boolean {
    return this.db.dataSource.options.type === 'better-sqlite3';
  }

  /**
   * True when `appendInOneStatement` runs on this database: PostgreSQL and MariaDB. The SQL Server batch is
   * built (SQL snapshots) but not run: it has not met a server yet.
   */
  get appendsInOneStatement(): boolean {
    const type = this.db.dataSource.options.type;
    return type === 'postgres' || type === 'mariadb' || type === 'mysql';
  }

  /**
   * The common case of a message, in one statement outside any transaction (see `appendInOneStatementSql`
   * for which case): the appended entry, or null when this database has no such statement or the case
   * does not apply (then nothing was written, and the caller appends in a transaction as usual).
   */
  async appendInOneStatement(
    conversationId: string,
    author: { id: string; kind: 'candidate' | 'staff' },
    entry: NewTimelineEntry,
  ): Promise<AppendedEntry | null> {
    // Only a plain message without a status change: `system` lines and staff-only notes have their own
    // `allocateSeq` shapes, and a candidate's message outside business hours may be due the automatic reply
    // (appended in the same write unit), so all of these take the transaction path.
    if (!this.appendsInOneStatement || entry.messageType === 'system' || entry.messageType === 'note' || entry.status !== undefined || entry.outsideHours) {
      return null;
    }
    const now = new Date();
    const message = this.newMessage(conversationId, 0, author.id, entry, now);
    const records = await this.db.cache.rows<unknown>(
      TIMELINE_STATEMENTS.appendInOneStatement,
      { author: author.kind },
      // The same parameters as the transaction path's `allocateSeq`, so its SET computes the same values.
      { ...this.db.messages.insertParameters(message), ...this.allocateSeqParameters(conversationId, author.id, entry, now) },
    );
    // MariaDB's compound statement answers its SELECT's rows and then the statement's own status.
    const [row] = (Array.isArray(records[0]) ? records[0] : records) as Record<string, unknown>[];
    if (!row) return null;
    const conversation = this.db.conversations.fromRow(row, 'c');
    message.seq = conversation.lastMessageSeq;
    return { conversation, message };
  }

  /** Everything `allocateSeq`'s SET and WHERE read, for every shape: one source for both send paths. */
  private allocateSeqParameters(conversationId: string, senderId: string, entry: NewTimelineEntry, now: Date): Record<string, unknown> {
    return {
      conversationId,
      senderId,
      status: entry.status,
      // A move from open into resolved or closed counts one resolution (`resolution_count`, `resolved_at`).
      resolves: entry.status === 'resolved' || entry.status === 'closed' ? 1 : 0,
      outsideHours: entry.outsideHours ? 1 : 0,
      now: this.db.conversations.toColumnValue('lastMessageAt', now),
    };
  }

  private newMessage(conversationId: string, seq: number, senderUserId: string, entry: NewTimelineEntry, now: Date): SupportMessageEntity {
    return Object.assign(new SupportMessageEntity(), {
      id: randomUUID(),
      conversationId,
      seq,
      clientMessageId: entry.clientMessageId,
      senderUserId,
      content: entry.content,
      messageType: entry.messageType,
      attachmentUrl: entry.attachment?.url ?? null,
      attachmentName: entry.attachment?.name ?? null,
      attachmentMimeType: entry.attachment?.mimeType ?? null,
      attachmentSizeBytes: entry.attachment?.sizeBytes ?? null,
      createdAt: now,
      editedAt: null,
    });
  }

  /** The sender's message with this idempotency key, in whatever conversation. */
  async byClientMessageId(senderUserId: string, clientMessageId: string, manager?: EntityManager): Promise<SupportMessageEntity | null> {
    const [row] = await this.db.cache.rows(TIMELINE_STATEMENTS.byClientId, {}, { senderUserId, clientMessageId }, manager);
    return row ? this.db.messages.fromRow(row, 'm') : null;
  }

  /**
   * A range of a conversation's timeline by `seq` (both ends included), in order; only the entries
   * written at or after `writtenSince` when given.
   */
  async range(
    conversationId: string,
    fromSeq: number,
    toSeq: number,
    options: { writtenSince?: Date; manager?: EntityManager; reader?: TimelineReader } = {},
  ): Promise<SupportMessageEntity[]> {
    const { writtenSince, manager, reader = 'staff' } = options;
    if (reader === 'candidate' && writtenSince) throw new Error('A candidate range has no writtenSince shape');
    const rows = await this.db.cache.rows(
      TIMELINE_STATEMENTS.range,
      { writtenSince: writtenSince !== undefined, reader },
      { conversationId, fromSeq, toSeq, writtenSince: writtenSince && this.db.messages.toColumnValue('createdAt', writtenSince) },
      manager,
    );
    return rows.map((row) => this.db.messages.fromRow(row, 'm'));
  }

  /** The id and `seq` of a conversation's entry, by id or by `seq`; by id, a candidate finds only what they see. */
  async position(conversationId: string, by: { id: string } | { seq: number }, reader: TimelineReader = 'staff'): Promise<{ id: string; seq: number } | null> {
    const [row] = await this.db.cache.rows<{ id: string; seq: number | string }>(
      TIMELINE_STATEMENTS.position,
      { by: 'id' in by ? 'id' : 'seq', reader: 'id' in by ? reader : 'staff' },
      { conversationId, ...by },
    );
    return row ? { id: row.id, seq: Number(row.seq) } : null;
  }

  /** Each conversation's newest entry the reader sees (the inbox preview). */
  async lastEntries(conversationIds: readonly string[], reader: TimelineReader = 'staff'): Promise<Map<string, SupportMessageEntity>> {
    if (conversationIds.length === 0) return new Map();
    const rows = await this.db.cache.rows(TIMELINE_STATEMENTS.lastEntries, { reader }, { conversationIds });
    return new Map(rows.map((row) => this.db.messages.fromRow(row, 'm')).map((message) => [message.conversationId, message]));
  }

  /** The entries after the given `seq` of each conversation, by conversation then `seq`. */
  async after(positions: readonly { conversationId: string; afterSeq: number }[]): Promise<SupportMessageEntity[]> {
    const messages: SupportMessageEntity[] = [];
    for (let i = 0; i < positions.length; i += AFTER_CHUNK) {
      const chunk = positions.slice(i, i + AFTER_CHUNK);
      const parameters: Record<string, string | number> = {};
      chunk.forEach(({ conversationId, afterSeq }, index) => {
        parameters[`c${index}`] = conversationId;
        parameters[`s${index}`] = afterSeq;
      });
      const rows = await this.db.cache.rows(TIMELINE_STATEMENTS.after, { conversations: chunk.length }, parameters);
      messages.push(...rows.map((row) => this.db.messages.fromRow(row, 'm')));
    }
    return messages;
  }
}

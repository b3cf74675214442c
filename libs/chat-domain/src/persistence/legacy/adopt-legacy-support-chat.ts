import { DataSource, EntityManager, QueryRunner } from 'typeorm';
import { v5 as uuidv5 } from 'uuid';

import { CONVERSATION_PRIORITIES, CONVERSATION_STATUSES, ConversationPriority, ConversationStatus } from '../../domain/conversation-status';
import { MESSAGE_TYPES, MessageType } from '../../domain/message-type';
import { SupportConversationEntity, SupportConversationParticipantEntity, SupportMessageEntity } from '../entities';
import { ensureSupportChatSchema } from '../schema/check-and-create-support-chat-tables';
import { assertSupportedDialect, SupportedDialect } from '../schema/dialect-column-types';
import {
  completedSteps,
  idMapTable,
  inspectLegacySchema,
  LEGACY_ADOPTION_STATE_TABLE,
  LEGACY_CLASHING_TABLES,
  LEGACY_ID_MAP_TABLE,
  legacyTableName,
  stateTable,
} from './legacy-schema';

/** Namespace of the UUIDv5 ids derived from legacy integer ids: the same legacy row always gets the same UUID. */
export const LEGACY_ID_NAMESPACE = '6f1c4a52-2f7e-4d3b-9a43-3c1f0b7e5d21';
/** Sender of legacy entries that had none (system events of the original module). Shown as "Usuario no disponible". */
export const LEGACY_UNKNOWN_SENDER_ID = '00000000-0000-0000-0000-000000000000';

export const legacyConversationUuid = (legacyId: number): string => uuidv5(`support_conversations:${legacyId}`, LEGACY_ID_NAMESPACE);
export const legacyMessageUuid = (legacyId: number): string => uuidv5(`support_messages:${legacyId}`, LEGACY_ID_NAMESPACE);
const legacyParticipantUuid = (legacyId: number): string => uuidv5(`support_conversation_participants:${legacyId}`, LEGACY_ID_NAMESPACE);

export const LEGACY_ADOPTION_STEPS = ['rename', 'schema', 'conversations', 'messages', 'participants', 'verify'] as const;
export type LegacyAdoptionStep = (typeof LEGACY_ADOPTION_STEPS)[number];

export interface LegacyAdoptionOptions {
  /** Progress lines (default: none). */
  log?: (line: string) => void;
  /**
   * Rows read, copied and written per query (default 1000). Only one page is held in memory at a time,
   * so a conversation of any size is copied in constant memory.
   */
  pageSize?: number;
}

export interface LegacyAdoptionReport {
  /** `nothing-to-adopt`: no original tables; `already-adopted`: a previous run finished; `adopted`: this run finished it. */
  outcome: 'nothing-to-adopt' | 'already-adopted' | 'adopted';
  /** Steps this run carried out (a resumed run skips those a previous run finished). */
  stepsRun: LegacyAdoptionStep[];
  counts: { conversations: number; participants: number; messages: number };
}

export class LegacyAdoptionVerificationError extends Error {
  constructor(problems: string[]) {
    super(`Support chat adoption: the copy does not match the original tables; nothing was marked as adopted:\n  - ${problems.join('\n  - ')}`);
    this.name = 'LegacyAdoptionVerificationError';
  }
}

interface LegacyConversationRow {
  id: number | string;
  candidate_user_id: string;
  created_by_user_id: string | null;
  assigned_support_user_id: string | null;
  subject: string | null;
  status: string;
  priority: string;
  created_at: string;
  updated_at: string;
  last_message_at: string;
}

interface LegacyMessageRow {
  id: number | string;
  conversation_id: number | string;
  sender_user_id: string | null;
  content: string | null;
  message_type: string;
  attachment_url: string | null;
  attachment_name: string | null;
  attachment_mime_type: string | null;
  attachment_size_bytes: number | string | null;
  created_at: string;
  edited_at: string | null;
}

interface LegacyParticipantRow {
  id: number | string;
  conversation_id: number | string;
  user_id: string;
  joined_at: string;
  last_read_at: string | null;
  last_read_message_id: number | string | null;
}

/**
 * Adopts a database that holds the original (Flask) support chat's tables: moves them aside
 * (`legacy_support_*`), creates this module's schema, and copies conversations, participants and
 * messages into it. Integer ids become UUIDv5 derived from them (`legacyConversationUuid`), and
 * `support_chat_legacy_ids` keeps legacy id -> UUID for redirects. `seq` follows `created_at`, then id;
 * read markers come from `last_read_message_id` (a marker naming a message that no longer exists in
 * that conversation falls back to the last message written before it); counters are recomputed.
 * Ratings (`support_conversation_satisfaction`) and templates (`chat_message_templates`) are left
 * where they are; their `conversation_id` is the legacy id, mapped by `support_chat_legacy_ids`.
 *
 * Each step runs in its own transaction and is recorded in `support_chat_legacy_adoption`, so a run
 * that stops half-way resumes where it stopped (MariaDB/MySQL commit DDL implicitly: the two DDL steps
 * check what exists before acting). The last step compares counts and per-conversation order with the
 * original tables and only then marks the adoption complete; a second run does nothing.
 */
export async function adoptLegacySupportChat(dataSource: DataSource, options: LegacyAdoptionOptions = {}): Promise<LegacyAdoptionReport> {
  const log = options.log ?? (() => undefined);
  const pageSize = Math.max(1, Math.trunc(options.pageSize ?? 1000));
  const dialect = assertSupportedDialect(dataSource.options.type);
  const queryRunner = dataSource.createQueryRunner();
  const stepsRun: LegacyAdoptionStep[] = [];
  try {
    const state = await inspectLegacySchema(queryRunner);
    if (state.adoptionComplete) {
      log('the original support chat tables were already adopted; nothing to do');
      return { outcome: 'already-adopted', stepsRun, counts: await countAdopted(queryRunner) };
    }
    if (state.originalTables.length === 0 && !state.adoptionUnfinished) {
      log('no tables of the original support chat found; nothing to adopt');
      return { outcome: 'nothing-to-adopt', stepsRun, counts: { conversations: 0, participants: 0, messages: 0 } };
    }
    if (state.originalTables.length > 0 && state.originalTables.length < LEGACY_CLASHING_TABLES.length && !state.adoptionUnfinished) {
      throw new Error(
        `Support chat adoption: only ${state.originalTables.join(', ')} have the original shape; expected all of ${LEGACY_CLASHING_TABLES.join(', ')}. Nothing was changed.`,
      );
    }
    // Before anything changes: values the module has no place for would otherwise be rewritten silently.
    // Read where the tables are now: moved aside already if an earlier run got past the rename (on
    // MariaDB/MySQL possibly without having recorded it).
    const sources = new Map<string, string>();
    for (const table of LEGACY_CLASHING_TABLES) sources.set(table, (await queryRunner.hasTable(legacyTableName(table))) ? legacyTableName(table) : table);
    await assertKnownValues(queryRunner, (table) => sources.get(table) ?? table);
    await queryRunner.createTable(stateTable(), true);
    const done = await completedSteps(queryRunner);

    const step = async (name: LegacyAdoptionStep, work: (manager: EntityManager) => Promise<void>, transactional = true): Promise<void> => {
      if (done.has(name)) {
        log(`${name}: done by an earlier run`);
        return;
      }
      log(`${name}: starting`);
      const mark = (manager: EntityManager) =>
        manager.query(`INSERT INTO ${LEGACY_ADOPTION_STATE_TABLE} (step, completed_at) VALUES (${placeholder(dialect, 1)}, ${placeholder(dialect, 2)})`, [
          name,
          new Date().toISOString(),
        ]);
      if (transactional) {
        await dataSource.transaction(async (manager) => {
          await work(manager);
          await mark(manager);
        });
      } else {
        await work(queryRunner.manager);
        await mark(queryRunner.manager);
      }
      stepsRun.push(name);
      log(`${name}: done`);
    };

    // MySQL/MariaDB commit DDL implicitly, so a transaction there would promise what it cannot keep.
    const ddlInTransaction = dialect !== 'mysql' && dialect !== 'mariadb';
    await step('rename', (manager) => renameAside(manager.queryRunner ?? queryRunner, dialect), ddlInTransaction);
    await step(
      'schema',
      async (manager) => {
        const runner = manager.queryRunner ?? queryRunner;
        await ensureSupportChatSchema(runner, (line) => log(`schema: ${line}`));
        await runner.createTable(idMapTable(), true, true, true);
      },
      ddlInTransaction,
    );
    await step('conversations', (manager) => copyConversations(manager, dialect, pageSize, log));
    await step('messages', (manager) => copyMessages(manager, dialect, pageSize, log));
    await step('participants', (manager) => copyParticipants(manager, dialect, pageSize, log));
    await step('verify', (manager) => verify(manager, dialect, log));
    const counts = await countAdopted(queryRunner);
    log(`adopted ${counts.conversations} conversations, ${counts.participants} participants and ${counts.messages} messages`);
    return { outcome: 'adopted', stepsRun, counts };
  } finally {
    await queryRunner.release();
  }
}

export class LegacyAdoptionUnknownValuesError extends Error {
  constructor(problems: string[]) {
    super(
      `Support chat adoption: the original tables hold values this module has no place for; nothing was changed. Correct or map them first:\n  - ${problems.join('\n  - ')}`,
    );
    this.name = 'LegacyAdoptionUnknownValuesError';
  }
}

/** Status, priority and message type values outside the module's sets, listed with how many rows hold each. */
async function assertKnownValues(queryRunner: QueryRunner, source: (table: string) => string): Promise<void> {
  const checks: [string, string, readonly string[]][] = [
    ['support_conversations', 'status', CONVERSATION_STATUSES],
    ['support_conversations', 'priority', CONVERSATION_PRIORITIES],
    ['support_messages', 'message_type', MESSAGE_TYPES],
  ];
  const problems: string[] = [];
  for (const [table, column, allowed] of checks) {
    const rows = (await queryRunner.query(`SELECT ${column} AS value, COUNT(*) AS n FROM ${source(table)} GROUP BY ${column}`)) as {
      value: string;
      n: number | string;
    }[];
    for (const row of rows) {
      if (!allowed.includes(row.value)) problems.push(`${table}.${column} = '${row.value}' in ${Number(row.n)} rows (expected one of ${allowed.join(', ')})`);
    }
  }
  if (problems.length > 0) throw new LegacyAdoptionUnknownValuesError(problems);
}

function known(allowed: readonly string[], value: string, column: string): string {
  if (!allowed.includes(value)) throw new LegacyAdoptionUnknownValuesError([`${column} = '${value}' (expected one of ${allowed.join(', ')})`]);
  return value;
}

export function placeholder(dialect: SupportedDialect, index: number): string {
  if (dialect === 'postgres') return `$${index}`;
  if (dialect === 'mssql') return `@${index - 1}`;
  return '?';
}

/** The original timestamps are naive UTC; read as text so that no driver applies the server's time zone. */
export function timestampAsText(dialect: SupportedDialect, column: string): string {
  switch (dialect) {
    case 'postgres':
      return `CAST(${column} AS TEXT)`;
    case 'mysql':
    case 'mariadb':
      return `CAST(${column} AS CHAR)`;
    case 'mssql':
      return `CONVERT(VARCHAR(33), ${column}, 126)`;
    case 'better-sqlite3':
      return column;
  }
}

/** `2025-03-01 14:05:09.123456` (or with `T`, or a Date from a driver) as the UTC instant it names. */
export function parseNaiveUtc(value: string | Date | null): Date | null {
  if (value === null) return null;
  if (value instanceof Date) return value;
  const match = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}(?::\d{2})?)(\.\d+)?/.exec(String(value).trim());
  if (!match) throw new Error(`Support chat adoption: unreadable timestamp "${value}"`);
  const fraction = (match[3] ?? '.000').slice(0, 4).padEnd(4, '0');
  const time = match[2].length === 5 ? `${match[2]}:00` : match[2];
  return new Date(`${match[1]}T${time}${fraction}Z`);
}

async function renameAside(queryRunner: QueryRunner, dialect: SupportedDialect): Promise<void> {
  const pending: string[] = [];
  for (const table of LEGACY_CLASHING_TABLES) {
    if ((await queryRunner.hasTable(legacyTableName(table))) && !(await hasOriginalShape(queryRunner, table))) continue; // renamed by an earlier run
    pending.push(table);
  }
  for (const statement of renameStatements(dialect, pending)) await queryRunner.query(statement);
}

/** The statements that move `tables` aside (`support_messages` -> `legacy_support_messages`). */
export function renameStatements(dialect: SupportedDialect, tables: readonly string[]): string[] {
  if (tables.length === 0) return [];
  // One statement renames all of them atomically.
  if (dialect === 'mysql' || dialect === 'mariadb') return [`RENAME TABLE ${tables.map((table) => `${table} TO ${legacyTableName(table)}`).join(', ')}`];
  // sp_rename takes the new name bare: a schema prefix there would become part of the name.
  if (dialect === 'mssql') return tables.map((table) => `EXEC sp_rename N'${table}', N'${legacyTableName(table)}', N'OBJECT'`);
  return tables.map((table) => `ALTER TABLE ${table} RENAME TO ${legacyTableName(table)}`);
}

async function hasOriginalShape(queryRunner: QueryRunner, table: string): Promise<boolean> {
  const state = await inspectLegacySchema(queryRunner);
  return state.originalTables.includes(table);
}

const asNumber = (value: number | string): number => Number(value);
const inList = (values: readonly number[]): string => values.map((value) => String(Math.trunc(value))).join(', ');

/** `sql` (which ends with ORDER BY) limited to its first `rows` rows, in each dialect's syntax. */
export function firstRows(dialect: SupportedDialect, sql: string, rows: number): string {
  const n = Math.trunc(rows);
  return dialect === 'mssql' ? `${sql} OFFSET 0 ROWS FETCH NEXT ${n} ROWS ONLY` : `${sql} LIMIT ${n}`;
}

/** Where the previous page of legacy messages ended: the next page starts after it in (conversation_id, created_at, id) order. */
interface MessageCursor {
  conversationId: number;
  /** The timestamp as `timestampAsText` read it, compared by the database against the column itself. */
  createdAt: string;
  id: number;
}

/**
 * One page of legacy messages in `seq` order, after `cursor` (keyset: each page is an index range scan,
 * however large a conversation is, and nothing but the page is held in memory).
 */
export function legacyMessagePageQuery(dialect: SupportedDialect, pageSize: number, cursor: MessageCursor | null): { sql: string; parameters: unknown[] } {
  const t = (column: string) => `${timestampAsText(dialect, `m.${column}`)} AS ${column}`;
  const p = (index: number) => placeholder(dialect, index);
  const where = cursor
    ? `WHERE m.conversation_id > ${p(1)} OR (m.conversation_id = ${p(2)} AND (m.created_at > ${p(3)} OR (m.created_at = ${p(4)} AND m.id > ${p(5)}))) `
    : '';
  const sql =
    'SELECT m.id, m.conversation_id, m.sender_user_id, m.content, m.message_type, m.attachment_url, m.attachment_name, m.attachment_mime_type, ' +
    `m.attachment_size_bytes, ${t('created_at')}, ${t('edited_at')} FROM ${legacyTableName('support_messages')} m ${where}` +
    // The original columns (full precision), not the text aliases: this order is `seq`.
    'ORDER BY m.conversation_id, m.created_at, m.id';
  const parameters = cursor ? [cursor.conversationId, cursor.conversationId, cursor.createdAt, cursor.createdAt, cursor.id] : [];
  return { sql: firstRows(dialect, sql, pageSize), parameters };
}

/** Rows per INSERT: well under SQL Server's 2,100 parameters for the widest table (13 columns). */
const INSERT_CHUNK = 100;

function* batches<T>(items: readonly T[], size: number): Generator<T[]> {
  for (let start = 0; start < items.length; start += size) yield items.slice(start, start + size);
}

async function insertChunked<T extends object>(manager: EntityManager, target: new () => T, rows: T[]): Promise<void> {
  for (const chunk of batches(rows, INSERT_CHUNK)) if (chunk.length > 0) await manager.insert(target, chunk);
}

async function insertIdMap(manager: EntityManager, dialect: SupportedDialect, entity: 'conversation' | 'message', pairs: [number, string][]): Promise<void> {
  for (const chunk of batches(pairs, INSERT_CHUNK)) {
    if (chunk.length === 0) continue;
    const values = chunk.map((_, i) => `(${placeholder(dialect, i * 3 + 1)}, ${placeholder(dialect, i * 3 + 2)}, ${placeholder(dialect, i * 3 + 3)})`);
    await manager.query(
      `INSERT INTO ${LEGACY_ID_MAP_TABLE} (entity, legacy_id, id) VALUES ${values.join(', ')}`,
      chunk.flatMap(([legacyId, id]) => [entity, legacyId, id]),
    );
  }
}

/** Pages of a legacy table's rows by integer id (keyset), `columns` selected. */
async function* pagesById<T extends { id: number | string }>(
  manager: EntityManager,
  dialect: SupportedDialect,
  table: string,
  columns: string,
  pageSize: number,
): AsyncGenerator<T[]> {
  let after: number | null = null;
  for (;;) {
    const where = after === null ? '' : `WHERE id > ${placeholder(dialect, 1)} `;
    const rows: T[] = await manager.query<T[]>(
      firstRows(dialect, `SELECT ${columns} FROM ${table} ${where}ORDER BY id`, pageSize),
      after === null ? [] : [after],
    );
    if (rows.length === 0) return;
    yield rows;
    after = asNumber(rows[rows.length - 1].id);
    if (rows.length < pageSize) return;
  }
}

async function candidatesOf(manager: EntityManager, conversationIds: number[]): Promise<Map<number, string>> {
  const unique = [...new Set(conversationIds)];
  const map = new Map<number, string>();
  for (const chunk of batches(unique, 1000)) {
    const rows = await manager.query<{ id: number | string; candidate_user_id: string }[]>(
      `SELECT id, candidate_user_id FROM ${legacyTableName('support_conversations')} WHERE id IN (${inList(chunk)})`,
    );
    for (const row of rows) map.set(asNumber(row.id), row.candidate_user_id);
  }
  return map;
}

async function copyConversations(manager: EntityManager, dialect: SupportedDialect, pageSize: number, log: (line: string) => void): Promise<void> {
  const total = await countOf(manager, legacyTableName('support_conversations'));
  const t = (column: string) => `${timestampAsText(dialect, column)} AS ${column}`;
  const columns = `id, candidate_user_id, created_by_user_id, assigned_support_user_id, subject, status, priority, ${t('created_at')}, ${t('updated_at')}, ${t('last_message_at')}`;
  let copied = 0;
  for await (const rows of pagesById<LegacyConversationRow>(manager, dialect, legacyTableName('support_conversations'), columns, pageSize)) {
    const entities = rows.map((row) =>
      Object.assign(new SupportConversationEntity(), {
        id: legacyConversationUuid(asNumber(row.id)),
        candidateUserId: row.candidate_user_id,
        createdByUserId: row.created_by_user_id ?? row.candidate_user_id,
        assignedSupportUserId: row.assigned_support_user_id,
        subject: row.subject,
        // Checked before the first step (assertKnownValues); checked again per row, as a case-insensitive
        // collation may have grouped 'Open' with 'open' there.
        status: known(CONVERSATION_STATUSES, row.status, 'support_conversations.status') as ConversationStatus,
        priority: known(CONVERSATION_PRIORITIES, row.priority, 'support_conversations.priority') as ConversationPriority,
        createdAt: parseNaiveUtc(row.created_at)!,
        updatedAt: parseNaiveUtc(row.updated_at)!,
        lastMessageAt: parseNaiveUtc(row.last_message_at)!,
        // Filled by the messages step from the messages themselves.
        lastMessageSeq: 0,
        lastCandidateMessageSeq: 0,
        lastStaffMessageSeq: 0,
        unansweredCandidateMessages: 0,
        // Issue 17 bookkeeping: the legacy module kept no response times; a resolved row counts one resolution.
        firstCandidateMessageAt: null,
        firstResponseAt: null,
        resolutionCount: row.status === 'open' ? 0 : 1,
        resolvedAt: row.status === 'open' ? null : parseNaiveUtc(row.updated_at)!,
        arrivedOutsideHours: 0,
        autoReplyPeriod: null,
        latestRating: null,
        lastVisibleMessageSeq: 0,
        waitingSince: null,
        handlingTier: 'agent',
        escalatedAt: null,
      }),
    );
    await insertChunked(manager, SupportConversationEntity, entities);
    await insertIdMap(
      manager,
      dialect,
      'conversation',
      rows.map((row) => [asNumber(row.id), legacyConversationUuid(asNumber(row.id))]),
    );
    copied += rows.length;
    log(`conversations: ${copied} of ${total} copied`);
  }
}

/** Counters of the conversation whose messages are being copied; carried across pages. */
interface ConversationProgress {
  legacyId: number;
  candidateUserId: string | undefined;
  seq: number;
  lastCandidateMessageSeq: number;
  lastStaffMessageSeq: number;
  unansweredCandidateMessages: number;
  /** `created_at` of the oldest unanswered candidate message, if any. */
  waitingSince: string | null;
  lastCreatedAt: string;
}

async function finishConversation(manager: EntityManager, progress: ConversationProgress): Promise<void> {
  await manager.update(
    SupportConversationEntity,
    { id: legacyConversationUuid(progress.legacyId) },
    {
      lastMessageSeq: progress.seq,
      lastCandidateMessageSeq: progress.lastCandidateMessageSeq,
      lastStaffMessageSeq: progress.lastStaffMessageSeq,
      unansweredCandidateMessages: progress.unansweredCandidateMessages,
      // The original has no internal notes: every entry is visible to the candidate.
      lastVisibleMessageSeq: progress.seq,
      waitingSince: progress.waitingSince === null ? null : parseNaiveUtc(progress.waitingSince),
      lastMessageAt: parseNaiveUtc(progress.lastCreatedAt)!,
    },
  );
}

async function copyMessages(manager: EntityManager, dialect: SupportedDialect, pageSize: number, log: (line: string) => void): Promise<void> {
  const total = await countOf(manager, legacyTableName('support_messages'));
  let cursor: MessageCursor | null = null;
  let current = null as ConversationProgress | null;
  let copied = 0;
  for (;;) {
    const query = legacyMessagePageQuery(dialect, pageSize, cursor);
    const rows = await manager.query<LegacyMessageRow[]>(query.sql, query.parameters);
    if (rows.length === 0) break;
    const candidates = await candidatesOf(
      manager,
      rows.map((row) => asNumber(row.conversation_id)),
    );
    const entities: SupportMessageEntity[] = [];
    const idPairs: [number, string][] = [];
    for (const row of rows) {
      const legacyConversationId = asNumber(row.conversation_id);
      if (current?.legacyId !== legacyConversationId) {
        if (current) await finishConversation(manager, current);
        current = {
          legacyId: legacyConversationId,
          candidateUserId: candidates.get(legacyConversationId),
          seq: 0,
          lastCandidateMessageSeq: 0,
          lastStaffMessageSeq: 0,
          unansweredCandidateMessages: 0,
          waitingSince: null,
          lastCreatedAt: row.created_at,
        };
      }
      const seq = ++current.seq;
      current.lastCreatedAt = row.created_at;
      const id = legacyMessageUuid(asNumber(row.id));
      idPairs.push([asNumber(row.id), id]);
      const messageType = known(MESSAGE_TYPES, row.message_type, 'support_messages.message_type') as MessageType;
      entities.push(
        Object.assign(new SupportMessageEntity(), {
          id,
          conversationId: legacyConversationUuid(legacyConversationId),
          seq,
          clientMessageId: id,
          senderUserId: row.sender_user_id ?? LEGACY_UNKNOWN_SENDER_ID,
          content: row.content,
          messageType,
          attachmentUrl: row.attachment_url,
          attachmentName: row.attachment_name,
          attachmentMimeType: row.attachment_mime_type,
          attachmentSizeBytes: row.attachment_size_bytes === null ? null : Number(row.attachment_size_bytes),
          createdAt: parseNaiveUtc(row.created_at)!,
          editedAt: parseNaiveUtc(row.edited_at),
        }),
      );
      // The same bookkeeping as TimelineWriter: system entries only move `last_message_seq`.
      if (messageType === 'system') continue;
      if (row.sender_user_id === current.candidateUserId) {
        current.lastCandidateMessageSeq = seq;
        if (current.unansweredCandidateMessages === 0) current.waitingSince = row.created_at;
        current.unansweredCandidateMessages += 1;
      } else {
        current.lastStaffMessageSeq = seq;
        current.unansweredCandidateMessages = 0;
        current.waitingSince = null;
      }
    }
    await insertChunked(manager, SupportMessageEntity, entities);
    await insertIdMap(manager, dialect, 'message', idPairs);
    copied += rows.length;
    log(`messages: ${copied} of ${total} copied`);
    const last = rows[rows.length - 1];
    cursor = { conversationId: asNumber(last.conversation_id), createdAt: last.created_at, id: asNumber(last.id) };
    if (rows.length < pageSize) break;
  }
  if (current) await finishConversation(manager, current);
}

async function copyParticipants(manager: EntityManager, dialect: SupportedDialect, pageSize: number, log: (line: string) => void): Promise<void> {
  const total = await countOf(manager, legacyTableName('support_conversation_participants'));
  const t = (column: string) => `${timestampAsText(dialect, column)} AS ${column}`;
  const columns = `id, conversation_id, user_id, ${t('joined_at')}, ${t('last_read_at')}, last_read_message_id`;
  let copied = 0;
  for await (const participants of pagesById<LegacyParticipantRow>(manager, dialect, legacyTableName('support_conversation_participants'), columns, pageSize)) {
    const candidates = await candidatesOf(
      manager,
      participants.map((row) => asNumber(row.conversation_id)),
    );
    // The copied messages the markers name, with their `seq` (already assigned by the messages step).
    const markerIds = participants.filter((row) => row.last_read_message_id !== null).map((row) => legacyMessageUuid(asNumber(row.last_read_message_id!)));
    const marked = new Map<string, { conversation_id: string; seq: number }>();
    for (const chunk of batches(markerIds, 500)) {
      const rows = await manager.query<{ id: string; conversation_id: string; seq: number | string }[]>(
        `SELECT id, conversation_id, seq FROM support_messages WHERE id IN (${chunk.map((_, i) => placeholder(dialect, i + 1)).join(', ')})`,
        chunk,
      );
      for (const row of rows) marked.set(row.id, { conversation_id: row.conversation_id, seq: Number(row.seq) });
    }
    const entities: SupportConversationParticipantEntity[] = [];
    for (const row of participants) {
      const conversation = asNumber(row.conversation_id);
      const conversationId = legacyConversationUuid(conversation);
      let read: { id: string; seq: number } | null = null;
      if (row.last_read_message_id !== null) {
        const marker = asNumber(row.last_read_message_id);
        const exact = marked.get(legacyMessageUuid(marker));
        if (exact && exact.conversation_id === conversationId) read = { id: legacyMessageUuid(marker), seq: exact.seq };
        else read = await lastMessageBefore(manager, dialect, conversationId, marker);
      }
      entities.push(
        Object.assign(new SupportConversationParticipantEntity(), {
          id: legacyParticipantUuid(asNumber(row.id)),
          conversationId,
          userId: row.user_id,
          participantRole: row.user_id === candidates.get(conversation) ? 'candidate' : 'support',
          joinedAt: parseNaiveUtc(row.joined_at)!,
          lastReadAt: parseNaiveUtc(row.last_read_at),
          lastReadMessageId: read?.id ?? null,
          lastReadSeq: read?.seq ?? 0,
        }),
      );
    }
    await insertChunked(manager, SupportConversationParticipantEntity, entities);
    copied += entities.length;
    log(`participants: ${copied} of ${total} copied`);
  }
}

/**
 * A read marker naming a message that is gone (or belongs elsewhere): ids grow as messages are written,
 * so the marker covers the last message of this conversation with a smaller legacy id.
 */
async function lastMessageBefore(
  manager: EntityManager,
  dialect: SupportedDialect,
  conversationId: string,
  legacyMarker: number,
): Promise<{ id: string; seq: number } | null> {
  const rows = await manager.query<{ id: string; seq: number | string }[]>(
    firstRows(
      dialect,
      `SELECT m.id, m.seq FROM support_messages m JOIN ${LEGACY_ID_MAP_TABLE} l ON l.entity = 'message' AND l.id = m.id ` +
        `WHERE m.conversation_id = ${placeholder(dialect, 1)} AND l.legacy_id < ${placeholder(dialect, 2)} ORDER BY m.seq DESC`,
      1,
    ),
    [conversationId, legacyMarker],
  );
  return rows.length === 0 ? null : { id: rows[0].id, seq: Number(rows[0].seq) };
}

async function countOf(manager: EntityManager | QueryRunner, table: string): Promise<number> {
  const rows = (await manager.query(`SELECT COUNT(*) AS n FROM ${table}`)) as { n: number | string }[];
  return Number(rows[0].n);
}

async function countAdopted(queryRunner: QueryRunner): Promise<LegacyAdoptionReport['counts']> {
  return {
    conversations: await countOf(queryRunner, 'support_conversations'),
    participants: await countOf(queryRunner, 'support_conversation_participants'),
    messages: await countOf(queryRunner, 'support_messages'),
  };
}

/**
 * Every original message, placed by (created_at, id) within its conversation, against its copy: in
 * the conversation its legacy conversation maps to, with `seq` equal to that position. Done in the
 * database (a window function), so it holds nothing in memory however large the tables are.
 */
export function misplacedMessagesQuery(dialect: SupportedDialect, limit: number): string {
  return firstRows(
    dialect,
    'SELECT x.legacy_id, x.legacy_conversation_id, x.seq, x.position FROM (' +
      'SELECT lm.id AS legacy_id, lm.conversation_id AS legacy_conversation_id, m.seq AS seq, ' +
      'ROW_NUMBER() OVER (PARTITION BY lm.conversation_id ORDER BY lm.created_at, lm.id) AS position, ' +
      'm.conversation_id AS copied_in, lc.id AS expected_in ' +
      `FROM ${legacyTableName('support_messages')} lm ` +
      `LEFT JOIN ${LEGACY_ID_MAP_TABLE} l ON l.entity = 'message' AND l.legacy_id = lm.id ` +
      'LEFT JOIN support_messages m ON m.id = l.id ' +
      `LEFT JOIN ${LEGACY_ID_MAP_TABLE} lc ON lc.entity = 'conversation' AND lc.legacy_id = lm.conversation_id` +
      ') x WHERE x.seq IS NULL OR x.seq <> x.position OR x.copied_in IS NULL OR x.expected_in IS NULL OR x.copied_in <> x.expected_in ' +
      'ORDER BY x.legacy_conversation_id, x.position',
    limit,
  );
}

async function verify(manager: EntityManager, dialect: SupportedDialect, log: (line: string) => void): Promise<void> {
  const problems: string[] = [];
  for (const table of LEGACY_CLASHING_TABLES) {
    const [original, copy] = [await countOf(manager, legacyTableName(table)), await countOf(manager, table)];
    if (original !== copy) problems.push(`${table}: ${original} rows in ${legacyTableName(table)}, ${copy} after adoption`);
  }
  const missingConversations = await manager.query<{ id: number | string }[]>(
    firstRows(
      dialect,
      `SELECT lc.id FROM ${legacyTableName('support_conversations')} lc LEFT JOIN ${LEGACY_ID_MAP_TABLE} l ON l.entity = 'conversation' AND l.legacy_id = lc.id ` +
        'LEFT JOIN support_conversations c ON c.id = l.id WHERE c.id IS NULL ORDER BY lc.id',
      20,
    ),
  );
  for (const row of missingConversations) problems.push(`conversation ${asNumber(row.id)} was not copied`);
  const misplaced = await manager.query<
    { legacy_id: number | string; legacy_conversation_id: number | string; seq: number | string | null; position: number | string }[]
  >(misplacedMessagesQuery(dialect, 20));
  for (const row of misplaced) {
    problems.push(
      `conversation ${asNumber(row.legacy_conversation_id)}: message ${asNumber(row.legacy_id)} is number ${Number(row.position)} in the original order (created_at, then id), ` +
        (row.seq === null ? 'but was not copied there' : `but has seq ${Number(row.seq)}`),
    );
  }
  const wrongCounters = await manager.query<{ id: string; last_message_seq: number | string; n: number | string }[]>(
    firstRows(
      dialect,
      'SELECT c.id, c.last_message_seq, (SELECT COUNT(*) FROM support_messages m WHERE m.conversation_id = c.id) AS n FROM support_conversations c ' +
        'WHERE c.last_message_seq <> (SELECT COUNT(*) FROM support_messages m2 WHERE m2.conversation_id = c.id) ORDER BY c.id',
      20,
    ),
  );
  for (const row of wrongCounters) problems.push(`conversation ${row.id}: last_message_seq ${Number(row.last_message_seq)}, ${Number(row.n)} messages`);
  if (problems.length > 0) throw new LegacyAdoptionVerificationError(problems.slice(0, 20));
  log(`verify: counts and per-conversation order match for ${await countOf(manager, legacyTableName('support_conversations'))} conversations`);
}

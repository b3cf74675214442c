import { DataSource, EntityManager, QueryRunner } from 'typeorm';
import { v5 as uuidv5 } from 'uuid';

import { CONVERSATION_PRIORITIES, CONVERSATION_STATUSES, ConversationPriority, ConversationStatus } from '../../conversations/conversation-status';
import { MESSAGE_TYPES, MessageType } from '../../messages/message-type';
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
  /** Conversations handled per batch of queries (default 200). */
  batchSize?: number;
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
  const batchSize = options.batchSize ?? 200;
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
    const renamed = (await queryRunner.hasTable(LEGACY_ADOPTION_STATE_TABLE)) && (await completedSteps(queryRunner)).has('rename');
    // Before anything changes: values the module has no place for would otherwise be rewritten silently.
    await assertKnownValues(queryRunner, renamed ? legacyTableName : (table) => table);
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
    await step('conversations', (manager) => copyConversations(manager, dialect, batchSize, log));
    await step('messages', (manager) => copyMessages(manager, dialect, batchSize, log));
    await step('participants', (manager) => copyParticipants(manager, dialect, batchSize, log));
    await step('verify', (manager) => verify(manager, dialect, batchSize, log));
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

function placeholder(dialect: SupportedDialect, index: number): string {
  if (dialect === 'postgres') return `$${index}`;
  if (dialect === 'mssql') return `@${index - 1}`;
  return '?';
}

/** The original timestamps are naive UTC; read as text so that no driver applies the server's time zone. */
function timestampAsText(dialect: SupportedDialect, column: string): string {
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
  if (pending.length === 0) return;
  if (dialect === 'mysql' || dialect === 'mariadb') {
    // One statement renames all of them atomically.
    await queryRunner.query(`RENAME TABLE ${pending.map((table) => `${table} TO ${legacyTableName(table)}`).join(', ')}`);
    return;
  }
  for (const table of pending) {
    if (dialect === 'mssql') await queryRunner.query(`EXEC sp_rename '${table}', '${legacyTableName(table)}'`);
    else await queryRunner.query(`ALTER TABLE ${table} RENAME TO ${legacyTableName(table)}`);
  }
}

async function hasOriginalShape(queryRunner: QueryRunner, table: string): Promise<boolean> {
  const state = await inspectLegacySchema(queryRunner);
  return state.originalTables.includes(table);
}

const asNumber = (value: number | string): number => Number(value);
const inList = (values: readonly number[]): string => values.map((value) => String(Math.trunc(value))).join(', ');

async function legacyConversationIds(manager: EntityManager): Promise<number[]> {
  const rows = await manager.query<{ id: number | string }[]>(`SELECT id FROM ${legacyTableName('support_conversations')} ORDER BY id`);
  return rows.map((row) => asNumber(row.id));
}

function* batches<T>(items: readonly T[], size: number): Generator<T[]> {
  for (let start = 0; start < items.length; start += size) yield items.slice(start, start + size);
}

/** Rows per INSERT: well under SQL Server's 2,100 parameters for the widest table (13 columns). */
const INSERT_CHUNK = 100;

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

async function copyConversations(manager: EntityManager, dialect: SupportedDialect, batchSize: number, log: (line: string) => void): Promise<void> {
  const ids = await legacyConversationIds(manager);
  const t = (column: string) => `${timestampAsText(dialect, column)} AS ${column}`;
  let copied = 0;
  for (const batch of batches(ids, batchSize)) {
    const rows = await manager.query<LegacyConversationRow[]>(
      `SELECT id, candidate_user_id, created_by_user_id, assigned_support_user_id, subject, status, priority, ${t('created_at')}, ${t('updated_at')}, ${t('last_message_at')} ` +
        `FROM ${legacyTableName('support_conversations')} c WHERE c.id IN (${inList(batch)}) ORDER BY c.id`,
    );
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
    log(`conversations: ${copied} of ${ids.length} copied`);
  }
}

async function copyMessages(manager: EntityManager, dialect: SupportedDialect, batchSize: number, log: (line: string) => void): Promise<void> {
  const ids = await legacyConversationIds(manager);
  const t = (column: string) => `${timestampAsText(dialect, column)} AS ${column}`;
  let copied = 0;
  for (const batch of batches(ids, batchSize)) {
    const candidates = new Map(
      (
        await manager.query<{ id: number | string; candidate_user_id: string }[]>(
          `SELECT id, candidate_user_id FROM ${legacyTableName('support_conversations')} WHERE id IN (${inList(batch)})`,
        )
      ).map((row) => [asNumber(row.id), row]),
    );
    // Ordered by the original timestamp column itself (full precision), then id: this order is `seq`.
    const rows = await manager.query<LegacyMessageRow[]>(
      'SELECT id, conversation_id, sender_user_id, content, message_type, attachment_url, attachment_name, attachment_mime_type, attachment_size_bytes, ' +
        `${t('created_at')}, ${t('edited_at')} FROM ${legacyTableName('support_messages')} m WHERE m.conversation_id IN (${inList(batch)}) ` +
        // Qualified so that the ORDER BY reads the columns, not the text aliases of the same names.
        'ORDER BY m.conversation_id, m.created_at, m.id',
    );
    const byConversation = new Map<number, LegacyMessageRow[]>();
    for (const row of rows) {
      const list = byConversation.get(asNumber(row.conversation_id)) ?? [];
      list.push(row);
      byConversation.set(asNumber(row.conversation_id), list);
    }
    const entities: SupportMessageEntity[] = [];
    const idPairs: [number, string][] = [];
    for (const [legacyConversationId, messages] of byConversation) {
      const conversationId = legacyConversationUuid(legacyConversationId);
      const candidateUserId = candidates.get(legacyConversationId)?.candidate_user_id;
      const counters = { lastCandidateMessageSeq: 0, lastStaffMessageSeq: 0, unansweredCandidateMessages: 0 };
      messages.forEach((row, index) => {
        const seq = index + 1;
        const id = legacyMessageUuid(asNumber(row.id));
        idPairs.push([asNumber(row.id), id]);
        const messageType = known(MESSAGE_TYPES, row.message_type, 'support_messages.message_type') as MessageType;
        entities.push(
          Object.assign(new SupportMessageEntity(), {
            id,
            conversationId,
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
        if (messageType === 'system') return;
        if (row.sender_user_id === candidateUserId) {
          counters.lastCandidateMessageSeq = seq;
          counters.unansweredCandidateMessages += 1;
        } else {
          counters.lastStaffMessageSeq = seq;
          counters.unansweredCandidateMessages = 0;
        }
      });
      const last = messages[messages.length - 1];
      await manager.update(
        SupportConversationEntity,
        { id: conversationId },
        { ...counters, lastMessageSeq: messages.length, lastMessageAt: parseNaiveUtc(last.created_at)! },
      );
    }
    await insertChunked(manager, SupportMessageEntity, entities);
    await insertIdMap(manager, dialect, 'message', idPairs);
    copied += entities.length;
    log(`messages: ${copied} copied (conversations up to ${batch[batch.length - 1]})`);
  }
}

async function copyParticipants(manager: EntityManager, dialect: SupportedDialect, batchSize: number, log: (line: string) => void): Promise<void> {
  const ids = await legacyConversationIds(manager);
  const t = (column: string) => `${timestampAsText(dialect, column)} AS ${column}`;
  let copied = 0;
  for (const batch of batches(ids, batchSize)) {
    const candidates = new Map(
      (
        await manager.query<{ id: number | string; candidate_user_id: string }[]>(
          `SELECT id, candidate_user_id FROM ${legacyTableName('support_conversations')} WHERE id IN (${inList(batch)})`,
        )
      ).map((row) => [asNumber(row.id), row.candidate_user_id]),
    );
    const participants = await manager.query<LegacyParticipantRow[]>(
      `SELECT id, conversation_id, user_id, ${t('joined_at')}, ${t('last_read_at')}, last_read_message_id FROM ${legacyTableName('support_conversation_participants')} p ` +
        `WHERE p.conversation_id IN (${inList(batch)}) ORDER BY p.id`,
    );
    // Each conversation's messages in `seq` order, by legacy id, to place the read markers.
    const messages = await manager.query<{ id: number | string; conversation_id: number | string }[]>(
      `SELECT id, conversation_id FROM ${legacyTableName('support_messages')} WHERE conversation_id IN (${inList(batch)}) ORDER BY conversation_id, created_at, id`,
    );
    const timeline = new Map<number, number[]>();
    for (const row of messages) {
      const list = timeline.get(asNumber(row.conversation_id)) ?? [];
      list.push(asNumber(row.id));
      timeline.set(asNumber(row.conversation_id), list);
    }
    const entities = participants.map((row) => {
      const conversation = asNumber(row.conversation_id);
      const legacyIds = timeline.get(conversation) ?? [];
      let readSeq = 0;
      if (row.last_read_message_id !== null) {
        const marker = asNumber(row.last_read_message_id);
        const exact = legacyIds.indexOf(marker);
        if (exact >= 0) readSeq = exact + 1;
        else {
          // The message is gone (or belongs elsewhere): ids grow as messages are written, so the marker
          // covers the last message of this conversation with a smaller id.
          legacyIds.forEach((legacyId, index) => {
            if (legacyId < marker) readSeq = Math.max(readSeq, index + 1);
          });
        }
      }
      return Object.assign(new SupportConversationParticipantEntity(), {
        id: legacyParticipantUuid(asNumber(row.id)),
        conversationId: legacyConversationUuid(conversation),
        userId: row.user_id,
        participantRole: row.user_id === candidates.get(conversation) ? 'candidate' : 'support',
        joinedAt: parseNaiveUtc(row.joined_at)!,
        lastReadAt: parseNaiveUtc(row.last_read_at),
        lastReadMessageId: readSeq > 0 ? legacyMessageUuid(legacyIds[readSeq - 1]) : null,
        lastReadSeq: readSeq,
      });
    });
    await insertChunked(manager, SupportConversationParticipantEntity, entities);
    copied += entities.length;
    log(`participants: ${copied} copied`);
  }
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

async function verify(manager: EntityManager, dialect: SupportedDialect, batchSize: number, log: (line: string) => void): Promise<void> {
  const problems: string[] = [];
  for (const table of LEGACY_CLASHING_TABLES) {
    const [original, copy] = [await countOf(manager, legacyTableName(table)), await countOf(manager, table)];
    if (original !== copy) problems.push(`${table}: ${original} rows in ${legacyTableName(table)}, ${copy} after adoption`);
  }
  const ids = await legacyConversationIds(manager);
  for (const batch of batches(ids, batchSize)) {
    const original = await manager.query<{ id: number | string; conversation_id: number | string }[]>(
      `SELECT id, conversation_id FROM ${legacyTableName('support_messages')} WHERE conversation_id IN (${inList(batch)}) ORDER BY conversation_id, created_at, id`,
    );
    const expected = new Map<string, string[]>();
    for (const row of original) {
      const key = legacyConversationUuid(asNumber(row.conversation_id));
      expected.set(key, [...(expected.get(key) ?? []), legacyMessageUuid(asNumber(row.id))]);
    }
    const uuids = batch.map(legacyConversationUuid);
    const params = uuids.map((_, i) => placeholder(dialect, i + 1)).join(', ');
    const copied = await manager.query<{ id: string; conversation_id: string; seq: number | string }[]>(
      `SELECT id, conversation_id, seq FROM support_messages WHERE conversation_id IN (${params}) ORDER BY conversation_id, seq`,
      uuids,
    );
    const actual = new Map<string, { id: string; seq: number }[]>();
    for (const row of copied) actual.set(row.conversation_id, [...(actual.get(row.conversation_id) ?? []), { id: row.id, seq: Number(row.seq) }]);
    const conversations = await manager.query<{ id: string; last_message_seq: number | string }[]>(
      `SELECT id, last_message_seq FROM support_conversations WHERE id IN (${params})`,
      uuids,
    );
    const lastSeq = new Map(conversations.map((row) => [row.id, Number(row.last_message_seq)]));
    for (const [index, uuid] of uuids.entries()) {
      const want = expected.get(uuid) ?? [];
      const got = actual.get(uuid) ?? [];
      if (!lastSeq.has(uuid)) problems.push(`conversation ${batch[index]} was not copied`);
      else if (lastSeq.get(uuid) !== want.length) problems.push(`conversation ${batch[index]}: last_message_seq ${lastSeq.get(uuid)}, ${want.length} messages`);
      const inOrder = got.length === want.length && got.every((message, i) => message.seq === i + 1 && message.id === want[i]);
      if (!inOrder) problems.push(`conversation ${batch[index]}: messages are not in the original order (created_at, then id) with seq 1..${want.length}`);
    }
  }
  if (problems.length > 0) throw new LegacyAdoptionVerificationError(problems.slice(0, 20));
  log(`verify: counts and per-conversation order match for ${ids.length} conversations`);
}

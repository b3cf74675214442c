import { SCHEMA_LIMITS } from '../../config/support-chat.config';

/**
 * The chat's tables described once, independently of the database. The start-up check and the
 * TypeORM migration both build their DDL from this description, so the two cannot disagree.
 */
export type LogicalColumnType = 'id' | 'short_text' | 'long_text' | 'int' | 'bigint' | 'timestamp';

export interface ColumnSpec {
  name: string;
  type: LogicalColumnType;
  /** Characters, for `short_text`. */
  length?: number;
  nullable?: boolean;
  /** A literal default, needed for columns added to tables that already hold rows. */
  default?: number | string;
  /**
   * Portable SQL run once, right after the column was added to an existing table, to give the rows
   * already there their real value (the default is only right for new rows).
   */
  backfill?: string;
}

export interface IndexSpec {
  name: string;
  columns: string[];
  unique?: boolean;
}

export interface ForeignKeySpec {
  name: string;
  columns: string[];
  referencedTable: string;
  referencedColumns: string[];
}

export interface TableSpec {
  name: string;
  primaryKey: string;
  primaryKeyName: string;
  columns: ColumnSpec[];
  indices: IndexSpec[];
  foreignKeys: ForeignKeySpec[];
}

const USER_ID = { type: 'id' } as const;

export const SUPPORT_CHAT_SCHEMA: readonly TableSpec[] = [
  {
    name: 'support_conversations',
    primaryKey: 'id',
    primaryKeyName: 'pk_support_conversations',
    columns: [
      { name: 'id', type: 'id' },
      { name: 'candidate_user_id', ...USER_ID },
      { name: 'created_by_user_id', ...USER_ID },
      { name: 'assigned_support_user_id', ...USER_ID, nullable: true },
      { name: 'subject', type: 'short_text', length: SCHEMA_LIMITS.subjectLength, nullable: true },
      { name: 'status', type: 'short_text', length: 16, default: 'open' },
      { name: 'priority', type: 'short_text', length: 16, default: 'normal' },
      { name: 'created_at', type: 'timestamp' },
      { name: 'updated_at', type: 'timestamp' },
      { name: 'last_message_at', type: 'timestamp' },
      { name: 'last_message_seq', type: 'int', default: 0 },
      { name: 'last_candidate_message_seq', type: 'int', default: 0 },
      { name: 'last_staff_message_seq', type: 'int', default: 0 },
      {
        name: 'unanswered_candidate_messages',
        type: 'int',
        default: 0,
        // Added after 0.1.0: rows written before it get their value from the messages.
        backfill:
          'UPDATE support_conversations SET unanswered_candidate_messages = (SELECT COUNT(*) FROM support_messages m ' +
          "WHERE m.conversation_id = support_conversations.id AND m.message_type <> 'system' AND m.seq > support_conversations.last_staff_message_seq)",
      },
      // --- Internal notes, transfer and escalation, unassigned queue (issue 16 part 2, migration 1780100000000) ---
      {
        // `seq` of the newest entry the candidate sees (notes skipped): their list preview, ETag and history end.
        name: 'last_visible_message_seq',
        type: 'int',
        default: 0,
        backfill: 'UPDATE support_conversations SET last_visible_message_seq = last_message_seq',
      },
      {
        // When the oldest candidate message the team has not answered was written (null when none): the queue's order.
        name: 'waiting_since',
        type: 'timestamp',
        nullable: true,
        backfill:
          'UPDATE support_conversations SET waiting_since = (SELECT MIN(m.created_at) FROM support_messages m ' +
          "WHERE m.conversation_id = support_conversations.id AND m.message_type <> 'system' AND m.seq > support_conversations.last_staff_message_seq)",
      },
      { name: 'handling_tier', type: 'short_text', length: 16, default: 'agent' },
      { name: 'escalated_at', type: 'timestamp', nullable: true },
    ],
    indices: [
      { name: 'ix_support_conversations_activity', columns: ['last_message_at', 'id'] },
      { name: 'ix_support_conversations_candidate_activity', columns: ['candidate_user_id', 'last_message_at'] },
      { name: 'ix_support_conversations_status_activity', columns: ['status', 'last_message_at'] },
      { name: 'ix_support_conversations_assignee_activity', columns: ['assigned_support_user_id', 'last_message_at'] },
      // The staff unread count reads only this index: the conversations waiting for an answer.
      { name: 'ix_support_conversations_unanswered', columns: ['unanswered_candidate_messages'] },
      // Issue 16 part 2: the "Sin asignar" queue (oldest waiting first) and the tier filter.
      { name: 'ix_support_conversations_queue', columns: ['assigned_support_user_id', 'waiting_since'] },
      { name: 'ix_support_conversations_tier_activity', columns: ['handling_tier', 'last_message_at'] },
    ],
    foreignKeys: [],
  },
  {
    name: 'support_conversation_participants',
    primaryKey: 'id',
    primaryKeyName: 'pk_support_conversation_participants',
    columns: [
      { name: 'id', type: 'id' },
      { name: 'conversation_id', type: 'id' },
      { name: 'user_id', ...USER_ID },
      { name: 'participant_role', type: 'short_text', length: 16 },
      { name: 'joined_at', type: 'timestamp' },
      { name: 'last_read_at', type: 'timestamp', nullable: true },
      { name: 'last_read_message_id', type: 'id', nullable: true },
      { name: 'last_read_seq', type: 'int', default: 0 },
    ],
    indices: [
      { name: 'uq_support_participants_conversation_user', columns: ['conversation_id', 'user_id'], unique: true },
      { name: 'ix_support_participants_user', columns: ['user_id'] },
    ],
    foreignKeys: [
      {
        name: 'fk_support_participants_conversation',
        columns: ['conversation_id'],
        referencedTable: 'support_conversations',
        referencedColumns: ['id'],
      },
    ],
  },
  {
    name: 'support_messages',
    primaryKey: 'id',
    primaryKeyName: 'pk_support_messages',
    columns: [
      { name: 'id', type: 'id' },
      { name: 'conversation_id', type: 'id' },
      { name: 'seq', type: 'int', default: 0 },
      { name: 'client_message_id', type: 'id' },
      { name: 'sender_user_id', ...USER_ID },
      { name: 'content', type: 'long_text', nullable: true },
      { name: 'message_type', type: 'short_text', length: 16, default: 'text' },
      { name: 'attachment_url', type: 'short_text', length: SCHEMA_LIMITS.attachmentUrlLength, nullable: true },
      { name: 'attachment_name', type: 'short_text', length: SCHEMA_LIMITS.attachmentNameLength, nullable: true },
      { name: 'attachment_mime_type', type: 'short_text', length: SCHEMA_LIMITS.mimeTypeLength, nullable: true },
      { name: 'attachment_size_bytes', type: 'bigint', nullable: true },
      { name: 'created_at', type: 'timestamp' },
      { name: 'edited_at', type: 'timestamp', nullable: true },
    ],
    indices: [
      { name: 'uq_support_messages_conversation_seq', columns: ['conversation_id', 'seq'], unique: true },
      { name: 'uq_support_messages_sender_client_id', columns: ['sender_user_id', 'client_message_id'], unique: true },
      // Staff unread counts subtract the system entries after a threshold: a seek per conversation here
      // instead of walking every unread message (see UnreadCounter).
      { name: 'ix_support_messages_conversation_type_seq', columns: ['conversation_id', 'message_type', 'seq'] },
    ],
    foreignKeys: [
      {
        name: 'fk_support_messages_conversation',
        columns: ['conversation_id'],
        referencedTable: 'support_conversations',
        referencedColumns: ['id'],
      },
    ],
  },
];

export const SUPPORT_CHAT_TABLE_NAMES = SUPPORT_CHAT_SCHEMA.map((table) => table.name);

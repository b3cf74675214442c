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
  // ---- Issue 17 part 1 (H17a): CSAT ratings, business hours and the automatic reply, expected reply time ----
  {
    name: 'support_conversation_ratings',
    primaryKey: 'id',
    primaryKeyName: 'pk_support_conversation_ratings',
    columns: [
      { name: 'id', type: 'id' },
      { name: 'conversation_id', type: 'id' },
      /** Which resolution of the conversation is rated: its `resolution_count` when the rating was given. */
      { name: 'resolution_number', type: 'int' },
      { name: 'candidate_user_id', ...USER_ID },
      { name: 'rating', type: 'int' },
      { name: 'comment', type: 'short_text', length: SCHEMA_LIMITS.ratingCommentLength, nullable: true },
      { name: 'created_at', type: 'timestamp' },
      { name: 'updated_at', type: 'timestamp' },
    ],
    indices: [{ name: 'uq_support_ratings_conversation_resolution', columns: ['conversation_id', 'resolution_number'], unique: true }],
    foreignKeys: [
      {
        name: 'fk_support_ratings_conversation',
        columns: ['conversation_id'],
        referencedTable: 'support_conversations',
        referencedColumns: ['id'],
      },
    ],
  },
  {
    // Settings shared by every instance (business hours, automatic reply text), one JSON value per key.
    name: 'support_chat_settings',
    primaryKey: 'setting_key',
    primaryKeyName: 'pk_support_chat_settings',
    columns: [
      { name: 'setting_key', type: 'short_text', length: 64 },
      { name: 'value', type: 'long_text' },
      { name: 'updated_at', type: 'timestamp' },
      { name: 'updated_by_user_id', ...USER_ID, nullable: true },
    ],
    indices: [],
    foreignKeys: [],
  },
  // --- Quick replies and labels (issue 16, part 1): migration 1780000000000 ---------------------------
  {
    name: 'support_quick_replies',
    primaryKey: 'id',
    primaryKeyName: 'pk_support_quick_replies',
    columns: [
      { name: 'id', type: 'id' },
      // `team`, or `user:<owner_user_id>`: never NULL, so that the unique shortcut key means the same on every dialect.
      { name: 'owner_scope', type: 'short_text', length: 48 },
      { name: 'owner_user_id', ...USER_ID, nullable: true },
      { name: 'title', type: 'short_text', length: SCHEMA_LIMITS.quickReplyTitleLength },
      { name: 'body', type: 'long_text' },
      { name: 'shortcut', type: 'short_text', length: SCHEMA_LIMITS.quickReplyShortcutLength, nullable: true },
      // The shortcut in lower case, or `#<id>` without one: unique per owner scope, never NULL.
      { name: 'shortcut_key', type: 'short_text', length: 48 },
      { name: 'position', type: 'int', default: 0 },
      { name: 'created_by_user_id', ...USER_ID },
      { name: 'created_at', type: 'timestamp' },
      { name: 'updated_at', type: 'timestamp' },
    ],
    indices: [
      { name: 'uq_support_quick_replies_scope_shortcut', columns: ['owner_scope', 'shortcut_key'], unique: true },
      { name: 'ix_support_quick_replies_scope_position', columns: ['owner_scope', 'position'] },
    ],
    foreignKeys: [],
  },
  {
    name: 'support_labels',
    primaryKey: 'id',
    primaryKeyName: 'pk_support_labels',
    columns: [
      { name: 'id', type: 'id' },
      { name: 'name', type: 'short_text', length: SCHEMA_LIMITS.labelNameLength },
      // The name in lower case: names are unique regardless of case on every dialect's collation.
      { name: 'name_key', type: 'short_text', length: SCHEMA_LIMITS.labelNameLength },
      { name: 'color', type: 'short_text', length: 7 },
      { name: 'position', type: 'int', default: 0 },
      { name: 'created_at', type: 'timestamp' },
      { name: 'updated_at', type: 'timestamp' },
    ],
    indices: [{ name: 'uq_support_labels_name_key', columns: ['name_key'], unique: true }],
    foreignKeys: [],
  },
  {
    name: 'support_conversation_labels',
    primaryKey: 'id',
    primaryKeyName: 'pk_support_conversation_labels',
    columns: [
      { name: 'id', type: 'id' },
      { name: 'conversation_id', type: 'id' },
      { name: 'label_id', type: 'id' },
      { name: 'added_by_user_id', ...USER_ID },
      { name: 'added_at', type: 'timestamp' },
    ],
    indices: [
      { name: 'uq_support_conversation_labels_pair', columns: ['conversation_id', 'label_id'], unique: true },
      // The inbox filter by label.
      { name: 'ix_support_conversation_labels_label', columns: ['label_id', 'conversation_id'] },
    ],
    foreignKeys: [
      {
        name: 'fk_support_conversation_labels_conversation',
        columns: ['conversation_id'],
        referencedTable: 'support_conversations',
        referencedColumns: ['id'],
      },
      { name: 'fk_support_conversation_labels_label', columns: ['label_id'], referencedTable: 'support_labels', referencedColumns: ['id'] },
    ],
  },
  // --- Issue 17 part 2 (H17b): e-mail when away (outbox) and the candidates' chat preferences ---
  {
    // One row per e-mail the away notifier claimed: the unique key (conversation, window) is the claim, so a
    // retried job or a second instance never sends the same window twice. A window is the candidate's read
    // marker when the unread replies began: once they read, a later reply opens a new window.
    name: 'support_email_notifications',
    primaryKey: 'id',
    primaryKeyName: 'pk_support_email_notifications',
    columns: [
      { name: 'id', type: 'id' },
      { name: 'conversation_id', type: 'id' },
      { name: 'recipient_user_id', ...USER_ID },
      { name: 'window_seq', type: 'int' },
      { name: 'message_seq', type: 'int' },
      { name: 'status', type: 'short_text', length: 16, default: 'sending' },
      { name: 'attempts', type: 'int', default: 0 },
      { name: 'created_at', type: 'timestamp' },
      { name: 'updated_at', type: 'timestamp' },
      { name: 'sent_at', type: 'timestamp', nullable: true },
      { name: 'last_error', type: 'short_text', length: 255, nullable: true },
    ],
    indices: [
      { name: 'uq_support_email_notifications_window', columns: ['conversation_id', 'window_seq'], unique: true },
      { name: 'ix_support_email_notifications_status', columns: ['status', 'updated_at'] },
    ],
    foreignKeys: [
      {
        name: 'fk_support_email_notifications_conversation',
        columns: ['conversation_id'],
        referencedTable: 'support_conversations',
        referencedColumns: ['id'],
      },
    ],
  },
  {
    // A user's chat preferences; no row means the defaults (e-mail when away: on).
    name: 'support_chat_preferences',
    primaryKey: 'user_id',
    primaryKeyName: 'pk_support_chat_preferences',
    columns: [
      { name: 'user_id', ...USER_ID },
      { name: 'email_when_away', type: 'int', default: 1 },
      { name: 'updated_at', type: 'timestamp' },
    ],
    indices: [],
    foreignKeys: [],
  },
  // ---- H18a: audit trail (issue 18). Append-only; no foreign key to the conversation, so entries stay
  // whatever happens to the rows they describe.
  {
    name: 'support_audit_events',
    primaryKey: 'id',
    primaryKeyName: 'pk_support_audit_events',
    columns: [
      { name: 'id', type: 'id' },
      { name: 'occurred_at', type: 'timestamp' },
      { name: 'actor_user_id', ...USER_ID },
      { name: 'actor_role', type: 'short_text', length: 64 },
      { name: 'action', type: 'short_text', length: 64 },
      { name: 'conversation_id', type: 'id', nullable: true },
      { name: 'before_json', type: 'long_text', nullable: true },
      { name: 'after_json', type: 'long_text', nullable: true },
    ],
    indices: [
      // Newest first, keyset-paged by (occurred_at, id); one index per filter.
      { name: 'ix_support_audit_events_time', columns: ['occurred_at', 'id'] },
      { name: 'ix_support_audit_events_actor_time', columns: ['actor_user_id', 'occurred_at'] },
      { name: 'ix_support_audit_events_action_time', columns: ['action', 'occurred_at'] },
      { name: 'ix_support_audit_events_conversation_time', columns: ['conversation_id', 'occurred_at'] },
    ],
    foreignKeys: [],
  },
];

/**
 * Columns of `support_conversations` added by issue 17 part 1 (H17a), kept on write in the UPDATE that
 * allocates `seq` (no message scans). Reports read them (see README "Satisfaction, business hours").
 */
const ISSUE_17A_CONVERSATION_COLUMNS: ColumnSpec[] = [
  // When the candidate's first text/attachment message arrived (null until then).
  {
    name: 'first_candidate_message_at',
    type: 'timestamp',
    nullable: true,
    backfill:
      'UPDATE support_conversations SET first_candidate_message_at = (SELECT MIN(m.created_at) FROM support_messages m ' +
      "WHERE m.conversation_id = support_conversations.id AND m.message_type <> 'system' AND m.sender_user_id = support_conversations.candidate_user_id)",
  },
  // The first staff text/attachment reply after the candidate's first message (system lines and automatic replies never count).
  {
    name: 'first_response_at',
    type: 'timestamp',
    nullable: true,
    backfill:
      'UPDATE support_conversations SET first_response_at = (SELECT MIN(m.created_at) FROM support_messages m ' +
      "WHERE m.conversation_id = support_conversations.id AND m.message_type <> 'system' AND m.sender_user_id <> support_conversations.candidate_user_id " +
      'AND m.created_at >= support_conversations.first_candidate_message_at)',
  },
  // Transitions from open into resolved/closed so far: the resolution a rating belongs to.
  {
    name: 'resolution_count',
    type: 'int',
    default: 0,
    backfill: "UPDATE support_conversations SET resolution_count = 1 WHERE status IN ('resolved', 'closed')",
  },
  // When the latest resolution happened (null until the first one).
  {
    name: 'resolved_at',
    type: 'timestamp',
    nullable: true,
    backfill: "UPDATE support_conversations SET resolved_at = updated_at WHERE status IN ('resolved', 'closed')",
  },
  // 1 when the candidate's first message arrived outside business hours.
  { name: 'arrived_outside_hours', type: 'int', default: 0 },
  // The candidate's latest rating (1-5) of the conversation, null until rated: the staff list shows it without reading the ratings.
  { name: 'latest_rating', type: 'int', nullable: true },
  // The closed period (its key, see `closedPeriodKey`) whose automatic reply this conversation got: the once-only claim.
  { name: 'auto_reply_period', type: 'short_text', length: 40, nullable: true },
];
const conversationsTable = SUPPORT_CHAT_SCHEMA.find((table) => table.name === 'support_conversations')!;
conversationsTable.columns.push(...ISSUE_17A_CONVERSATION_COLUMNS);
conversationsTable.indices.push({ name: 'ix_support_conversations_first_response', columns: ['first_response_at'] });

export const SUPPORT_CHAT_TABLE_NAMES = SUPPORT_CHAT_SCHEMA.map((table) => table.name);

/**
 * A database as the original (Flask) support chat left it: its five tables with the shape of its
 * SQLAlchemy models (integer ids, no `seq`, naive UTC DATETIME), translated per dialect from the SQL
 * Server production DDL, plus a `users` table they reference. Used by the adoption tests and, with
 * `SUPPORT_CHAT_TEST_ON_ADOPTED_LEGACY=true`, to run the whole chat suite on an adopted database.
 */
import { DataSource } from 'typeorm';

import { TEST_USERS } from './chat-test-app';

type LegacyDialect = 'sqlite' | 'postgres' | 'mariadb';

function legacyDialect(dataSource: DataSource): LegacyDialect {
  switch (dataSource.options.type) {
    case 'better-sqlite3':
      return 'sqlite';
    case 'postgres':
      return 'postgres';
    case 'mysql':
    case 'mariadb':
      return 'mariadb';
    default:
      throw new Error(`no legacy fixture for ${dataSource.options.type}`);
  }
}

/** SQL Server types of the original -> each dialect's equivalent (NVARCHAR for emoji, naive DATETIME). */
const TYPES: Record<LegacyDialect, Record<'text' | 'datetime' | 'bool' | 'suffix', string>> = {
  sqlite: { text: 'TEXT', datetime: 'DATETIME', bool: 'BOOLEAN', suffix: '' },
  // `timestamp without time zone`: naive, as DATETIME on SQL Server; 6 digits, as the Python side writes.
  postgres: { text: 'TEXT', datetime: 'TIMESTAMP(6) WITHOUT TIME ZONE', bool: 'BOOLEAN', suffix: '' },
  mariadb: { text: 'LONGTEXT', datetime: 'DATETIME(6)', bool: 'TINYINT(1)', suffix: ' CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci' },
};

export function legacyDdl(dialect: LegacyDialect, withUsers = true): string[] {
  const { text, datetime, bool, suffix } = TYPES[dialect];
  // A host with its own `users` table (the demo) builds the chat tables without these references.
  const user = (column: string, onDelete: string) => (withUsers ? `,\n      FOREIGN KEY(${column}) REFERENCES users (id) ON DELETE ${onDelete}` : '');
  return [
    ...(withUsers
      ? [`CREATE TABLE users (id VARCHAR(36) NOT NULL, username VARCHAR(150) NOT NULL, role VARCHAR(40) NOT NULL, PRIMARY KEY (id))${suffix}`]
      : []),
    `CREATE TABLE support_conversations (
      id INTEGER NOT NULL, candidate_user_id VARCHAR(36) NOT NULL, created_by_user_id VARCHAR(36), assigned_support_user_id VARCHAR(36),
      assigned_coordinator_user_id VARCHAR(36), current_handler_role VARCHAR(20) NOT NULL, subject VARCHAR(255), status VARCHAR(20) NOT NULL,
      priority VARCHAR(20) NOT NULL, created_at ${datetime} NOT NULL, updated_at ${datetime} NOT NULL, last_message_at ${datetime} NOT NULL,
      PRIMARY KEY (id)${user('candidate_user_id', 'NO ACTION')}${user('created_by_user_id', 'NO ACTION')}${user('assigned_support_user_id', 'NO ACTION')}${user(
        'assigned_coordinator_user_id',
        'SET NULL',
      )})${suffix}`,
    'CREATE INDEX ix_support_conversations_current_handler_role ON support_conversations (current_handler_role)',
    'CREATE INDEX ix_support_conversations_status ON support_conversations (status)',
    'CREATE INDEX ix_support_conversations_assigned_coordinator_user_id ON support_conversations (assigned_coordinator_user_id)',
    'CREATE INDEX ix_support_conversations_last_message_at ON support_conversations (last_message_at)',
    'CREATE INDEX ix_support_conversations_created_by_user_id ON support_conversations (created_by_user_id)',
    'CREATE INDEX ix_support_conversations_candidate_status ON support_conversations (candidate_user_id, status)',
    'CREATE INDEX ix_support_conversations_candidate_user_id ON support_conversations (candidate_user_id)',
    'CREATE INDEX ix_support_conversations_assigned_support_user_id ON support_conversations (assigned_support_user_id)',
    `CREATE TABLE chat_message_templates (
      id INTEGER NOT NULL, owner_user_id VARCHAR(36), title VARCHAR(100) NOT NULL, content ${text} NOT NULL, is_global ${bool} NOT NULL,
      sort_order INTEGER NOT NULL, created_at ${datetime} NOT NULL, updated_at ${datetime} NOT NULL,
      PRIMARY KEY (id)${user('owner_user_id', 'CASCADE')})${suffix}`,
    'CREATE INDEX ix_chat_message_templates_owner_user_id ON chat_message_templates (owner_user_id)',
    'CREATE INDEX ix_chat_message_templates_is_global ON chat_message_templates (is_global)',
    `CREATE TABLE support_messages (
      id INTEGER NOT NULL, conversation_id INTEGER NOT NULL, sender_user_id VARCHAR(36), content ${text}, message_type VARCHAR(20) NOT NULL,
      attachment_url VARCHAR(500), attachment_name VARCHAR(255), attachment_mime_type VARCHAR(120), attachment_size_bytes BIGINT,
      created_at ${datetime} NOT NULL, edited_at ${datetime},
      PRIMARY KEY (id),
      FOREIGN KEY(conversation_id) REFERENCES support_conversations (id) ON DELETE CASCADE${user('sender_user_id', 'NO ACTION')})${suffix}`,
    'CREATE INDEX ix_support_messages_conversation_id ON support_messages (conversation_id)',
    'CREATE INDEX ix_support_messages_sender_user_id ON support_messages (sender_user_id)',
    'CREATE INDEX ix_support_messages_created_at ON support_messages (created_at)',
    'CREATE INDEX ix_support_messages_conversation_created ON support_messages (conversation_id, created_at)',
    `CREATE TABLE support_conversation_satisfaction (
      id INTEGER NOT NULL, conversation_id INTEGER NOT NULL, submitted_by_user_id VARCHAR(36), rating INTEGER NOT NULL, comment ${text},
      submitted_at ${datetime} NOT NULL, updated_at ${datetime} NOT NULL,
      PRIMARY KEY (id), CONSTRAINT ck_support_satisfaction_rating CHECK (rating >= 1 AND rating <= 5),
      FOREIGN KEY(conversation_id) REFERENCES support_conversations (id) ON DELETE CASCADE${user('submitted_by_user_id', 'SET NULL')})${suffix}`,
    'CREATE INDEX ix_support_conversation_satisfaction_submitted_by_user_id ON support_conversation_satisfaction (submitted_by_user_id)',
    'CREATE INDEX ix_support_conversation_satisfaction_submitted_at ON support_conversation_satisfaction (submitted_at)',
    'CREATE UNIQUE INDEX ix_support_conversation_satisfaction_conversation_id ON support_conversation_satisfaction (conversation_id)',
    // The original also declared last_read_message_id REFERENCES support_messages (id). The fixture leaves
    // that one foreign key out so that it can hold markers naming messages that do not exist, which the
    // adoption has to survive.
    `CREATE TABLE support_conversation_participants (
      id INTEGER NOT NULL, conversation_id INTEGER NOT NULL, user_id VARCHAR(36) NOT NULL, participant_role VARCHAR(20) NOT NULL,
      joined_at ${datetime} NOT NULL, last_read_at ${datetime}, last_read_message_id INTEGER,
      PRIMARY KEY (id), CONSTRAINT uq_support_conversation_user UNIQUE (conversation_id, user_id),
      FOREIGN KEY(conversation_id) REFERENCES support_conversations (id) ON DELETE CASCADE${user('user_id', 'NO ACTION')})${suffix}`,
    'CREATE INDEX ix_support_conversation_participants_last_read_message_id ON support_conversation_participants (last_read_message_id)',
    'CREATE INDEX ix_support_conversation_participants_user_id ON support_conversation_participants (user_id)',
    'CREATE INDEX ix_support_conversation_participants_conversation_id ON support_conversation_participants (conversation_id)',
    'CREATE INDEX ix_support_participants_user_conversation ON support_conversation_participants (user_id, conversation_id)',
  ];
}

/**
 * Realistic rows: naive UTC times with microseconds, emoji, an attachment, a system entry without a
 * sender, two messages written in the same microsecond (order by id), ids that do not follow time, a
 * conversation without messages, a read marker naming a message that no longer exists.
 */
export function legacyData(dialect: LegacyDialect, withUsers = true): string[] {
  const [C1, C2, S1, S2] = [TEST_USERS.candidate1.id, TEST_USERS.candidate2.id, TEST_USERS.support1.id, TEST_USERS.support2.id];
  const bool = (value: boolean) => (dialect === 'postgres' ? String(value).toUpperCase() : value ? '1' : '0');
  const q = (value: string | null) => (value === null ? 'NULL' : `'${value.replace(/'/g, "''")}'`);
  const users = [
    [C1, 'candidato1', 'candidato'],
    [C2, 'candidato2', 'candidato'],
    [S1, 'soporte1', 'soporte'],
    [S2, 'soporte2', 'soporte'],
  ];
  const conversations: [number, string, string | null, string | null, string | null, string, string, string, string, string][] = [
    // id, candidate, created_by, assigned, subject, status, priority, created_at, updated_at, last_message_at
    [
      1,
      C1,
      C1,
      S1,
      'No puedo iniciar mi examen 😟',
      'open',
      'normal',
      '2025-03-01 14:00:00.000000',
      '2025-03-01 15:00:00.000000',
      '2025-03-01 15:00:00.000000',
    ],
    [2, C2, null, null, null, 'closed', 'high', '2025-03-02 09:00:00.500000', '2025-03-02 09:00:00.500000', '2025-03-02 09:00:00.500000'],
    [
      3,
      C1,
      S2,
      S2,
      'Seguimiento de tu certificado',
      'resolved',
      'low',
      '2025-03-03 10:00:00.000000',
      '2025-03-03 12:00:00.000000',
      '2025-03-03 12:00:00.000000',
    ],
  ];
  const messages: [number, number, string | null, string | null, string, string | null, string | null, string | null, number | null, string, string | null][] =
    [
      // id, conversation, sender, content, type, url, name, mime, size, created_at, edited_at
      [10, 1, C1, 'Hola, la página se queda en blanco 😟 ¿me ayudan?', 'text', null, null, null, null, '2025-03-01 14:00:05.123456', null],
      [
        12,
        1,
        S1,
        'Claro, revisa esta guía',
        'attachment',
        'https://storage.example.com/guias/guía examen.pdf',
        'guía examen.pdf',
        'application/pdf',
        248_913,
        '2025-03-01 14:10:00.000001',
        null,
      ],
      // Written before message 12 but given a later id (two app servers): seq follows the time.
      [13, 1, C1, 'Ya funcionó, gracias 🙌', 'text', null, null, null, null, '2025-03-01 14:05:09.999999', '2025-03-01 14:06:00.000000'],
      [14, 1, null, 'Conversación asignada a soporte1', 'system', null, null, null, null, '2025-03-01 14:30:00.000000', null],
      // Two messages in the same microsecond: the smaller id first.
      [16, 1, C1, 'Otra pregunta: ¿y el certificado?', 'text', null, null, null, null, '2025-03-01 15:00:00.000000', null],
      [15, 1, C1, 'Una cosa más', 'text', null, null, null, null, '2025-03-01 15:00:00.000000', null],
      [20, 3, S2, 'Tu certificado ya está listo.', 'text', null, null, null, null, '2025-03-03 10:00:00.000000', null],
      [21, 3, C1, '¡Gracias! ¿Cuándo llega?', 'text', null, null, null, null, '2025-03-03 11:00:00.000000', null],
      [30, 3, S2, 'Esta semana.', 'text', null, null, null, null, '2025-03-03 12:00:00.000000', null],
    ];
  const participants: [number, number, string, string, string, string | null, number | null][] = [
    // id, conversation, user, role, joined_at, last_read_at, last_read_message_id
    [1, 1, C1, 'candidate', '2025-03-01 14:00:00.000000', '2025-03-01 14:10:30.000000', 12],
    [2, 1, S1, 'support', '2025-03-01 14:09:00.000000', null, null],
    [3, 2, C2, 'candidate', '2025-03-02 09:00:00.500000', null, null],
    // Message 25 no longer exists: the marker covers what was written before it (20 and 21).
    [4, 3, C1, 'candidate', '2025-03-03 10:00:00.000000', '2025-03-03 11:30:00.000000', 25],
    [5, 3, S2, 'coordinator', '2025-03-03 10:00:00.000000', '2025-03-03 12:00:00.000000', 30],
  ];
  return [
    ...(withUsers ? [`INSERT INTO users (id, username, role) VALUES ${users.map((u) => `(${u.map(q).join(', ')})`).join(', ')}`] : []),
    `INSERT INTO support_conversations (id, candidate_user_id, created_by_user_id, assigned_support_user_id, assigned_coordinator_user_id, current_handler_role, subject, status, priority, created_at, updated_at, last_message_at) VALUES ${conversations
      .map(([id, candidate, by, assigned, subject, status, priority, created, updated, last]) =>
        [id, q(candidate), q(by), q(assigned), 'NULL', q('support'), q(subject), q(status), q(priority), q(created), q(updated), q(last)].join(', '),
      )
      .map((row) => `(${row})`)
      .join(', ')}`,
    `INSERT INTO support_messages (id, conversation_id, sender_user_id, content, message_type, attachment_url, attachment_name, attachment_mime_type, attachment_size_bytes, created_at, edited_at) VALUES ${messages
      .map(([id, conversation, sender, content, type, url, name, mime, size, created, edited]) =>
        [id, conversation, q(sender), q(content), q(type), q(url), q(name), q(mime), size ?? 'NULL', q(created), q(edited)].join(', '),
      )
      .map((row) => `(${row})`)
      .join(', ')}`,
    `INSERT INTO support_conversation_participants (id, conversation_id, user_id, participant_role, joined_at, last_read_at, last_read_message_id) VALUES ${participants
      .map(([id, conversation, user, role, joined, read, marker]) => [id, conversation, q(user), q(role), q(joined), q(read), marker ?? 'NULL'].join(', '))
      .map((row) => `(${row})`)
      .join(', ')}`,
    `INSERT INTO support_conversation_satisfaction (id, conversation_id, submitted_by_user_id, rating, comment, submitted_at, updated_at) VALUES (1, 3, ${q(C1)}, 5, 'Excelente atención 👏', '2025-03-03 12:05:00.000000', '2025-03-03 12:05:00.000000')`,
    `INSERT INTO chat_message_templates (id, owner_user_id, title, content, is_global, sort_order, created_at, updated_at) VALUES (1, NULL, 'Saludo', 'Hola, ¿en qué te ayudo? 🙂', ${bool(true)}, 1, '2025-01-01 00:00:00.000000', '2025-01-01 00:00:00.000000')`,
  ];
}

/**
 * Builds the original module's tables in `dataSource`'s (empty) database, with rows unless `empty`;
 * `withUsers: false` leaves out the `users` table and the references to it (for a host that brings its own).
 */
export async function createLegacyDatabase(dataSource: DataSource, options: { empty?: boolean; withUsers?: boolean } = {}): Promise<void> {
  const dialect = legacyDialect(dataSource);
  const withUsers = options.withUsers ?? true;
  for (const statement of legacyDdl(dialect, withUsers)) await dataSource.query(statement);
  if (!options.empty) for (const statement of legacyData(dialect, withUsers)) await dataSource.query(statement);
}

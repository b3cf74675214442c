/**
 * Builds a realistic support-chat database fast, with bulk inserts (never through the HTTP API).
 *
 *   tsx bench/seed.ts --db sqlite:/tmp/chat-bench.sqlite --candidates 10000 --staff 20 \
 *     --conversations 10000 --messages 500000 --deep 100000
 *   tsx bench/seed.ts --db postgres://postgres@127.0.0.1:5432/chat_bench ...
 *
 * The schema comes from the code that owns it: the host's `ensureUsersTable` and the module's
 * `checkAndCreateSupportChatTables` (from the compiled build, see lib/server-build.ts). Rows then go in
 * with prepared statements inside large transactions (SQLite, better-sqlite3 directly) or with
 * `INSERT ... SELECT FROM unnest($1::type[], ...)` batches (PostgreSQL, pg directly).
 *
 * The data keeps the module's invariants:
 * - per conversation, `seq` runs 1..n without gaps; `last_message_seq`, `last_candidate_message_seq`,
 *   `last_staff_message_seq` (system entries excluded), `unanswered_candidate_messages` and `last_message_at` match the messages;
 * - the candidate writes first; a conversation with a staff reply is assigned to that agent, who is a
 *   participant; about 15% are still unanswered and unassigned;
 * - read markers are at or after the reader's own last message (writing means having read), spread so
 *   that many conversations have unread messages for the candidate and for staff;
 * - `(sender_user_id, client_message_id)` is unique; resolved/closed conversations end with the
 *   `system` entry of their status change.
 * Conversation 0 is the deep one (`--deep` messages). Ids are valid UUIDs that encode what they are
 * (`bench/lib/ids.ts`), so the benchmark finds users and conversations without querying.
 */
import { parseArgs } from 'node:util';

import { DataSource } from 'typeorm';

import {
  conversationId,
  messageId,
  clientMessageId,
  participantId,
  candidateId,
  staffId,
  staffRole,
  BENCH_PASSWORD,
  candidateUsername,
  staffUsername,
} from './lib/ids';
import { newPgClient } from './lib/pg';
import { loadHostBuild } from './lib/server-build';

export interface SeedOptions {
  db: string;
  candidates: number;
  staff: number;
  conversations: number;
  messages: number;
  deep: number;
  /** PRNG seed: the same options give the same database. */
  seed?: number;
  log?: (line: string) => void;
}

export interface SeedReport {
  users: number;
  conversations: number;
  messages: number;
  participants: number;
  /** Conversations with something unread for the bench staff user (staff 0) / for their candidate. */
  unreadForStaff0: number;
  unreadForCandidates: number;
  seconds: number;
  /** Conversations (index) that are open, not the deep one: the POST benchmark writes to these. */
  openConversations: number[];
}

const DAY = 24 * 60 * 60 * 1000;

/** Deterministic PRNG (mulberry32). */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FIRST = [
  'Ana',
  'José',
  'María',
  'Luis',
  'Carmen',
  'Jorge',
  'Lucía',
  'Diego',
  'Sofía',
  'Miguel',
  'Valeria',
  'Andrés',
  'Camila',
  'Raúl',
  'Paola',
  'Héctor',
];
const LAST = ['López', 'Hernández', 'García', 'Martínez', 'Ramírez', 'Ortega', 'Núñez', 'Fernández', 'Soto', 'Díaz', 'Vega', 'Ruiz', 'Torres', 'Méndez'];
const PHRASES = [
  'Hola, no puedo iniciar el examen, me aparece un error al cargar la página.',
  'Buenas tardes, ¿me ayudan a cambiar la fecha de mi evaluación?',
  'Ya subí mi identificación pero sigue apareciendo como pendiente 🙁',
  'Gracias, ya quedó resuelto 👍',
  'Le comparto la captura de pantalla del error.',
  'Con gusto, ¿me confirma su número de folio, por favor?',
  'Revisamos su caso y el acceso ya está habilitado. Intente de nuevo.',
  'Su certificado se enviará a su correo en las próximas 48 horas.',
  '¿El examen se puede presentar desde el celular o solo desde computadora?',
  'Perfecto, quedo atento. ¡Muchas gracias por la ayuda! 🎉',
  'Por favor limpie la caché del navegador y vuelva a iniciar sesión.',
  'Se reprogramó su evaluación para el lunes a las 10:00 (hora del centro).',
];
const STATUS_SYSTEM: Record<'resolved' | 'closed', string> = { resolved: 'resuelta', closed: 'cerrada' };

interface ConversationPlan {
  index: number;
  id: string;
  candidateIndex: number;
  staffIndex: number;
  assigned: boolean;
  status: 'open' | 'resolved' | 'closed';
  priority: 'low' | 'normal' | 'high';
  count: number;
  startMs: number;
  stepMs: number;
}

/** Message counts per conversation: conversation 0 gets `deep`, the rest share what is left unevenly. */
function messageCounts(options: SeedOptions, random: () => number): number[] {
  const n = options.conversations;
  const counts = new Array<number>(n).fill(0);
  const deep = options.deep > 0 ? Math.min(options.deep, options.messages) : 0;
  if (deep > 0) counts[0] = deep;
  const first = deep > 0 ? 1 : 0;
  const others = n - first;
  let rest = options.messages - deep;
  if (others === 0) {
    counts[0] += rest;
    return counts;
  }
  const average = rest / others;
  let assigned = 0;
  for (let i = first; i < n; i++) {
    counts[i] = Math.max(1, Math.round(average * (0.2 + 1.6 * random())));
    assigned += counts[i];
  }
  // Bring the sum to exactly `messages` (every conversation keeps at least one message).
  let delta = rest - assigned;
  let guard = 0;
  while (delta !== 0 && guard++ < 100 * n) {
    const i = first + Math.floor(random() * others);
    if (delta > 0) {
      const add = Math.min(delta, Math.max(1, Math.ceil(delta / others)));
      counts[i] += add;
      delta -= add;
    } else if (counts[i] > 1) {
      const take = Math.min(-delta, counts[i] - 1, Math.max(1, Math.ceil(-delta / others)));
      counts[i] -= take;
      delta += take;
    }
  }
  rest = counts.reduce((a, b) => a + b, 0);
  if (rest !== options.messages) throw new Error(`could not spread ${options.messages} messages over ${n} conversations`);
  return counts;
}

function plan(options: SeedOptions, random: () => number, nowMs: number): ConversationPlan[] {
  const counts = messageCounts(options, random);
  return counts.map((count, index) => {
    const deep = index === 0 && options.deep > 0;
    const roll = random();
    const status = deep || count < 3 ? 'open' : roll < 0.7 ? 'open' : roll < 0.9 ? 'resolved' : 'closed';
    // Started 1-120 days ago; messages spread evenly up to a recent moment (the last few days).
    const startMs = nowMs - (deep ? 150 * DAY : (1 + random() * 119) * DAY);
    const endMs = nowMs - random() * 3 * DAY - 60_000;
    const stepMs = Math.max(1, Math.floor((endMs - startMs) / (count + 1)));
    return {
      index,
      id: conversationId(index),
      candidateIndex: index % options.candidates,
      staffIndex: index % options.staff,
      assigned: deep || random() >= 0.15,
      status,
      priority: random() < 0.1 ? 'high' : random() < 0.2 ? 'low' : 'normal',
      count,
      startMs,
      stepMs,
    };
  });
}

interface MessageRow {
  id: string;
  seq: number;
  clientMessageId: string;
  senderUserId: string;
  content: string | null;
  messageType: 'text' | 'attachment' | 'system';
  attachmentUrl: string | null;
  attachmentName: string | null;
  attachmentMimeType: string | null;
  attachmentSizeBytes: number | null;
  createdAt: Date;
}

interface ConversationRows {
  conversation: {
    id: string;
    candidateUserId: string;
    createdByUserId: string;
    assignedSupportUserId: string | null;
    subject: string;
    status: string;
    priority: string;
    createdAt: Date;
    updatedAt: Date;
    lastMessageAt: Date;
    lastMessageSeq: number;
    lastCandidateMessageSeq: number;
    lastStaffMessageSeq: number;
    unansweredCandidateMessages: number;
    lastVisibleMessageSeq: number;
  };
  participants: {
    id: string;
    userId: string;
    role: 'candidate' | 'support';
    joinedAt: Date;
    lastReadAt: Date | null;
    lastReadMessageId: string | null;
    lastReadSeq: number;
  }[];
  /** Produces the messages lazily (the deep conversation alone is 100,000 rows). */
  messages: () => Generator<MessageRow>;
  unreadForStaff: boolean;
  unreadForCandidate: boolean;
}

/**
 * One conversation and its rows. Senders are decided up front (a compact array of roles), messages are
 * generated on demand so that memory stays flat whatever the size.
 */
function buildConversation(p: ConversationPlan, random: () => number): ConversationRows {
  const candidate = candidateId(p.candidateIndex);
  const staff = staffId(p.staffIndex);
  // 0 = candidate, 1 = staff, 2 = system (status change, written by the agent).
  const roles = new Uint8Array(p.count);
  const systemAtEnd = p.status !== 'open';
  const written = systemAtEnd ? p.count - 1 : p.count;
  let current = 0;
  for (let i = 0; i < written; i++) {
    if (i > 0 && p.assigned && random() < 0.5) current = current === 0 ? 1 : 0;
    roles[i] = i === 0 ? 0 : current;
  }
  if (systemAtEnd) roles[p.count - 1] = 2;
  let lastCandidate = 0;
  let lastStaff = 0;
  let unanswered = 0; // the candidate's messages since the team's last reply
  for (let i = 0; i < p.count; i++) {
    if (roles[i] === 0) {
      lastCandidate = i + 1;
      unanswered++;
    } else if (roles[i] === 1) {
      lastStaff = i + 1;
      unanswered = 0;
    }
  }
  // Only conversations that an agent acted in are assigned (the first staff reply assigns it).
  const assigned = lastStaff > 0 || systemAtEnd;
  const at = (seq: number) => new Date(p.startMs + seq * p.stepMs);
  const n = p.count;

  // Read markers: at least the reader's own last message (writing means having read up to it).
  const candidateMarker = random() < 0.55 ? n : lastCandidate + Math.floor(random() * (n - lastCandidate + 1));
  const staffMarker = random() < 0.4 ? n : lastStaff + Math.floor(random() * (n - lastStaff + 1));
  const participants: ConversationRows['participants'] = [
    {
      id: participantId(p.index, 0),
      userId: candidate,
      role: 'candidate',
      joinedAt: new Date(p.startMs),
      lastReadAt: candidateMarker > 0 ? at(candidateMarker) : null,
      lastReadMessageId: candidateMarker > 0 ? messageId(p.index, candidateMarker) : null,
      lastReadSeq: candidateMarker,
    },
  ];
  if (assigned) {
    participants.push({
      id: participantId(p.index, 1),
      userId: staff,
      role: 'support',
      joinedAt: at(Math.max(1, lastStaff)),
      lastReadAt: staffMarker > 0 ? at(staffMarker) : null,
      lastReadMessageId: staffMarker > 0 ? messageId(p.index, staffMarker) : null,
      lastReadSeq: staffMarker,
    });
  }
  const staffThreshold = Math.max(p.staffIndex === 0 && assigned ? staffMarker : 0, lastStaff);

  function* messages(): Generator<MessageRow> {
    for (let seq = 1; seq <= n; seq++) {
      const role = roles[seq - 1];
      const id = messageId(p.index, seq);
      if (role === 2) {
        yield {
          id,
          seq,
          clientMessageId: clientMessageId(p.index, seq),
          senderUserId: staff,
          content: `Agente de soporte marcó la conversación como ${STATUS_SYSTEM[p.status as 'resolved' | 'closed']}.`,
          messageType: 'system',
          attachmentUrl: null,
          attachmentName: null,
          attachmentMimeType: null,
          attachmentSizeBytes: null,
          createdAt: at(seq),
        };
        continue;
      }
      const attachment = random() < 0.02;
      yield {
        id,
        seq,
        clientMessageId: clientMessageId(p.index, seq),
        senderUserId: role === 0 ? candidate : staff,
        content: attachment && random() < 0.5 ? null : PHRASES[Math.floor(random() * PHRASES.length)],
        messageType: attachment ? 'attachment' : 'text',
        attachmentUrl: attachment ? `https://storage.example.com/bench/${id}.pdf` : null,
        attachmentName: attachment ? 'comprobante.pdf' : null,
        attachmentMimeType: attachment ? 'application/pdf' : null,
        attachmentSizeBytes: attachment ? 50_000 + Math.floor(random() * 2_000_000) : null,
        createdAt: at(seq),
      };
    }
  }

  const lastMessageAt = at(n);
  return {
    conversation: {
      id: p.id,
      candidateUserId: candidate,
      createdByUserId: candidate,
      assignedSupportUserId: assigned ? staff : null,
      subject: `Consulta ${p.index + 1}: ${PHRASES[p.index % PHRASES.length].slice(0, 40)}`,
      status: p.status,
      priority: p.priority,
      createdAt: new Date(p.startMs),
      updatedAt: lastMessageAt,
      lastMessageAt,
      lastMessageSeq: n,
      lastCandidateMessageSeq: lastCandidate,
      lastStaffMessageSeq: lastStaff,
      unansweredCandidateMessages: unanswered,
      // The seed writes no internal notes: every entry is visible to the candidate.
      lastVisibleMessageSeq: n,
    },
    participants,
    messages,
    unreadForStaff: lastCandidate > staffThreshold,
    unreadForCandidate: lastStaff > candidateMarker,
  };
}

interface UserRow {
  id: string;
  username: string;
  fullName: string;
  email: string;
  phone: string | null;
  curp: string | null;
  role: string;
  isActive: boolean;
  passwordHash: string;
  createdAt: Date;
}

function* users(options: SeedOptions, passwordHash: string, nowMs: number): Generator<UserRow> {
  for (let i = 0; i < options.candidates; i++) {
    yield {
      id: candidateId(i),
      username: candidateUsername(i),
      fullName: `${FIRST[i % FIRST.length]} ${LAST[i % LAST.length]} ${LAST[(i * 7) % LAST.length]} ${i}`,
      email: `candidato${i}@bench.example.com`,
      phone: `+52 55 ${String(10_000_000 + i).slice(0, 8)}`,
      curp: null,
      role: 'candidato',
      isActive: true,
      passwordHash,
      createdAt: new Date(nowMs - 200 * DAY),
    };
  }
  for (let j = 0; j < options.staff; j++) {
    yield {
      id: staffId(j),
      username: staffUsername(j),
      fullName: `${FIRST[(j + 3) % FIRST.length]} ${LAST[(j + 5) % LAST.length]} (soporte ${j})`,
      email: `soporte${j}@bench.example.com`,
      phone: null,
      curp: null,
      role: staffRole(j),
      isActive: true,
      passwordHash,
      createdAt: new Date(nowMs - 300 * DAY),
    };
  }
}

const USER_COLUMNS = ['id', 'username', 'full_name', 'email', 'phone', 'curp', 'role', 'is_active', 'password_hash', 'created_at'] as const;
const CONVERSATION_COLUMNS = [
  'id',
  'candidate_user_id',
  'created_by_user_id',
  'assigned_support_user_id',
  'subject',
  'status',
  'priority',
  'created_at',
  'updated_at',
  'last_message_at',
  'last_message_seq',
  'last_candidate_message_seq',
  'last_staff_message_seq',
  'unanswered_candidate_messages',
  'last_visible_message_seq',
] as const;
const PARTICIPANT_COLUMNS = [
  'id',
  'conversation_id',
  'user_id',
  'participant_role',
  'joined_at',
  'last_read_at',
  'last_read_message_id',
  'last_read_seq',
] as const;
const MESSAGE_COLUMNS = [
  'id',
  'conversation_id',
  'seq',
  'client_message_id',
  'sender_user_id',
  'content',
  'message_type',
  'attachment_url',
  'attachment_name',
  'attachment_mime_type',
  'attachment_size_bytes',
  'created_at',
  'edited_at',
] as const;

type Value = string | number | boolean | Date | null;

function userValues(u: UserRow): Value[] {
  return [u.id, u.username, u.fullName, u.email, u.phone, u.curp, u.role, u.isActive, u.passwordHash, u.createdAt];
}
function conversationValues(c: ConversationRows['conversation']): Value[] {
  return [
    c.id,
    c.candidateUserId,
    c.createdByUserId,
    c.assignedSupportUserId,
    c.subject,
    c.status,
    c.priority,
    c.createdAt,
    c.updatedAt,
    c.lastMessageAt,
    c.lastMessageSeq,
    c.lastCandidateMessageSeq,
    c.lastStaffMessageSeq,
    c.unansweredCandidateMessages,
    c.lastVisibleMessageSeq,
  ];
}
function participantValues(conversation: string, p: ConversationRows['participants'][number]): Value[] {
  return [p.id, conversation, p.userId, p.role, p.joinedAt, p.lastReadAt, p.lastReadMessageId, p.lastReadSeq];
}
function messageValues(conversation: string, m: MessageRow): Value[] {
  return [
    m.id,
    conversation,
    m.seq,
    m.clientMessageId,
    m.senderUserId,
    m.content,
    m.messageType,
    m.attachmentUrl,
    m.attachmentName,
    m.attachmentMimeType,
    m.attachmentSizeBytes,
    m.createdAt,
    null,
  ];
}

/** Receives rows table by table; one implementation per database. */
interface RowSink {
  add(table: 'users' | 'support_conversations' | 'support_conversation_participants' | 'support_messages', values: Value[]): Promise<void>;
  finish(): Promise<void>;
}

/**
 * SQLite: better-sqlite3 directly, one prepared INSERT per table, 50,000 rows per transaction.
 * While seeding, `synchronous=OFF` (a crash while seeding just means seeding again); the file is
 * checkpointed at the end and the server reopens it with its own pragmas (WAL, synchronous=FULL).
 */
function sqliteSink(path: string): RowSink {
  const Database = require('better-sqlite3') as typeof import('better-sqlite3');
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  db.pragma('cache_size = -200000');
  const statements = new Map<string, import('better-sqlite3').Statement>();
  const columns: Record<string, readonly string[]> = {
    users: USER_COLUMNS,
    support_conversations: CONVERSATION_COLUMNS,
    support_conversation_participants: PARTICIPANT_COLUMNS,
    support_messages: MESSAGE_COLUMNS,
  };
  for (const [table, cols] of Object.entries(columns)) {
    statements.set(table, db.prepare(`INSERT INTO "${table}" (${cols.map((c) => `"${c}"`).join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`));
  }
  const toSqlite = (value: Value): string | number | null => {
    if (value instanceof Date) return sqliteDatetime(value);
    if (typeof value === 'boolean') return value ? 1 : 0;
    return value;
  };
  let pending = 0;
  db.exec('BEGIN');
  return {
    async add(table, values) {
      statements.get(table)!.run(values.map(toSqlite));
      if (++pending >= 50_000) {
        db.exec('COMMIT');
        db.exec('BEGIN');
        pending = 0;
      }
    },
    async finish() {
      db.exec('COMMIT');
      db.pragma('wal_checkpoint(TRUNCATE)');
      db.close();
    },
  };
}

/** The text TypeORM's SQLite driver stores for a `datetime` column (UTC, milliseconds). */
export function sqliteDatetime(date: Date): string {
  return date.toISOString().replace('T', ' ').replace('Z', '');
}

const TABLE_ORDER = ['users', 'support_conversations', 'support_conversation_participants', 'support_messages'];

const PG_TYPES: Record<string, Record<string, string>> = {
  users: {
    id: 'varchar',
    username: 'varchar',
    full_name: 'varchar',
    email: 'varchar',
    phone: 'varchar',
    curp: 'varchar',
    role: 'varchar',
    is_active: 'boolean',
    password_hash: 'varchar',
    created_at: 'timestamp',
  },
  support_conversations: {
    id: 'varchar',
    candidate_user_id: 'varchar',
    created_by_user_id: 'varchar',
    assigned_support_user_id: 'varchar',
    subject: 'varchar',
    status: 'varchar',
    priority: 'varchar',
    created_at: 'timestamptz',
    updated_at: 'timestamptz',
    last_message_at: 'timestamptz',
    last_message_seq: 'int',
    last_candidate_message_seq: 'int',
    last_staff_message_seq: 'int',
    unanswered_candidate_messages: 'int',
    last_visible_message_seq: 'int',
  },
  support_conversation_participants: {
    id: 'varchar',
    conversation_id: 'varchar',
    user_id: 'varchar',
    participant_role: 'varchar',
    joined_at: 'timestamptz',
    last_read_at: 'timestamptz',
    last_read_message_id: 'varchar',
    last_read_seq: 'int',
  },
  support_messages: {
    id: 'varchar',
    conversation_id: 'varchar',
    seq: 'int',
    client_message_id: 'varchar',
    sender_user_id: 'varchar',
    content: 'text',
    message_type: 'varchar',
    attachment_url: 'varchar',
    attachment_name: 'varchar',
    attachment_mime_type: 'varchar',
    attachment_size_bytes: 'bigint',
    created_at: 'timestamptz',
    edited_at: 'timestamptz',
  },
};

/**
 * PostgreSQL: pg directly, 10,000 rows per statement as `INSERT ... SELECT * FROM unnest($1::t[], ...)`
 * (one array parameter per column, so no 65,535-parameter limit), each batch its own transaction.
 */
async function postgresSink(url: string): Promise<RowSink> {
  const client = newPgClient(url);
  // An idle client whose backend goes away must not crash the process with an unhandled 'error'.
  client.on('error', (error) => console.warn(`postgres: ${error.message}`));
  await client.connect();
  const buffers = new Map<string, Value[][]>();
  const flush = async (table: string) => {
    const rows = buffers.get(table);
    if (!rows || rows.length === 0) return;
    buffers.set(table, []);
    const types = PG_TYPES[table];
    const cols = Object.keys(types);
    const arrays = cols.map((_, c) =>
      rows.map((row) => {
        const v = row[c];
        return v instanceof Date ? v.toISOString() : v;
      }),
    );
    // `users.created_at` is TypeORM's default `timestamp` (without time zone): store the UTC wall time.
    await client.query(
      `INSERT INTO "${table}" (${cols.map((c) => `"${c}"`).join(', ')}) SELECT * FROM unnest(${cols.map((c, i) => `$${i + 1}::${types[c]}[]`).join(', ')})`,
      arrays,
    );
  };
  return {
    async add(table, values) {
      let rows = buffers.get(table);
      if (!rows) buffers.set(table, (rows = []));
      rows.push(values);
      // Parents first: a message batch must not reach the database before its conversation.
      if (rows.length >= 10_000) for (const name of TABLE_ORDER) await flush(name);
    },
    async finish() {
      for (const name of TABLE_ORDER) await flush(name);
      await client.query('VACUUM ANALYZE');
      await client.end();
    },
  };
}

export async function seed(options: SeedOptions): Promise<SeedReport> {
  const log = options.log ?? console.log;
  const started = Date.now();
  if (options.conversations < 1 || options.candidates < 1 || options.staff < 1) throw new Error('need at least one candidate, staff user and conversation');
  if (options.messages < options.conversations) throw new Error('need at least one message per conversation');
  const host = loadHostBuild();

  // 1. Schema, through the owners' own idempotent start-up checks.
  const dataSource = new DataSource({ ...(host.parseDatabaseUrl(options.db, { entities: host.API_ENTITIES }) as object), logging: false } as never);
  await dataSource.initialize();
  const quiet = { log: () => undefined };
  await host.ensureUsersTable(dataSource, quiet);
  await host.checkAndCreateSupportChatTables(dataSource, quiet);
  const [{ count }] = (await dataSource.query('SELECT COUNT(*) AS count FROM support_conversations')) as [{ count: number | string }];
  await dataSource.destroy();
  if (Number(count) > 0) throw new Error(`${redact(options.db)} already holds conversations: seed an empty database`);

  // 2. One password hash for everybody (scrypt is deliberately slow).
  const passwordHash = await host.PasswordHasher.hash(BENCH_PASSWORD);

  const sink = options.db.startsWith('sqlite:') ? sqliteSink(sqlitePath(options.db)) : await postgresSink(options.db);
  const random = prng(options.seed ?? 20_260_101);
  const nowMs = Date.now();
  let userCount = 0;
  for (const user of users(options, passwordHash, nowMs)) {
    await sink.add('users', userValues(user));
    userCount++;
  }
  const plans = plan(options, random, nowMs);
  let messageCount = 0;
  let participantCount = 0;
  let unreadForStaff0 = 0;
  let unreadForCandidates = 0;
  const openConversations: number[] = [];
  // Messages are written in time order across conversations, as production appends them (the newest
  // rows share the last heap pages and the highest FTS5 rowids); conversations and participants first.
  const messages: { createdAtMs: number; values: Value[] }[] = [];
  for (const p of plans) {
    const rows = buildConversation(p, random);
    await sink.add('support_conversations', conversationValues(rows.conversation));
    for (const participant of rows.participants) {
      await sink.add('support_conversation_participants', participantValues(p.id, participant));
      participantCount++;
    }
    for (const message of rows.messages()) messages.push({ createdAtMs: message.createdAt.getTime(), values: messageValues(p.id, message) });
    if (rows.unreadForStaff) unreadForStaff0++;
    if (rows.unreadForCandidate) unreadForCandidates++;
    if (p.status === 'open' && !(p.index === 0 && options.deep > 0)) openConversations.push(p.index);
  }
  // A stable sort: equal timestamps keep their conversation and seq order.
  messages.sort((a, b) => a.createdAtMs - b.createdAtMs);
  for (const message of messages) {
    await sink.add('support_messages', message.values);
    if (++messageCount % 100_000 === 0 && options.messages >= 200_000) log(`  ... ${messageCount.toLocaleString('en')} messages`);
  }
  messages.length = 0;
  await sink.finish();
  const report: SeedReport = {
    users: userCount,
    conversations: plans.length,
    messages: messageCount,
    participants: participantCount,
    unreadForStaff0,
    unreadForCandidates,
    seconds: (Date.now() - started) / 1000,
    openConversations,
  };
  log(
    `seeded ${redact(options.db)}: ${report.users} users, ${report.conversations} conversations, ${report.messages} messages, ${report.participants} participants ` +
      `(unread: ${unreadForStaff0} conversations for staff 0, ${unreadForCandidates} for their candidates) in ${report.seconds.toFixed(1)} s`,
  );
  return report;
}

export function sqlitePath(url: string): string {
  const rest = url.slice('sqlite:'.length);
  return rest.startsWith('//') ? rest.slice(2) : rest;
}

function redact(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/@]*:)[^@]*@/i, '$1***@');
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      db: { type: 'string' },
      candidates: { type: 'string', default: '10000' },
      staff: { type: 'string', default: '20' },
      conversations: { type: 'string', default: '10000' },
      messages: { type: 'string', default: '500000' },
      deep: { type: 'string', default: '100000' },
      seed: { type: 'string' },
    },
  });
  if (!values.db)
    throw new Error('usage: tsx bench/seed.ts --db sqlite:<path>|postgres://... [--candidates N --staff N --conversations N --messages N --deep N]');
  const int = (name: string, raw: string) => {
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} must be a non-negative integer`);
    return n;
  };
  await seed({
    db: values.db,
    candidates: int('candidates', values.candidates),
    staff: int('staff', values.staff),
    conversations: int('conversations', values.conversations),
    messages: int('messages', values.messages),
    deep: int('deep', values.deep),
    ...(values.seed ? { seed: int('seed', values.seed) } : {}),
  });
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}

import { Logger } from '@nestjs/common';
import { DataSource, DataSourceOptions } from 'typeorm';

import {
  adoptLegacySupportChat,
  LEGACY_ADOPTION_STEPS,
  LEGACY_UNKNOWN_SENDER_ID,
  LegacyAdoptionUnknownValuesError,
  LegacyAdoptionVerificationError,
  legacyConversationUuid,
  legacyMessageUuid,
} from '../../src/persistence/legacy/adopt-legacy-support-chat';
import { LegacySupportChatSchemaError } from '../../src/persistence/legacy/legacy-schema';
import { checkAndCreateSupportChatTables } from '../../src/persistence/schema/check-and-create-support-chat-tables';
import { createChatTestApp, TEST_USERS } from '../../src/testing/chat-test-app';
import { wholeMessages } from '../../src/testing/history-page';
import { createLegacyDatabase } from '../../src/testing/legacy-database';
import { DIALECT_LABEL, DialectDatabase, listTables, openDialectDatabase } from './dialect-database';

const BASE = '/api/support/chat';
const silent = { log: () => undefined } as unknown as Logger;

/** Columns of a table as the database reports them, to show that nothing was altered. */
async function columnsOf(dataSource: DataSource, table: string): Promise<string[]> {
  const runner = dataSource.createQueryRunner();
  try {
    return ((await runner.getTable(table))?.columns ?? []).map((column) => column.name).sort();
  } finally {
    await runner.release();
  }
}

describe(`adopting the original module's tables (${DIALECT_LABEL})`, () => {
  let db: DialectDatabase;

  beforeEach(async () => {
    db = await openDialectDatabase();
    await createLegacyDatabase(db.dataSource);
  });
  afterEach(() => db.dispose());

  const count = async (table: string) => Number((await db.dataSource.query(`SELECT COUNT(*) AS n FROM ${table}`))[0].n);

  it('refuses to start on the original tables, names them and the command, and alters nothing', async () => {
    const tablesBefore = (await listTables(db.dataSource)).sort();
    const messageColumns = await columnsOf(db.dataSource, 'support_messages');

    const error = await checkAndCreateSupportChatTables(db.dataSource, silent).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LegacySupportChatSchemaError);
    const message = (error as Error).message;
    for (const name of [
      'support_conversations',
      'support_conversation_participants',
      'support_messages',
      'npm run db:adopt-legacy',
      'adoptLegacySupportChat',
    ]) {
      expect(message).toContain(name);
    }
    await expect(createChatTestApp({ database: db.dataSource.options as DataSourceOptions })).rejects.toBeInstanceOf(LegacySupportChatSchemaError);

    expect((await listTables(db.dataSource)).sort()).toEqual(tablesBefore);
    expect(await columnsOf(db.dataSource, 'support_messages')).toEqual(messageColumns);
    expect(messageColumns).not.toContain('seq');
    expect(await count('support_messages')).toBe(9);
  });

  it('copies everything with seq by time then id, mapped read markers and recomputed counters, verifies it, and serves it', async () => {
    const lines: string[] = [];
    const report = await adoptLegacySupportChat(db.dataSource, { log: (line) => lines.push(line) });
    expect(report).toEqual({
      outcome: 'adopted',
      stepsRun: ['rename', 'schema', 'conversations', 'messages', 'participants', 'verify'],
      counts: { conversations: 3, participants: 5, messages: 9 },
    });
    expect(lines).toContain('verify: counts and per-conversation order match for 3 conversations');

    // The originals are aside, untouched; ratings and templates stay where they were.
    expect(await count('legacy_support_messages')).toBe(9);
    expect(await count('support_conversation_satisfaction')).toBe(1);
    expect(await count('chat_message_templates')).toBe(1);
    const ids = await db.dataSource.query<{ entity: string; legacy_id: number | string; id: string }[]>(
      "SELECT entity, legacy_id, id FROM support_chat_legacy_ids WHERE entity = 'conversation' ORDER BY legacy_id",
    );
    expect(ids.map((row) => [Number(row.legacy_id), row.id])).toEqual([1, 2, 3].map((id) => [id, legacyConversationUuid(id)]));

    const one = legacyConversationUuid(1);
    const rows = await db.dataSource.query<Record<string, unknown>[]>(
      'SELECT id, last_message_seq, last_candidate_message_seq, last_staff_message_seq, unanswered_candidate_messages, created_by_user_id FROM support_conversations ORDER BY created_at',
    );
    expect(rows.map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v])))).toEqual([
      {
        id: one,
        last_message_seq: 6,
        last_candidate_message_seq: 6,
        last_staff_message_seq: 3,
        unanswered_candidate_messages: 2,
        created_by_user_id: TEST_USERS.candidate1.id,
      },
      // No messages; the original had no creator recorded: the candidate stands in.
      {
        id: legacyConversationUuid(2),
        last_message_seq: 0,
        last_candidate_message_seq: 0,
        last_staff_message_seq: 0,
        unanswered_candidate_messages: 0,
        created_by_user_id: TEST_USERS.candidate2.id,
      },
      {
        id: legacyConversationUuid(3),
        last_message_seq: 3,
        last_candidate_message_seq: 2,
        last_staff_message_seq: 3,
        unanswered_candidate_messages: 0,
        created_by_user_id: TEST_USERS.support2.id,
      },
    ]);

    const ctx = await createChatTestApp({ database: db.dataSource.options as DataSourceOptions });
    try {
      const history = await ctx.as('candidate1').get(`${BASE}/conversations/${one}/messages`).expect(200);
      const messages = wholeMessages(history.body);
      expect(messages.map((m) => [m.seq, m.id, m.message_type, m.content, m.created_at, m.edited_at, m.sender_user_id])).toEqual([
        [1, legacyMessageUuid(10), 'text', 'Hola, la página se queda en blanco 😟 ¿me ayudan?', '2025-03-01T14:00:05.123Z', null, TEST_USERS.candidate1.id],
        [2, legacyMessageUuid(13), 'text', 'Ya funcionó, gracias 🙌', '2025-03-01T14:05:09.999Z', '2025-03-01T14:06:00.000Z', TEST_USERS.candidate1.id],
        [3, legacyMessageUuid(12), 'attachment', 'Claro, revisa esta guía', '2025-03-01T14:10:00.000Z', null, TEST_USERS.support1.id],
        [4, legacyMessageUuid(14), 'system', 'Conversación asignada a soporte1', '2025-03-01T14:30:00.000Z', null, LEGACY_UNKNOWN_SENDER_ID],
        [5, legacyMessageUuid(15), 'text', 'Una cosa más', '2025-03-01T15:00:00.000Z', null, TEST_USERS.candidate1.id],
        [6, legacyMessageUuid(16), 'text', 'Otra pregunta: ¿y el certificado?', '2025-03-01T15:00:00.000Z', null, TEST_USERS.candidate1.id],
      ]);
      expect(messages[2].attachment).toEqual({
        url: 'https://storage.example.com/guias/guía examen.pdf',
        name: 'guía examen.pdf',
        mime_type: 'application/pdf',
        size_bytes: 248913,
      });
      expect(messages[3].sender.full_name).toBe('Usuario no disponible');

      // Read markers: conversation 1 read up to message 12 (seq 3); conversation 3's marker named a
      // missing message 25, so it covers 20 and 21 (seq 2) and message 30 is unread.
      const inbox = await ctx.as('candidate1').get(`${BASE}/conversations`).expect(200);
      expect(inbox.body.conversations.map((c: Record<string, unknown>) => [c.id, c.status, c.unread_count, (c.last_message as { seq: number }).seq])).toEqual([
        [legacyConversationUuid(3), 'resolved', 1, 3],
        [one, 'open', 0, 6],
      ]);
      expect((await ctx.as('support1').get(`${BASE}/unread-count`).expect(200)).body.unread_count).toBe(2);
      const empty = await ctx
        .as('candidate2')
        .get(`${BASE}/conversations/${legacyConversationUuid(2)}/messages`)
        .expect(200);
      expect(empty.body).toMatchObject({ messages: [], total: 0 });

      // The adopted conversation goes on: the next message is seq 7.
      const sent = await ctx.as('support1').post(`${BASE}/conversations/${one}/messages`).send({ content: '¿Sigues ahí? 👋' }).expect(201);
      expect(sent.body.message.seq).toBe(7);
    } finally {
      await ctx.close();
    }

    // Idempotent: a second run does nothing.
    const again = await adoptLegacySupportChat(db.dataSource);
    expect(again).toMatchObject({ outcome: 'already-adopted', stepsRun: [] });
    expect(await count('support_messages')).toBe(10);
  });

  it("indexes the adopted messages for search under their conversation's candidate (conversations are copied first)", async () => {
    await adoptLegacySupportChat(db.dataSource);
    const ctx = await createChatTestApp({ database: db.dataSource.options as DataSourceOptions });
    try {
      const search = (user: 'support1' | 'candidate1' | 'candidate2', q: string) => ctx.as(user).get(`${BASE}/search/messages`).query({ q }).expect(200);
      const found = (body: { results: { conversation: { id: string }; message: { id: string } }[] }) =>
        body.results.map((result) => [result.conversation.id, result.message.id]);
      // Both conversations with the word are candidate1's, newest first; candidate2's conversation has none.
      const expected = [
        [legacyConversationUuid(3), legacyMessageUuid(20)],
        [legacyConversationUuid(1), legacyMessageUuid(16)],
      ];
      expect(found((await search('support1', 'certificado')).body)).toEqual(expected);
      // SQLite answers a candidate's search from the scope token its trigger read from the conversation row.
      expect(found((await search('candidate1', 'certificado')).body)).toEqual(expected);
      expect((await search('candidate2', 'certificado')).body.results).toEqual([]);
    } finally {
      await ctx.close();
    }
  });

  it('resumes after a run that stopped half-way, redoing only the unfinished step', async () => {
    const failing = adoptLegacySupportChat(db.dataSource, {
      log: (line) => {
        if (line.startsWith('messages: ') && line.includes('copied')) throw new Error('lost the connection');
      },
    });
    await expect(failing).rejects.toThrow('lost the connection');
    // The messages step was rolled back as a whole; the steps before it stay done.
    expect(await count('support_messages')).toBe(0);
    expect(await count('support_conversations')).toBe(3);
    // Start-up still refuses: the adoption has not finished.
    await expect(checkAndCreateSupportChatTables(db.dataSource, silent)).rejects.toThrow(/has not finished.*npm run db:adopt-legacy/s);

    const resumed = await adoptLegacySupportChat(db.dataSource);
    expect(resumed).toEqual({
      outcome: 'adopted',
      stepsRun: ['messages', 'participants', 'verify'],
      counts: { conversations: 3, participants: 5, messages: 9 },
    });
    await checkAndCreateSupportChatTables(db.dataSource, silent);
  });

  it('refuses to report success when the copy does not match the originals', async () => {
    const stopBeforeParticipants = (line: string) => {
      if (line === 'participants: starting') throw new Error('stopped');
    };
    await expect(adoptLegacySupportChat(db.dataSource, { log: stopBeforeParticipants })).rejects.toThrow('stopped');
    // Between two runs, a copied message disappears.
    await db.dataSource.query(`DELETE FROM support_messages WHERE id = '${legacyMessageUuid(21)}'`);

    await expect(adoptLegacySupportChat(db.dataSource)).rejects.toThrow(/support_messages: 9 rows in legacy_support_messages, 8 after adoption/);
    const steps = (await db.dataSource.query<{ step: string }[]>('SELECT step FROM support_chat_legacy_adoption')).map((row) => row.step);
    expect(steps).not.toContain('verify');
    await expect(checkAndCreateSupportChatTables(db.dataSource, silent)).rejects.toBeInstanceOf(LegacySupportChatSchemaError);
  });

  /** What the adoption wrote, in a stable order, to compare two adoptions of the same data. */
  async function adoptedContent(dataSource: DataSource) {
    const normalize = (rows: Record<string, unknown>[]) =>
      rows.map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v])));
    return {
      messages: normalize(await dataSource.query('SELECT id, conversation_id, seq, message_type FROM support_messages ORDER BY conversation_id, seq')),
      conversations: normalize(
        await dataSource.query(
          'SELECT id, last_message_seq, last_candidate_message_seq, last_staff_message_seq, unanswered_candidate_messages FROM support_conversations ORDER BY id',
        ),
      ),
      participants: normalize(
        await dataSource.query('SELECT id, participant_role, last_read_message_id, last_read_seq FROM support_conversation_participants ORDER BY id'),
      ),
    };
  }

  it('copies page by page, never more rows per query than the page size, with the same result however the pages fall', async () => {
    const reference = await openDialectDatabase();
    try {
      await createLegacyDatabase(reference.dataSource);
      await adoptLegacySupportChat(reference.dataSource);
      const expected = await adoptedContent(reference.dataSource);
      expect(expected.messages).toHaveLength(9);

      // Page size 1: every boundary falls somewhere, between conversations and between the two messages
      // of conversation 1 written in the same microsecond.
      const lines: string[] = [];
      const report = await adoptLegacySupportChat(db.dataSource, { pageSize: 1, log: (line) => lines.push(line) });
      expect(report).toMatchObject({ outcome: 'adopted', counts: { conversations: 3, participants: 5, messages: 9 } });
      expect(lines.filter((line) => /^messages: \d+ of 9 copied$/.test(line))).toEqual(Array.from({ length: 9 }, (_, i) => `messages: ${i + 1} of 9 copied`));
      expect(lines.filter((line) => /^participants: \d+ of 5 copied$/.test(line))).toHaveLength(5);
      expect(lines.filter((line) => /^conversations: \d+ of 3 copied$/.test(line))).toHaveLength(3);
      expect(await adoptedContent(db.dataSource)).toEqual(expected);
    } finally {
      await reference.dispose();
    }
  });

  it('verification catches a copy whose order or conversation differs from the original', async () => {
    const stopBeforeVerify = (line: string) => {
      if (line === 'verify: starting') throw new Error('stopped');
    };
    await expect(adoptLegacySupportChat(db.dataSource, { log: stopBeforeVerify })).rejects.toThrow('stopped');
    // Swap the places of messages 15 and 16 (same instant, 15 first by id) in the copy.
    const [m15, m16] = [legacyMessageUuid(15), legacyMessageUuid(16)];
    await db.dataSource.query(`UPDATE support_messages SET seq = 100 WHERE id = '${m15}'`);
    await db.dataSource.query(`UPDATE support_messages SET seq = 5 WHERE id = '${m16}'`);
    await db.dataSource.query(`UPDATE support_messages SET seq = 6 WHERE id = '${m15}'`);

    await expect(adoptLegacySupportChat(db.dataSource)).rejects.toThrow(
      /conversation 1: message 15 is number 5 in the original order \(created_at, then id\), but has seq 6/,
    );

    // Put back, then move message 30 into conversation 1 (as its seq 7): the counts still match.
    await db.dataSource.query(`UPDATE support_messages SET seq = 100 WHERE id = '${m15}'`);
    await db.dataSource.query(`UPDATE support_messages SET seq = 6 WHERE id = '${m16}'`);
    await db.dataSource.query(`UPDATE support_messages SET seq = 5 WHERE id = '${m15}'`);
    await db.dataSource.query(`UPDATE support_messages SET conversation_id = '${legacyConversationUuid(1)}', seq = 7 WHERE id = '${legacyMessageUuid(30)}'`);
    const error = await adoptLegacySupportChat(db.dataSource).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LegacyAdoptionVerificationError);
    expect((error as Error).message).toMatch(/conversation 3: message 30 is number 3 in the original order/);
    expect((error as Error).message).toMatch(/last_message_seq 6, 7 messages/);
    const steps = (await db.dataSource.query<{ step: string }[]>('SELECT step FROM support_chat_legacy_adoption')).map((row) => row.step);
    expect(steps).not.toContain('verify');
  });

  describe('stopped at any point and run again: the same result, nothing twice, nothing lost', () => {
    let expected: Awaited<ReturnType<typeof adoptedContent>>;
    beforeAll(async () => {
      const reference = await openDialectDatabase();
      try {
        await createLegacyDatabase(reference.dataSource);
        await adoptLegacySupportChat(reference.dataSource);
        expected = await adoptedContent(reference.dataSource);
      } finally {
        await reference.dispose();
      }
    });

    // A line the adoption logs: throwing there stops the run at that point. `N: done` comes after the
    // step's commit; the progress lines come from inside the step's transaction, after a page was written.
    it.each([
      'rename: done',
      'schema: done',
      'conversations: 1 of 3 copied',
      'conversations: done',
      'messages: 1 of 9 copied',
      'messages: 7 of 9 copied',
      'messages: done',
      'participants: 2 of 5 copied',
      'participants: done',
      'verify: starting',
    ])('stopped at "%s"', async (stopAt) => {
      const stop = (line: string) => {
        if (line === stopAt) throw new Error('killed');
      };
      await expect(adoptLegacySupportChat(db.dataSource, { pageSize: 1, log: stop })).rejects.toThrow('killed');
      await expect(checkAndCreateSupportChatTables(db.dataSource, silent)).rejects.toBeInstanceOf(LegacySupportChatSchemaError);

      expect(await adoptLegacySupportChat(db.dataSource, { pageSize: 1 })).toMatchObject({
        outcome: 'adopted',
        counts: { conversations: 3, participants: 5, messages: 9 },
      });
      expect(await adoptedContent(db.dataSource)).toEqual(expected);
      expect(Number((await db.dataSource.query('SELECT COUNT(*) AS n FROM support_chat_legacy_ids'))[0].n)).toBe(3 + 9);
      expect(await adoptLegacySupportChat(db.dataSource)).toMatchObject({ outcome: 'already-adopted', stepsRun: [] });
      await checkAndCreateSupportChatTables(db.dataSource, silent);
    });

    it('resumes when the tables were moved aside but the step was not recorded (MariaDB/MySQL commit DDL on their own)', async () => {
      const stop = (line: string) => {
        if (line === 'schema: starting') throw new Error('killed');
      };
      await expect(adoptLegacySupportChat(db.dataSource, { log: stop })).rejects.toThrow('killed');
      await db.dataSource.query("DELETE FROM support_chat_legacy_adoption WHERE step = 'rename'");

      expect(await adoptLegacySupportChat(db.dataSource)).toMatchObject({ outcome: 'adopted', stepsRun: LEGACY_ADOPTION_STEPS });
      expect(await adoptedContent(db.dataSource)).toEqual(expected);
    });
  });

  it('refuses a database where only some of the original tables exist, at start-up and in the adoption, and changes nothing', async () => {
    const partial = await openDialectDatabase();
    try {
      await createLegacyDatabase(partial.dataSource);
      await partial.dataSource.query('DROP TABLE support_conversation_participants');
      const tablesBefore = (await listTables(partial.dataSource)).sort();

      const startUp = await checkAndCreateSupportChatTables(partial.dataSource, silent).catch((e: unknown) => e);
      expect(startUp).toBeInstanceOf(LegacySupportChatSchemaError);
      expect((startUp as Error).message).toContain('support_conversations, support_messages');
      await expect(adoptLegacySupportChat(partial.dataSource)).rejects.toThrow(
        /only support_conversations, support_messages have the original shape; expected all of .*Nothing was changed/,
      );
      expect((await listTables(partial.dataSource)).sort()).toEqual(tablesBefore);
    } finally {
      await partial.dispose();
    }
  });

  it('refuses, before changing anything, when statuses, priorities or message types have values the module has no place for', async () => {
    await db.dataSource.query("UPDATE support_conversations SET status = 'pending' WHERE id = 2");
    await db.dataSource.query("UPDATE support_conversations SET priority = 'urgent' WHERE id IN (1, 3)");
    await db.dataSource.query("UPDATE support_messages SET message_type = 'image' WHERE id = 12");
    const tablesBefore = (await listTables(db.dataSource)).sort();

    const error = await adoptLegacySupportChat(db.dataSource).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LegacyAdoptionUnknownValuesError);
    const message = (error as Error).message;
    expect(message).toContain("support_conversations.status = 'pending' in 1 rows");
    expect(message).toContain("support_conversations.priority = 'urgent' in 2 rows");
    expect(message).toContain("support_messages.message_type = 'image' in 1 rows");
    // Nothing renamed, no state table: start-up still names the original tables.
    expect((await listTables(db.dataSource)).sort()).toEqual(tablesBefore);

    // Corrected, the adoption goes through.
    await db.dataSource.query("UPDATE support_conversations SET status = 'open' WHERE id = 2");
    await db.dataSource.query("UPDATE support_conversations SET priority = 'high' WHERE id IN (1, 3)");
    await db.dataSource.query("UPDATE support_messages SET message_type = 'attachment' WHERE id = 12");
    expect(await adoptLegacySupportChat(db.dataSource)).toMatchObject({ outcome: 'adopted' });
  });

  it('does nothing on a database without the original tables', async () => {
    const fresh = await openDialectDatabase();
    try {
      expect(await adoptLegacySupportChat(fresh.dataSource)).toMatchObject({ outcome: 'nothing-to-adopt', stepsRun: [] });
      expect(await listTables(fresh.dataSource)).toEqual([]);
    } finally {
      await fresh.dispose();
    }
  });
});

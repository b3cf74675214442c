import { randomUUID } from 'node:crypto';

import { TimelineRepository } from '../../src/persistence/repositories';
import { ChatScenario } from '../../src/testing/chat-scenario';
import { ChatTestApp, createChatTestApp, TEST_USERS } from '../../src/testing/chat-test-app';
import { DIALECT, DIALECT_LABEL } from './dialect-database';

jest.setTimeout(120_000);

const BASE = '/api/support/chat';

/**
 * The one-statement send (issue 19, PostgreSQL) must leave the database exactly as the write unit does:
 * the same scenario runs on two fresh databases, one with `SUPPORT_CHAT_SEND_IN_ONE_STATEMENT` on and one
 * with it off, and every column of the conversation, its messages and its participants must agree. Ids and
 * instants differ between two runs, so they are compared by what they point at: a timestamp column becomes
 * the `seq` of the message written at that instant (the send path writes the message's `created_at` and the
 * conversation's times from one clock reading), an id becomes the user or message it names.
 * Run with `npm run test:postgres -- send-paths-agree` and `npm run test:mariadb -- send-paths-agree` (on SQLite both runs take the write unit).
 */
type Scenario = (ctx: ChatTestApp, chat: ChatScenario) => Promise<{ id: string; sends: number[] }>;

const USERS_IDS = ['candidate1', 'support1', 'support2'] as const;

/** Milliseconds since the epoch of a timestamp column as the driver returns it (a Date, or SQLite's UTC text). */
function instantOf(value: unknown): number {
  if (value instanceof Date) return value.getTime();
  const text = String(value);
  return Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(text) ? text : `${text.replace(' ', 'T')}Z`);
}

async function snapshot(ctx: ChatTestApp, conversationId: string): Promise<Record<string, unknown>> {
  const type = ctx.dataSource.options.type;
  const placeholder = type === 'postgres' ? '$1' : type === 'mssql' ? '@0' : '?';
  const q = (sql: string) => ctx.dataSource.query(sql.replace('$id', placeholder), [conversationId]) as Promise<Record<string, unknown>[]>;
  const [conversation] = await q('SELECT * FROM support_conversations WHERE id = $id');
  const messages = await q('SELECT * FROM support_messages WHERE conversation_id = $id ORDER BY seq');
  const participants = await q('SELECT * FROM support_conversation_participants WHERE conversation_id = $id ORDER BY user_id');
  const created = await q('SELECT created_at FROM support_conversations WHERE id = $id');

  // Instants by the message written at them ("m<seq>"), the conversation's creation ("created"), or "other".
  const instants = new Map<number, string>();
  instants.set(instantOf(created[0].created_at), 'created');
  for (const message of messages) instants.set(instantOf(message.created_at), `m${String(message.seq)}`);
  const messageIds = new Map(messages.map((message) => [message.id, `m${String(message.seq)}`]));
  const userIds = new Map<unknown, string>(USERS_IDS.map((key) => [TEST_USERS[key].id, key]));

  const normalize = (row: Record<string, unknown>, skip: string[]): Record<string, unknown> =>
    Object.fromEntries(
      Object.entries(row)
        .filter(([column]) => !skip.includes(column))
        .map(([column, value]) => {
          if (value !== null && /_(at|since)$/.test(column)) return [column, instants.get(instantOf(value)) ?? 'other'];
          if (messageIds.has(value)) return [column, messageIds.get(value)];
          if (userIds.has(value)) return [column, userIds.get(value)];
          return [column, value];
        }),
    );
  return {
    conversation: normalize(conversation, ['id']),
    messages: messages.map((message) => normalize(message, ['conversation_id', 'client_message_id'])),
    participants: participants.map((participant) => normalize(participant, ['id', 'conversation_id'])),
  };
}

async function runBothWays(scenario: Scenario, env: Record<string, string> = {}) {
  const results: Record<string, { rows: Record<string, unknown>; sends: number[] }> = {};
  for (const oneStatement of ['true', 'false']) {
    const ctx = await createChatTestApp({ chat: { env: { ...env, SUPPORT_CHAT_SEND_IN_ONE_STATEMENT: oneStatement } } });
    try {
      const chat = new ChatScenario(ctx);
      const { id, sends } = await scenario(ctx, chat);
      results[oneStatement] = { rows: await snapshot(ctx, id), sends };
    } finally {
      await ctx.close();
    }
  }
  return { on: results['true'], off: results['false'] };
}

/** Round trips of one send: 1 when it took the one statement. */
async function counted(ctx: ChatTestApp, send: () => Promise<unknown>): Promise<number> {
  const { roundTrips } = await ctx.queries.during(send);
  return roundTrips.length;
}

describe(`both send paths leave the same rows on ${DIALECT_LABEL}`, () => {
  it('a conversation with replies, a second agent, notes and a transfer-free back and forth', async () => {
    const { on, off } = await runBothWays(async (ctx, chat) => {
      const { id } = await chat.newConversation('candidate1');
      const sends: number[] = [];
      sends.push(await counted(ctx, () => chat.send('candidate1', id, 'Hola, no puedo entrar')));
      sends.push(await counted(ctx, () => chat.send('candidate1', id, '¿Alguien?')));
      await chat.send('support1', id, 'Hola, te ayudo.'); // first reply: assigns (write unit on both)
      sends.push(await counted(ctx, () => chat.send('candidate1', id, 'Gracias')));
      sends.push(await counted(ctx, () => chat.send('candidate1', id, 'Sigo sin entrar')));
      await ctx.as('support1').post(`${BASE}/conversations/${id}/notes`).send({ content: 'revisar pago' }).expect(201);
      sends.push(await counted(ctx, () => chat.send('support1', id, 'Ya lo reviso')));
      sends.push(await counted(ctx, () => chat.send('support2', id, 'Yo también lo veo')));
      await ctx.as('support1').post(`${BASE}/conversations/${id}/notes`).send({ content: 'otra nota' }).expect(201);
      sends.push(await counted(ctx, () => chat.send('candidate1', id, { content: 'Adjunto', client_message_id: '0b7e9a3c-2222-4aaa-8bbb-000000000001' })));
      // A retry of the same client_message_id: replayed on both paths, nothing written.
      await ctx
        .as('candidate1')
        .post(`${BASE}/conversations/${id}/messages`)
        .send({ content: 'Adjunto', client_message_id: '0b7e9a3c-2222-4aaa-8bbb-000000000001' })
        .expect(200);
      sends.push(await counted(ctx, () => chat.send('support1', id, 'Listo')));
      return { id, sends };
    });

    expect(on.rows).toEqual(off.rows);
    // The normalisation kept what matters: the issue 16/17 columns point at the messages that set them.
    expect(on.rows.conversation).toMatchObject({
      first_candidate_message_at: 'm1',
      first_response_at: 'm3',
      last_message_at: 'm11',
      last_message_seq: 11,
      last_visible_message_seq: 11,
      waiting_since: null,
    });
    // The scenario exercised what it compares: some of the "on" sends took the one statement (PostgreSQL).
    if (DIALECT === 'postgres' || DIALECT === 'mariadb') expect(on.sends.filter((trips) => trips === 1).length).toBeGreaterThanOrEqual(5);
    expect(off.sends.every((trips) => trips > 1)).toBe(true);
  });

  it('outside business hours a candidate send takes the write unit (automatic reply once), rows agree', async () => {
    const closedEnv = { SUPPORT_CHAT_BUSINESS_HOURS: '', SUPPORT_CHAT_SETTINGS_CACHE_SECONDS: '0' };
    const { on, off } = await runBothWays(async (ctx, chat) => {
      const { id } = await chat.newConversation('candidate1');
      const sends: number[] = [];
      sends.push(await counted(ctx, () => chat.send('candidate1', id, 'Hola, ¿hay alguien?')));
      await chat.send('support1', id, 'Hola, aquí estoy.');
      sends.push(await counted(ctx, () => chat.send('candidate1', id, 'Gracias')));
      sends.push(await counted(ctx, () => chat.send('support1', id, 'De nada')));
      return { id, sends };
    }, closedEnv);

    expect(on.rows).toEqual(off.rows);
    expect(Boolean((on.rows.conversation as Record<string, unknown>).arrived_outside_hours)).toBe(true);
    // Candidate sends while closed never take the one statement; the staff reply may.
    expect(on.sends[0]).toBeGreaterThan(1);
    expect(on.sends[1]).toBeGreaterThan(1);
  });

  it('the one statement declines notes, status changes and candidate messages outside business hours, writing nothing', async () => {
    const ctx = await createChatTestApp();
    try {
      const chat = new ChatScenario(ctx);
      const { id } = await chat.newConversation('candidate1');
      await chat.send('candidate1', id, 'Hola');
      await chat.send('support1', id, 'Hola, te ayudo.');
      const before = await snapshot(ctx, id);
      const timeline = ctx.app.get(TimelineRepository);
      const entry = (extra: Record<string, unknown>) => ({
        messageType: 'text' as const,
        content: 'x',
        clientMessageId: randomUUID(),
        attachment: null,
        ...extra,
      });
      const staff = { id: TEST_USERS.support1.id, kind: 'staff' as const };
      const candidate = { id: TEST_USERS.candidate1.id, kind: 'candidate' as const };
      expect(await timeline.appendInOneStatement(id, staff, entry({ messageType: 'note' }))).toBeNull();
      expect(await timeline.appendInOneStatement(id, staff, entry({ messageType: 'system', status: 'resolved' }))).toBeNull();
      expect(await timeline.appendInOneStatement(id, candidate, entry({ outsideHours: true }))).toBeNull();
      expect(await snapshot(ctx, id)).toEqual(before);
      // The plain case does take it where the database has it, with the next seq.
      const plain = await timeline.appendInOneStatement(id, candidate, entry({}));
      if (DIALECT === 'postgres' || DIALECT === 'mariadb') expect(plain?.message.seq).toBe(3);
      else expect(plain).toBeNull();
    } finally {
      await ctx.close();
    }
  });
});

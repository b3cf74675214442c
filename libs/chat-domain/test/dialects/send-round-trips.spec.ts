import { ChatScenario } from '../../src/testing/chat-scenario';
import { ChatTestApp, createChatTestApp } from '../../src/testing/chat-test-app';
import { DIALECT, DIALECT_LABEL } from './dialect-database';

/**
 * Statements a send costs, transaction control included, counted with TypeORM's query logger. On a
 * networked database (PostgreSQL, MariaDB, Azure SQL) each one is a round trip, and round trips, not
 * CPU, decide a send's latency and how long the conversation's row lock is held (issue 19). These pin
 * the count per dialect so it cannot grow unnoticed; run them on every dialect
 * (`npm run test:postgres -- send-round-trips`, `npm run test:mariadb -- send-round-trips`).
 *
 * The directory lookup that authenticates the request is the host's (an in-memory directory here), so it
 * is not counted: add one round trip for it in production.
 */
const BUDGET: Record<string, { common: number; firstReply: number; transaction: number }> = {
  // One statement: allocate `seq`, insert, move the author's read marker (data-modifying CTEs). The
  // transaction path (a first reply, or the switch off) is START TRANSACTION, SET TRANSACTION, 6 statements, COMMIT.
  // A first reply tries the one statement first (it does not apply: the conversation is unassigned), then
  // takes the transaction path, which also records the assignment in the audit trail (issue 18).
  postgres: { common: 1, firstReply: 16, transaction: 9 },
  // One statement too: an anonymous compound statement (`BEGIN NOT ATOMIC ... END`) runs the same write
  // unit server-side; the transaction path is SET TRANSACTION, START TRANSACTION, 6 statements, COMMIT.
  mariadb: { common: 1, firstReply: 16, transaction: 9 },
  // In-process, no network, but each statement still costs CPU: the group commit's BEGIN and COMMIT around
  // the unit (no SAVEPOINT for a group of one), read the conversation, look for the client_message_id,
  // allocate `seq` (the UPDATE answers the conversation: RETURNING), insert, move the read marker; a first
  // reply also creates the participant row (and retries the marker) and records the assignment.
  sqlite: { common: 7, firstReply: 12, transaction: 7 },
};

const describeKnown = BUDGET[DIALECT] ? describe : describe.skip;

describeKnown(`round trips per send on ${DIALECT_LABEL}`, () => {
  let ctx: ChatTestApp;
  let chat: ChatScenario;

  beforeAll(async () => {
    ctx = await createChatTestApp();
    chat = new ChatScenario(ctx);
  });
  afterAll(() => ctx?.close());

  async function roundTripsOf(as: 'candidate1' | 'support1', conversationId: string, content: string) {
    const { result, roundTrips } = await ctx.queries.during(() => chat.send(as, conversationId, content));
    return { message: result, roundTrips };
  }

  it('a message in a conversation the sender already takes part in costs the dialect budget, seq in order', async () => {
    const { id } = await chat.newConversation('candidate1');
    const firstReply = await roundTripsOf('support1', id, 'Hola, te ayudo.');
    // The app's first candidate send also reads the business-hours settings (issue 17), then cached for
    // SUPPORT_CHAT_SETTINGS_CACHE_SECONDS: one more round trip once per cache period, not per send.
    const firstCandidate = await roundTripsOf('candidate1', id, 'Gracias');
    const candidate = await roundTripsOf('candidate1', id, 'Ya entré');
    const staff = await roundTripsOf('support1', id, 'De nada');

    const budget = BUDGET[DIALECT];
    expect({
      firstReply: firstReply.roundTrips.length,
      firstCandidate: firstCandidate.roundTrips.length,
      candidate: candidate.roundTrips.length,
      staff: staff.roundTrips.length,
    }).toEqual({
      firstReply: budget.firstReply,
      firstCandidate: budget.common + 1,
      candidate: budget.common,
      staff: budget.common,
    });
    expect([firstReply.message.seq, firstCandidate.message.seq, candidate.message.seq, staff.message.seq]).toEqual([1, 2, 3, 4]);

    // What the one statement wrote is what the write unit writes: counters, assignment and markers.
    const conversation = await ctx.as('support1').get(`/api/support/chat/conversations/${id}`).expect(200);
    expect(conversation.body.conversation).toMatchObject({ assigned_support_user_id: expect.any(String), last_message_seq: 4 });
    expect(await chat.unread('candidate1')).toBe(1);
    const history = await ctx.as('candidate1').get(`/api/support/chat/conversations/${id}/messages`).expect(200);
    expect(history.body.messages.map((m: { seq: number; content: string }) => [m.seq, m.content])).toEqual([
      [1, 'Hola, te ayudo.'],
      [2, 'Gracias'],
      [3, 'Ya entré'],
      [4, 'De nada'],
    ]);
    // Nine requests: more than jest's default on a busy machine (never a timing assertion).
  }, 30_000);

  it('a retried client_message_id is answered with the stored message, not a second one', async () => {
    const { id } = await chat.newConversation('candidate1');
    const body = { content: 'una vez', client_message_id: '0b7e9a3c-1111-4aaa-8bbb-000000000001' };
    const first = await ctx.as('candidate1').post(`/api/support/chat/conversations/${id}/messages`).send(body).expect(201);
    const again = await ctx.as('candidate1').post(`/api/support/chat/conversations/${id}/messages`).send(body);
    expect(again.status).toBe(200);
    expect(again.body.message.id).toBe(first.body.message.id);
    const history = await ctx.as('candidate1').get(`/api/support/chat/conversations/${id}/messages`).expect(200);
    expect(history.body.messages.filter((m: { content: string }) => m.content === 'una vez')).toHaveLength(1);
  });

  it('SUPPORT_CHAT_SEND_IN_ONE_STATEMENT=false keeps every send in the write unit', async () => {
    const other = await createChatTestApp({ chat: { env: { SUPPORT_CHAT_SEND_IN_ONE_STATEMENT: 'false' } } });
    try {
      const otherChat = new ChatScenario(other);
      const { id } = await otherChat.newConversation('candidate1');
      await otherChat.send('candidate1', id, 'primero');
      const { result, roundTrips } = await other.queries.during(() => otherChat.send('candidate1', id, 'segundo'));
      expect(result.seq).toBe(2);
      expect(roundTrips.length).toBe(BUDGET[DIALECT].transaction);
    } finally {
      await other.close();
    }
  });
});

import { ChatScenario } from '../../src/testing/chat-scenario';
import { ChatTestApp, createChatTestApp, TEST_USERS, TestUserKey } from '../../src/testing/chat-test-app';
import { isServerDialect } from '../../src/testing/test-database';
import { DIALECT, DIALECT_LABEL } from './dialect-database';

/**
 * What SQLite hides: it runs the chat's write transactions one at a time. PostgreSQL and MariaDB run
 * them concurrently, so these tests only mean something there (`npm run test:postgres`, `npm run test:mariadb`).
 */
const onServer = isServerDialect(DIALECT);
if (!onServer) {
  console.info(`SKIPPED: concurrency tests need PostgreSQL or MariaDB (SUPPORT_CHAT_TEST_DB is ${DIALECT}); SQLite serialises every write transaction.`);
}
const describeOnServer = onServer ? describe : describe.skip;

type Response = { status: number; body: { message?: { seq: number; sender_user_id: string }; [key: string]: unknown } };

describeOnServer(
  onServer ? `concurrency on ${DIALECT_LABEL}` : 'concurrency (needs PostgreSQL or MariaDB: SQLite runs one write transaction at a time)',
  () => {
    let ctx: ChatTestApp;
    let chat: ChatScenario;

    beforeEach(async () => {
      ctx = await createChatTestApp();
      chat = new ChatScenario(ctx);
    });
    afterEach(() => ctx?.close());

    const messagesUrl = (conversationId: string) => `/api/support/chat/conversations/${conversationId}/messages`;
    const staffId = (n: number) => `s1000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

    /** Adds `count` active support agents to the directory and returns their ids. */
    function hireStaff(count: number): string[] {
      return Array.from({ length: count }, (_, i) => {
        const id = staffId(i + 1);
        ctx.users.put({ id, role: 'soporte', full_name: `Agente ${i + 1}`, is_active: true, username: `agente${i + 1}`, email: `agente${i + 1}@example.com` });
        return id;
      });
    }

    async function dbState(conversationId: string) {
      const ds = ctx.dataSource;
      const messages: { seq: number | string; sender_user_id: string }[] = await ds
        .createQueryBuilder()
        .select(['m.seq AS seq', 'm.sender_user_id AS sender_user_id'])
        .from('support_messages', 'm')
        .where('m.conversation_id = :conversationId', { conversationId })
        .orderBy('m.seq', 'ASC')
        .getRawMany();
      const participants: { user_id: string }[] = await ds
        .createQueryBuilder()
        .select('p.user_id', 'user_id')
        .from('support_conversation_participants', 'p')
        .where('p.conversation_id = :conversationId', { conversationId })
        .getRawMany();
      const conversation = await ds
        .createQueryBuilder()
        .select(['c.assigned_support_user_id AS assigned_support_user_id', 'c.last_message_seq AS last_message_seq'])
        .from('support_conversations', 'c')
        .where('c.id = :conversationId', { conversationId })
        .getRawOne<{ assigned_support_user_id: string | null; last_message_seq: number | string }>();
      if (!conversation) throw new Error(`conversation ${conversationId} not found`);
      return {
        seqs: messages.map((m) => Number(m.seq)),
        senders: messages.map((m) => m.sender_user_id),
        participantIds: participants.map((p) => p.user_id),
        assignee: conversation.assigned_support_user_id,
        lastMessageSeq: Number(conversation.last_message_seq),
      };
    }

    function expectNoErrors(responses: Response[]): void {
      const failures = responses.filter((response) => response.status >= 300).map((response) => ({ status: response.status, body: response.body }));
      expect(failures).toEqual([]);
    }

    it('50 concurrent senders in one conversation get seq 1..50, unique and without gaps, and no error', async () => {
      const conversation = await chat.newConversation('candidate1');
      const staff = hireStaff(49);

      const responses: Response[] = await Promise.all([
        ctx.as('candidate1').post(messagesUrl(conversation.id)).send({ content: 'mensaje del candidato' }),
        ...staff.map((id, i) =>
          ctx
            .asUserId(id)
            .post(messagesUrl(conversation.id))
            .send({ content: `respuesta ${i + 1} 🚀` }),
        ),
      ]);

      expectNoErrors(responses);
      expect(responses.map((r) => r.body.message!.seq).sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
      const state = await dbState(conversation.id);
      expect(state.seqs).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
      expect(state.lastMessageSeq).toBe(50);
      // The first staff message (by seq) is the one that assigned the conversation.
      const firstStaffSender = state.senders.find((sender) => sender !== TEST_USERS.candidate1.id);
      expect(state.assignee).toBe(firstStaffSender);
      // One participant row per user: the candidate and the 49 agents.
      expect(state.participantIds.sort()).toEqual([TEST_USERS.candidate1.id, ...staff].sort());
      expect(
        (
          await ctx
            .as('candidate1')
            .get(`${messagesUrl(conversation.id)}?per_page=100`)
            .expect(200)
        ).body.messages,
      ).toHaveLength(50);
    }, 60_000);

    it('one sender firing 50 messages at once also gets 1..50 in order of commit, each exactly once', async () => {
      const conversation = await chat.newConversation('candidate1');
      const responses: Response[] = await Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          ctx
            .as('candidate1')
            .post(messagesUrl(conversation.id))
            .send({ content: `mensaje ${i + 1}` }),
        ),
      );
      expectNoErrors(responses);
      const state = await dbState(conversation.id);
      expect(state.seqs).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
      expect(state.participantIds).toEqual([TEST_USERS.candidate1.id]);
    }, 60_000);

    it('two staff replying at the same moment to an unassigned conversation end with exactly one assignee: the first to commit', async () => {
      for (let round = 0; round < 5; round++) {
        const conversation = await chat.newConversation('candidate1');
        await chat.send('candidate1', conversation.id, 'Hola, ¿alguien me ayuda?');

        const responses: Response[] = await Promise.all([
          ctx.as('support1').post(messagesUrl(conversation.id)).send({ content: 'Hola, te ayudo yo' }),
          ctx.as('support2').post(messagesUrl(conversation.id)).send({ content: 'Hola, te ayudo yo' }),
        ]);

        expectNoErrors(responses);
        const state = await dbState(conversation.id);
        expect(state.seqs).toEqual([1, 2, 3]);
        expect([TEST_USERS.support1.id, TEST_USERS.support2.id]).toContain(state.assignee);
        expect(state.assignee).toBe(state.senders[1]);
        const view = await ctx.as('admin1').get(`/api/support/chat/conversations/${conversation.id}`).expect(200);
        expect(view.body.conversation.assigned_support_user_id).toBe(state.assignee);
      }
    }, 60_000);

    it('concurrent first replies and concurrent reads never violate the participants unique key (no 500s)', async () => {
      for (let round = 0; round < 5; round++) {
        const conversation = await chat.newConversation('candidate1');
        await chat.send('candidate1', conversation.id, 'Hola');
        const readUrl = `/api/support/chat/conversations/${conversation.id}/read`;
        const actors: TestUserKey[] = ['support1', 'support2', 'admin1', 'developer1'];

        const responses: Response[] = await Promise.all([
          ...actors.flatMap((actor) => [
            ctx.as(actor).post(readUrl).send({}),
            ctx
              .as(actor)
              .post(messagesUrl(conversation.id))
              .send({ content: `respuesta de ${actor}` }),
            ctx.as(actor).post(readUrl).send({}),
            ctx
              .as(actor)
              .post(messagesUrl(conversation.id))
              .send({ content: `otra respuesta de ${actor}` }),
            ctx.as(actor).post(readUrl).send({}),
          ]),
          ctx.as('candidate1').post(readUrl).send({}),
          ctx.as('candidate1').post(readUrl).send({}),
        ]);

        expectNoErrors(responses);
        const state = await dbState(conversation.id);
        expect(state.seqs).toEqual(Array.from({ length: 1 + actors.length * 2 }, (_, i) => i + 1));
        expect(state.participantIds.sort()).toEqual([TEST_USERS.candidate1.id, ...actors.map((actor) => TEST_USERS[actor].id)].sort());
      }
    }, 60_000);

    it("a first reply racing the same agent's reads never fails (regression: a 500 on PostgreSQL before ensureParticipant took the row lock)", async () => {
      const failures: unknown[] = [];
      for (let round = 0; round < 20; round++) {
        const conversation = await chat.newConversation('candidate1');
        await chat.send('candidate1', conversation.id, 'Hola');
        const readUrl = `/api/support/chat/conversations/${conversation.id}/read`;
        const responses: Response[] = await Promise.all([
          ctx.as('support1').post(readUrl).send({}),
          ctx.as('support1').post(readUrl).send({}),
          ctx.as('support1').post(messagesUrl(conversation.id)).send({ content: 'Te ayudo' }),
          ctx.as('support1').post(readUrl).send({}),
        ]);
        failures.push(...responses.filter((r) => r.status >= 300).map((r) => ({ round, status: r.status, body: r.body })));
      }
      expect(failures).toEqual([]);
    }, 60_000);

    it('concurrent reads by the same user who is not yet a participant create one row and all succeed', async () => {
      const conversation = await chat.newConversation('candidate1');
      await chat.send('candidate1', conversation.id, 'Hola');
      const responses: Response[] = await Promise.all(
        Array.from({ length: 20 }, () => ctx.as('support1').post(`/api/support/chat/conversations/${conversation.id}/read`).send({})),
      );
      expectNoErrors(responses);
      expect(responses.every((r) => r.body.last_read_seq === 1)).toBe(true);
      const state = await dbState(conversation.id);
      expect(state.participantIds.sort()).toEqual([TEST_USERS.candidate1.id, TEST_USERS.support1.id].sort());
    }, 60_000);
  },
);

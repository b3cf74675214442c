import { ChatScenario } from '../src/testing/chat-scenario';
import { ChatTestApp, createChatTestApp, TEST_USERS, TestUserKey } from '../src/testing/chat-test-app';

const BASE = '/api/support/chat';

describe('access control', () => {
  let ctx: ChatTestApp;
  let chat: ChatScenario;
  let conversationId: string;
  let messageId: string;

  beforeAll(async () => {
    ctx = await createChatTestApp();
    chat = new ChatScenario(ctx);
    conversationId = (await chat.newConversation('candidate1')).id;
    messageId = (await chat.send('candidate1', conversationId, 'Mis datos personales')).id;
  });
  afterAll(() => ctx.close());

  /** Every chat endpoint, with a valid body so that only authorization can fail. */
  const endpoints = () => [
    { name: 'create conversation', call: (as: TestUserKey | null) => ctx.as(as).post(`${BASE}/conversations`).send({}) },
    { name: 'list conversations', call: (as: TestUserKey | null) => ctx.as(as).get(`${BASE}/conversations`) },
    { name: 'get conversation', call: (as: TestUserKey | null) => ctx.as(as).get(`${BASE}/conversations/${conversationId}`) },
    { name: 'update conversation', call: (as: TestUserKey | null) => ctx.as(as).patch(`${BASE}/conversations/${conversationId}`).send({ priority: 'high' }) },
    { name: 'send message', call: (as: TestUserKey | null) => ctx.as(as).post(`${BASE}/conversations/${conversationId}/messages`).send({ content: 'hola' }) },
    { name: 'history', call: (as: TestUserKey | null) => ctx.as(as).get(`${BASE}/conversations/${conversationId}/messages`) },
    {
      name: 'mark read',
      call: (as: TestUserKey | null) => ctx.as(as).post(`${BASE}/conversations/${conversationId}/read`).send({ last_message_id: messageId }),
    },
    { name: 'status', call: (as: TestUserKey | null) => ctx.as(as).patch(`${BASE}/conversations/${conversationId}/status`).send({ status: 'open' }) },
    { name: 'unread count', call: (as: TestUserKey | null) => ctx.as(as).get(`${BASE}/unread-count`) },
    { name: 'me', call: (as: TestUserKey | null) => ctx.as(as).get(`${BASE}/me`) },
  ];

  it.each([
    [null, 401, 'unauthenticated'],
    ['guest1', 403, 'forbidden_role'],
    ['inactiveCandidate', 401, 'user_inactive'],
  ] as const)('%s gets %i %s on every endpoint', async (as, status, code) => {
    for (const endpoint of endpoints()) {
      const response = await endpoint.call(as);
      expect({ endpoint: endpoint.name, status: response.status, code: response.body.code }).toEqual({ endpoint: endpoint.name, status, code });
      expect(typeof response.body.error).toBe('string');
    }
  });

  it('rejects a token for a user the directory does not know', async () => {
    const response = await ctx.asUserId('00000000-0000-4000-8000-000000000000').get(`${BASE}/conversations`);
    expect(response.status).toBe(401);
    expect(response.body.code).toBe('unauthenticated');
  });

  it("never lets a candidate reach another candidate's conversation (404 everywhere, nothing written)", async () => {
    const conversationScoped = endpoints().filter(
      (endpoint) =>
        endpoint.name !== 'create conversation' && endpoint.name !== 'list conversations' && endpoint.name !== 'unread count' && endpoint.name !== 'me',
    );
    for (const endpoint of conversationScoped) {
      const response = await endpoint.call('candidate2');
      expect({ endpoint: endpoint.name, status: response.status, code: response.body.code }).toEqual({
        endpoint: endpoint.name,
        status: 404,
        code: 'conversation_not_found',
      });
    }
    const list = await ctx.as('candidate2').get(`${BASE}/conversations`).expect(200);
    expect(list.body.conversations).toEqual([]);
    const history = await ctx.as('candidate1').get(`${BASE}/conversations/${conversationId}/messages`).expect(200);
    expect(history.body.total).toBe(1);
    const participants = await ctx.dataSource.query('SELECT user_id FROM support_conversation_participants');
    expect(participants.map((row: { user_id: string }) => row.user_id)).not.toContain(TEST_USERS.candidate2.id);
  });

  it.each(['support1', 'admin1', 'developer1'] as const)('%s can read and answer any conversation', async (staff) => {
    await ctx.as(staff).get(`${BASE}/conversations/${conversationId}`).expect(200);
    await ctx.as(staff).get(`${BASE}/conversations/${conversationId}/messages`).expect(200);
    await ctx
      .as(staff)
      .post(`${BASE}/conversations/${conversationId}/messages`)
      .send({ content: `Respuesta de ${staff}` })
      .expect(201);
    await ctx.as(staff).post(`${BASE}/conversations/${conversationId}/read`).send({}).expect(200);
    const list = await ctx.as(staff).get(`${BASE}/conversations`).expect(200);
    expect(list.body.conversations.map((c: { id: string }) => c.id)).toContain(conversationId);
  });

  it('lists only the candidate their own conversations and filters staff by assignment', async () => {
    const other = await chat.newConversation('candidate2', { subject: 'Otra' });
    const mine = await ctx.as('candidate2').get(`${BASE}/conversations`).expect(200);
    expect(mine.body.conversations.map((c: { id: string }) => c.id)).toEqual([other.id]);

    await chat.send('support2', other.id, 'Te atiendo yo');
    const assigned = await ctx.as('support2').get(`${BASE}/conversations?assigned_to_me=true`).expect(200);
    expect(assigned.body.conversations.map((c: { id: string }) => c.id)).toEqual([other.id]);
    const everything = await ctx.as('support2').get(`${BASE}/conversations?assigned_to_me=false`).expect(200);
    expect(everything.body.total).toBe(2);
  });
});

describe('GET /me: the side of the chat the server gives the caller', () => {
  it('answers the kind the configuration gives a role, including roles widened by the host', async () => {
    const ctx = await createChatTestApp({ chat: { env: { SUPPORT_CHAT_CANDIDATE_ROLES: 'candidato,gerente', SUPPORT_CHAT_SUPERVISOR_ROLES: 'none' } } });
    try {
      expect((await ctx.as('candidate1').get(`${BASE}/me`).expect(200)).body).toEqual({
        user_id: TEST_USERS.candidate1.id,
        role: 'candidato',
        kind: 'candidate',
        can_reopen_closed: true,
        can_audit: false,
      });
      expect((await ctx.as('admin1').get(`${BASE}/me`).expect(200)).body).toEqual({
        user_id: TEST_USERS.admin1.id,
        role: 'admin',
        kind: 'staff',
        can_reopen_closed: true,
        can_audit: true,
      });
      expect((await ctx.as('manager1').get(`${BASE}/me`).expect(200)).body).toEqual({
        user_id: TEST_USERS.manager1.id,
        role: 'gerente',
        kind: 'candidate',
        can_reopen_closed: true,
        can_audit: false,
      });
    } finally {
      await ctx.close();
    }
  });

  it('tells candidates they cannot reopen a closed conversation when the host made closed final, and staff that they can', async () => {
    const ctx = await createChatTestApp({ chat: { env: { SUPPORT_CHAT_CANDIDATE_CAN_REOPEN_CLOSED: 'false' } } });
    try {
      expect((await ctx.as('candidate1').get(`${BASE}/me`).expect(200)).body).toMatchObject({ kind: 'candidate', can_reopen_closed: false });
      expect((await ctx.as('support1').get(`${BASE}/me`).expect(200)).body).toMatchObject({ kind: 'staff', can_reopen_closed: true });
    } finally {
      await ctx.close();
    }
  });
});

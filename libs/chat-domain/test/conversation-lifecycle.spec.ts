import { ChatTestApp, TEST_USERS } from '../src/testing/chat-test-app';
import { wholeMessages } from '../src/testing/history-page';
import { useChatTestApp } from '../src/testing/use-chat-test-app';

const BASE = '/api/support/chat';

describe('conversation lifecycle', () => {
  const { ctx, chat } = useChatTestApp();

  const setStatus = (as: Parameters<ChatTestApp['as']>[0], id: string, status: string) =>
    ctx.as(as).patch(`${BASE}/conversations/${id}/status`).send({ status });
  const timeline = async (id: string) => wholeMessages((await ctx.as('support1').get(`${BASE}/conversations/${id}/messages`).expect(200)).body);

  describe('staff creates a conversation for a candidate', () => {
    it('opens it for an active candidate, with priority', async () => {
      const conversation = await chat.newConversation('support1', {
        candidate_user_id: TEST_USERS.candidate2.id,
        subject: 'Seguimiento de tu certificado',
        priority: 'high',
      });
      expect(conversation).toMatchObject({
        candidate_user_id: TEST_USERS.candidate2.id,
        created_by_user_id: TEST_USERS.support1.id,
        priority: 'high',
        status: 'open',
      });
      const candidateList = await ctx.as('candidate2').get(`${BASE}/conversations`).expect(200);
      expect(candidateList.body.conversations.map((c: { id: string }) => c.id)).toEqual([conversation.id]);
    });

    it.each([
      [{}, 'candidate_required'],
      [{ candidate_user_id: '00000000-0000-4000-8000-000000000000' }, 'candidate_not_found'],
      [{ candidate_user_id: TEST_USERS.inactiveCandidate.id }, 'candidate_not_found'],
      [{ candidate_user_id: TEST_USERS.support2.id }, 'candidate_not_found'],
    ])('rejects %j with %s and writes nothing', async (body, code) => {
      const response = await ctx.as('admin1').post(`${BASE}/conversations`).send(body).expect(400);
      expect(response.body.code).toBe(code);
      expect(await ctx.dataSource.query('SELECT id FROM support_conversations')).toEqual([]);
    });

    it('does not let a candidate open a conversation for someone else or set its priority', async () => {
      const forOther = await ctx.as('candidate1').post(`${BASE}/conversations`).send({ candidate_user_id: TEST_USERS.candidate2.id }).expect(403);
      expect(forOther.body.code).toBe('forbidden');
      const withPriority = await ctx.as('candidate1').post(`${BASE}/conversations`).send({ priority: 'high' }).expect(403);
      expect(withPriority.body.code).toBe('priority_forbidden');
      const forSelf = await ctx.as('candidate1').post(`${BASE}/conversations`).send({ candidate_user_id: TEST_USERS.candidate1.id }).expect(201);
      expect(forSelf.body.conversation.candidate_user_id).toBe(TEST_USERS.candidate1.id);
    });
  });

  describe('status rules', () => {
    it('lets a candidate resolve and reopen their own conversation, recording each change', async () => {
      const { id } = await chat.newConversation('candidate1');
      const resolved = await setStatus('candidate1', id, 'resolved').expect(200);
      expect(resolved.body.conversation.status).toBe('resolved');
      await setStatus('candidate1', id, 'open').expect(200);
      const events = await timeline(id);
      expect(events.map((m) => [m.seq, m.message_type, m.content])).toEqual([
        [1, 'system', 'Carla Candidata marcó la conversación como resuelta.'],
        [2, 'system', 'Carla Candidata marcó la conversación como abierta.'],
      ]);
    });

    it('does not let a candidate close, but lets them reopen what staff closed (the spec)', async () => {
      const { id } = await chat.newConversation('candidate1');
      const close = await setStatus('candidate1', id, 'closed').expect(403);
      expect(close.body.code).toBe('status_change_forbidden');
      await setStatus('support1', id, 'closed').expect(200);
      const reopen = await setStatus('candidate1', id, 'open').expect(200);
      expect(reopen.body.conversation.status).toBe('open');
      expect((await timeline(id)).at(-1)).toMatchObject({ message_type: 'system', content: 'Carla Candidata marcó la conversación como abierta.' });
    });

    it.each(['support1', 'admin1', 'developer1'] as const)('%s may set every status', async (staff) => {
      const { id } = await chat.newConversation('candidate1');
      for (const status of ['resolved', 'closed', 'open']) {
        const response = await setStatus(staff, id, status).expect(200);
        expect(response.body.conversation.status).toBe(status);
      }
    });

    it('treats setting the current status as a no-op', async () => {
      const { id } = await chat.newConversation('candidate1');
      await setStatus('support1', id, 'open').expect(200);
      expect(await timeline(id)).toEqual([]);
    });

    it('rejects messages on a closed conversation with 409 and stores nothing', async () => {
      const { id } = await chat.newConversation('candidate1');
      await setStatus('support1', id, 'closed').expect(200);
      for (const as of ['candidate1', 'support1'] as const) {
        const response = await ctx.as(as).post(`${BASE}/conversations/${id}/messages`).send({ content: 'hola' }).expect(409);
        expect(response.body.code).toBe('conversation_closed');
      }
      expect((await timeline(id)).map((m) => m.message_type)).toEqual(['system']);
    });

    it('reopens a resolved conversation when the candidate writes again', async () => {
      const { id } = await chat.newConversation('candidate1');
      await setStatus('support1', id, 'resolved').expect(200);
      await chat.send('candidate1', id, 'Sigue sin funcionar');
      const conversation = await ctx.as('candidate1').get(`${BASE}/conversations/${id}`).expect(200);
      expect(conversation.body.conversation.status).toBe('open');
      expect((await timeline(id)).map((m) => [m.seq, m.message_type])).toEqual([
        [1, 'system'],
        [2, 'system'],
        [3, 'text'],
      ]);
    });

    it('rejects an unknown status', async () => {
      const { id } = await chat.newConversation('candidate1');
      const response = await setStatus('support1', id, 'archived').expect(400);
      expect(response.body.code).toBe('invalid_status');
    });
  });

  describe('assignment and priority (staff only)', () => {
    it('assigns, reassigns and unassigns', async () => {
      const { id } = await chat.newConversation('candidate1');
      const mine = await ctx.as('support1').patch(`${BASE}/conversations/${id}`).send({ assigned_support_user_id: TEST_USERS.support1.id }).expect(200);
      expect(mine.body.conversation.assigned_support_user).toMatchObject({ id: TEST_USERS.support1.id, full_name: 'Sofía Soporte' });
      const other = await ctx
        .as('support1')
        .patch(`${BASE}/conversations/${id}`)
        .send({ assigned_support_user_id: TEST_USERS.admin1.id, priority: 'low' })
        .expect(200);
      expect(other.body.conversation).toMatchObject({ assigned_support_user_id: TEST_USERS.admin1.id, priority: 'low' });
      const none = await ctx.as('support1').patch(`${BASE}/conversations/${id}`).send({ assigned_support_user_id: null }).expect(200);
      expect(none.body.conversation.assigned_support_user_id).toBeNull();
    });

    it('keeps an existing assignment when another agent replies', async () => {
      const { id } = await chat.newConversation('candidate1');
      await chat.send('support1', id, 'Primera respuesta');
      await chat.send('support2', id, 'Segunda respuesta');
      const conversation = await ctx.as('support2').get(`${BASE}/conversations/${id}`).expect(200);
      expect(conversation.body.conversation.assigned_support_user_id).toBe(TEST_USERS.support1.id);
    });

    it('refuses candidates and non-staff assignees', async () => {
      const { id } = await chat.newConversation('candidate1');
      const byCandidate = await ctx.as('candidate1').patch(`${BASE}/conversations/${id}`).send({ priority: 'high' }).expect(403);
      expect(byCandidate.body.code).toBe('forbidden');
      const toCandidate = await ctx
        .as('support1')
        .patch(`${BASE}/conversations/${id}`)
        .send({ assigned_support_user_id: TEST_USERS.candidate2.id })
        .expect(400);
      expect(toCandidate.body.code).toBe('assignee_not_staff');
      const toManager = await ctx.as('support1').patch(`${BASE}/conversations/${id}`).send({ assigned_support_user_id: TEST_USERS.manager1.id }).expect(400);
      expect(toManager.body.code).toBe('assignee_not_staff');
    });
  });

  describe('inbox search, filters and order', () => {
    it('orders by latest activity and filters by status and search', async () => {
      const a = await chat.newConversation('candidate1', { subject: 'Pago duplicado' });
      const b = await chat.newConversation('candidate2', { subject: 'Examen bloqueado' });
      await chat.send('candidate1', a.id, 'ping');
      let list = await ctx.as('support1').get(`${BASE}/conversations`).expect(200);
      expect(list.body.conversations.map((c: { id: string }) => c.id)).toEqual([a.id, b.id]);
      await chat.send('candidate2', b.id, 'pong');
      list = await ctx.as('support1').get(`${BASE}/conversations`).expect(200);
      expect(list.body.conversations.map((c: { id: string }) => c.id)).toEqual([b.id, a.id]);

      await setStatus('support1', a.id, 'resolved').expect(200);
      const resolved = await ctx.as('support1').get(`${BASE}/conversations?status=resolved`).expect(200);
      expect(resolved.body.conversations.map((c: { id: string }) => c.id)).toEqual([a.id]);

      const bySubject = await ctx.as('support1').get(`${BASE}/conversations?search=BLOQUEADO`).expect(200);
      expect(bySubject.body.conversations.map((c: { id: string }) => c.id)).toEqual([b.id]);
      const byName = await ctx.as('support1').get(`${BASE}/conversations?search=carla`).expect(200);
      expect(byName.body.conversations.map((c: { id: string }) => c.id)).toEqual([a.id]);
      const wildcard = await ctx.as('support1').get(`${BASE}/conversations?search=%25`).expect(200);
      expect(wildcard.body.conversations).toEqual([]);
    });

    it('pages the list', async () => {
      for (let i = 0; i < 5; i++) await chat.newConversation('candidate1', { subject: `Tema ${i}` });
      const page2 = await ctx.as('support1').get(`${BASE}/conversations?page=2&per_page=2`).expect(200);
      expect(page2.body).toMatchObject({ page: 2, per_page: 2, total: 5, pages: 3 });
      expect(page2.body.conversations.map((c: { subject: string }) => c.subject)).toEqual(['Tema 2', 'Tema 1']);
    });
  });
});

describe('status rules with SUPPORT_CHAT_CANDIDATE_CAN_REOPEN_CLOSED=false', () => {
  const { ctx, chat } = useChatTestApp({ chat: { env: { SUPPORT_CHAT_CANDIDATE_CAN_REOPEN_CLOSED: 'false' } } });

  it('keeps a closed conversation closed for its candidate, and lets staff reopen it', async () => {
    const { id } = await chat.newConversation('candidate1');
    await ctx.as('support1').patch(`${BASE}/conversations/${id}/status`).send({ status: 'closed' }).expect(200);
    for (const status of ['open', 'resolved']) {
      const refused = await ctx.as('candidate1').patch(`${BASE}/conversations/${id}/status`).send({ status }).expect(403);
      expect(refused.body).toMatchObject({ code: 'status_change_forbidden', error: 'La conversación fue cerrada por soporte; solo soporte puede reabrirla.' });
    }
    const stored = await ctx.dataSource.query<{ status: string }[]>('SELECT status FROM support_conversations');
    expect(stored).toEqual([{ status: 'closed' }]);
    await ctx.as('developer1').patch(`${BASE}/conversations/${id}/status`).send({ status: 'open' }).expect(200);
  });
});

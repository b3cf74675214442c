import { TEST_USERS } from '../src/testing/chat-test-app';
import { wholeMessages } from '../src/testing/history-page';
import { useChatTestApp } from '../src/testing/use-chat-test-app';

const BASE = '/api/support/chat';

/**
 * Issue 16 part 2 over HTTP, on whichever database the run uses (SQLite here; `npm run test:postgres`
 * and `npm run test:mariadb` run it on the servers): the SQL of notes, the waiting time, the queue,
 * hand-offs and the staff picker's grouped count.
 */
describe('internal notes, hand-offs and the unassigned queue (any dialect)', () => {
  const { ctx, chat } = useChatTestApp();

  it('a note leaves the candidate view and unread counts as they were, on every dialect', async () => {
    const { id } = await chat.newConversation('candidate1');
    await chat.send('candidate1', id, 'hola');
    const before = (await ctx.as('candidate1').get(`${BASE}/conversations/${id}`).expect(200)).body.conversation;
    const colleagueUnread = await chat.unread('support2');
    expect(colleagueUnread).toBe(1);
    const note = await ctx.as('support1').post(`${BASE}/conversations/${id}/notes`).send({ content: 'revisar pago' }).expect(201);
    expect(note.body.message).toMatchObject({ message_type: 'note', seq: 2 });

    const after = (await ctx.as('candidate1').get(`${BASE}/conversations/${id}`).expect(200)).body.conversation;
    expect(after).toEqual(before);
    // Notes never count as unread for anyone; the team still owes an answer (a colleague's count stays),
    // and the author, like any writer, has read up to their note.
    expect(await chat.unread('support2')).toBe(colleagueUnread);
    expect(await chat.unread('support1')).toBe(0);
    const history = await ctx.as('candidate1').get(`${BASE}/conversations/${id}/messages`).expect(200);
    expect(history.body.messages.map((message: { content: string }) => message.content)).toEqual(['hola']);
    const list = await ctx.as('candidate1').get(`${BASE}/conversations`).expect(200);
    expect(list.body.conversations[0].last_message.content).toBe('hola');
    const staffList = await ctx.as('support1').get(`${BASE}/conversations`).expect(200);
    expect(staffList.body.conversations[0].last_message.message_type).toBe('note');
  });

  it('"Sin asignar" lists unassigned conversations, the longest-waiting first, with the waiting time', async () => {
    const older = await chat.newConversation('candidate1', { subject: 'primera' });
    await chat.send('candidate1', older.id, 'uno');
    const newer = await chat.newConversation('candidate2', { subject: 'segunda' });
    await chat.send('candidate2', newer.id, 'dos');
    await chat.send('candidate1', older.id, 'sigo esperando');
    const answered = await chat.newConversation('candidate2', { subject: 'tercera' });
    await chat.send('candidate2', answered.id, 'tres');
    await chat.send('support1', answered.id, 'ya te atiendo');

    const queue = await ctx.as('support1').get(`${BASE}/conversations?unassigned=true`).expect(200);
    expect(queue.body.conversations.map((conversation: { id: string }) => conversation.id)).toEqual([older.id, newer.id]);
    expect(typeof queue.body.conversations[0].waiting_since).toBe('string');
    const all = await ctx.as('support1').get(`${BASE}/conversations`).expect(200);
    expect(all.body.conversations.find((conversation: { id: string }) => conversation.id === answered.id).waiting_since).toBeNull();
    const bad = await ctx.as('support1').get(`${BASE}/conversations?tier=boss`).expect(400);
    expect(bad.body.code).toBe('invalid_tier');
  });

  it('transfer, escalate and return: validated, recorded, filterable by tier, never a half-written row', async () => {
    const { id } = await chat.newConversation('candidate1');
    const transfer = await ctx
      .as('support1')
      .post(`${BASE}/conversations/${id}/transfer`)
      .send({ assigned_support_user_id: TEST_USERS.support2.id, note: 'pago pendiente' })
      .expect(200);
    expect(transfer.body.conversation.assigned_support_user_id).toBe(TEST_USERS.support2.id);

    const wrong = await ctx.as('support1').post(`${BASE}/conversations/${id}/escalate`).send({ coordinator_user_id: TEST_USERS.support1.id }).expect(400);
    expect(wrong.body.code).toBe('assignee_not_coordinator');
    const unknownField = await ctx
      .as('support1')
      .post(`${BASE}/conversations/${id}/transfer`)
      .send({ assigned_support_user_id: TEST_USERS.admin1.id, x: 1 })
      .expect(400);
    expect(unknownField.body.code).toBe('unknown_field');

    const escalated = await ctx
      .as('support2')
      .post(`${BASE}/conversations/${id}/escalate`)
      .send({ coordinator_user_id: TEST_USERS.coordinator1.id })
      .expect(200);
    expect(escalated.body.conversation).toMatchObject({ handling_tier: 'coordinator', assigned_support_user_id: TEST_USERS.coordinator1.id });
    const coordinatorQueue = await ctx.as('coordinator1').get(`${BASE}/conversations?tier=coordinator`).expect(200);
    expect(coordinatorQueue.body.conversations.map((conversation: { id: string }) => conversation.id)).toEqual([id]);

    const returned = await ctx.as('coordinator1').post(`${BASE}/conversations/${id}/return`).send({}).expect(200);
    expect(returned.body.conversation).toMatchObject({ handling_tier: 'agent', assigned_support_user_id: null, escalated_at: null });
    // Repeated: nothing changes, nothing is written.
    await ctx.as('coordinator1').post(`${BASE}/conversations/${id}/return`).send({}).expect(200);

    const candidate = await ctx.as('candidate1').get(`${BASE}/conversations/${id}/messages`).expect(200);
    const lines = wholeMessages(candidate.body).map((message) => [message.message_type, message.content]);
    expect(lines).toEqual([
      ['system', 'La conversación fue transferida a Saúl Soporte.'],
      ['system', 'Tu conversación fue turnada a un coordinador.'],
      ['system', 'Tu conversación regresó al equipo de soporte.'],
    ]);
    expect(JSON.stringify(candidate.body)).not.toContain('pago pendiente');
    const forbidden = await ctx.as('candidate1').post(`${BASE}/conversations/${id}/escalate`).send({}).expect(403);
    expect(forbidden.body.code).toBe('forbidden');
  });

  it('the staff picker counts open conversations per assignee in one grouped query', async () => {
    for (const as of ['candidate1', 'candidate2'] as const) {
      const { id } = await chat.newConversation(as);
      await chat.send('support2', id, 'hola');
    }
    const { body } = await ctx.as('support1').get(`${BASE}/staff`).expect(200);
    const support2 = body.staff.find((member: { id: string }) => member.id === TEST_USERS.support2.id);
    expect(support2).toMatchObject({ open_conversations: 2, online: false, is_coordinator: false, username: 'soporte2' });
    expect(body.staff.find((member: { id: string }) => member.id === TEST_USERS.coordinator1.id)).toMatchObject({ is_coordinator: true });
    expect((await ctx.as('candidate1').get(`${BASE}/staff`).expect(403)).body.code).toBe('forbidden');
  });
});

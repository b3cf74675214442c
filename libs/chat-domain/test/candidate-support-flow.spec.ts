import { TEST_USERS } from '../src/testing/chat-test-app';
import { useChatTestApp } from '../src/testing/use-chat-test-app';

describe('candidate <-> support flow', () => {
  const { ctx, chat } = useChatTestApp();

  it('creates, sends, shows unread to staff, replies, reads and pages the history', async () => {
    const conversation = await chat.newConversation('candidate1', { subject: '  No puedo iniciar mi examen  ' });
    expect(conversation).toMatchObject({
      candidate_user_id: TEST_USERS.candidate1.id,
      created_by_user_id: TEST_USERS.candidate1.id,
      subject: 'No puedo iniciar mi examen',
      status: 'open',
      assigned_support_user_id: null,
      last_message_at: null,
      candidate: { id: TEST_USERS.candidate1.id, full_name: 'Carla Candidata', role: 'candidato' },
    });
    expect(conversation.candidate).not.toHaveProperty('email');
    expect(conversation).not.toHaveProperty('priority'); // staff-only

    const first = await chat.send('candidate1', conversation.id, 'Hola, el examen no carga 😢');
    expect(first).toMatchObject({
      seq: 1,
      message_type: 'text',
      content: 'Hola, el examen no carga 😢',
      sender: { full_name: 'Carla Candidata', role: 'candidato' },
    });
    expect(first.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);

    // Staff see it as unread, with the candidate's contact data.
    const inbox = await ctx.as('support1').get('/api/support/chat/conversations').expect(200);
    expect(inbox.body).toMatchObject({ page: 1, per_page: 20, total: 1, pages: 1 });
    expect(inbox.body.conversations[0]).toMatchObject({
      id: conversation.id,
      unread_count: 1,
      last_message: { seq: 1 },
      candidate: { email: 'carla@example.com' },
    });
    expect(await chat.unread('support1')).toBe(1);
    expect(await chat.unread('admin1')).toBe(1);
    expect(await chat.unread('candidate1')).toBe(0);

    // The first staff reply assigns the conversation and clears the team's unread.
    const reply = await chat.send('support1', conversation.id, 'Hola Carla, ¿qué navegador usas?');
    expect(reply.seq).toBe(2);
    const afterReply = await ctx.as('support1').get(`/api/support/chat/conversations/${conversation.id}`).expect(200);
    expect(afterReply.body.conversation).toMatchObject({
      assigned_support_user_id: TEST_USERS.support1.id,
      assigned_support_user: { full_name: 'Sofía Soporte' },
      last_message_seq: 2,
    });
    expect(await chat.unread('support1')).toBe(0);
    expect(await chat.unread('admin1')).toBe(0);
    expect(await chat.unread('candidate1')).toBe(1);

    // The candidate sees staff by name only.
    const candidateView = await ctx.as('candidate1').get(`/api/support/chat/conversations/${conversation.id}`).expect(200);
    expect(candidateView.body.conversation.assigned_support_user).toEqual({ id: TEST_USERS.support1.id, full_name: 'Sofía Soporte', role: 'soporte' });

    const read = await ctx.as('candidate1').post(`/api/support/chat/conversations/${conversation.id}/read`).send({}).expect(200);
    expect(read.body).toMatchObject({ conversation_id: conversation.id, last_read_seq: 2, last_read_message_id: reply.id, unread_count: 0 });
    expect(await chat.unread('candidate1')).toBe(0);

    for (let i = 3; i <= 7; i++) await chat.send(i % 2 ? 'candidate1' : 'support1', conversation.id, `mensaje ${i}`);
    const newest = await ctx.as('candidate1').get(`/api/support/chat/conversations/${conversation.id}/messages?page=1&per_page=3`).expect(200);
    expect(newest.body).toMatchObject({ conversation_id: conversation.id, page: 1, per_page: 3, total: 7, pages: 3, has_older: true, has_newer: false });
    expect(newest.body.messages.map((m: { seq: number }) => m.seq)).toEqual([5, 6, 7]);
    const oldest = await ctx.as('candidate1').get(`/api/support/chat/conversations/${conversation.id}/messages?page=3&per_page=3`).expect(200);
    expect(oldest.body.messages.map((m: { seq: number }) => m.seq)).toEqual([1]);
    const before = await ctx.as('support1').get(`/api/support/chat/conversations/${conversation.id}/messages?before_seq=5&per_page=2`).expect(200);
    expect(before.body.messages.map((m: { seq: number }) => m.seq)).toEqual([3, 4]);
    const after = await ctx.as('support1').get(`/api/support/chat/conversations/${conversation.id}/messages?after_seq=5&per_page=10`).expect(200);
    expect(after.body.messages.map((m: { seq: number }) => m.seq)).toEqual([6, 7]);
  });
});

import { randomUUID } from 'node:crypto';

import { TEST_USERS } from '../src/testing/chat-test-app';
import { useChatTestApp } from '../src/testing/use-chat-test-app';

const BASE = '/api/support/chat';

describe('idempotent sends and read markers', () => {
  const { ctx, chat } = useChatTestApp();

  it('returns the first message when the same client_message_id is sent again', async () => {
    const { id } = await chat.newConversation('candidate1');
    const clientMessageId = randomUUID();
    const first = await ctx
      .as('candidate1')
      .post(`${BASE}/conversations/${id}/messages`)
      .send({ content: 'hola', client_message_id: clientMessageId })
      .expect(201);
    const again = await ctx
      .as('candidate1')
      .post(`${BASE}/conversations/${id}/messages`)
      .send({ content: 'hola', client_message_id: clientMessageId })
      .expect(200);
    expect(again.body.message).toEqual(first.body.message);
    const history = await ctx.as('candidate1').get(`${BASE}/conversations/${id}/messages`).expect(200);
    expect(history.body.total).toBe(1);
  });

  it('answers a retry with the stored message even after the conversation was closed (the first attempt did land)', async () => {
    const { id } = await chat.newConversation('candidate1');
    const clientMessageId = randomUUID();
    const send = (content: string, client_message_id: string) =>
      ctx.as('candidate1').post(`${BASE}/conversations/${id}/messages`).send({ content, client_message_id });
    const first = await send('último mensaje', clientMessageId).expect(201);
    await ctx.as('support1').patch(`${BASE}/conversations/${id}/status`).send({ status: 'closed' }).expect(200);

    const retry = await send('último mensaje', clientMessageId).expect(200);
    expect(retry.body.message).toEqual(first.body.message);
    const fresh = await send('otro', randomUUID()).expect(409);
    expect(fresh.body.code).toBe('conversation_closed');
  });

  it('never duplicates under concurrent retries of the same message', async () => {
    const { id } = await chat.newConversation('candidate1');
    const clientMessageId = randomUUID();
    const responses = await Promise.all(
      Array.from({ length: 8 }, () =>
        ctx.as('candidate1').post(`${BASE}/conversations/${id}/messages`).send({ content: 'una vez', client_message_id: clientMessageId }),
      ),
    );
    expect(new Set(responses.map((r) => r.status))).toEqual(new Set(responses.some((r) => r.status === 200) ? [201, 200] : [201]));
    expect(new Set(responses.map((r) => r.body.message.id)).size).toBe(1);
    const history = await ctx.as('candidate1').get(`${BASE}/conversations/${id}/messages`).expect(200);
    expect(history.body.messages.map((m: { content: string }) => m.content)).toEqual(['una vez']);
  });

  it('refuses a client_message_id already used in another conversation', async () => {
    const a = await chat.newConversation('candidate1');
    const b = await chat.newConversation('candidate1');
    const clientMessageId = randomUUID();
    await ctx.as('candidate1').post(`${BASE}/conversations/${a.id}/messages`).send({ content: 'hola', client_message_id: clientMessageId }).expect(201);
    const response = await ctx
      .as('candidate1')
      .post(`${BASE}/conversations/${b.id}/messages`)
      .send({ content: 'hola', client_message_id: clientMessageId })
      .expect(409);
    expect(response.body.code).toBe('client_message_id_conflict');
  });

  it('lets two users use the same client_message_id independently', async () => {
    const { id } = await chat.newConversation('candidate1');
    const clientMessageId = randomUUID();
    await ctx.as('candidate1').post(`${BASE}/conversations/${id}/messages`).send({ content: 'a', client_message_id: clientMessageId }).expect(201);
    await ctx.as('support1').post(`${BASE}/conversations/${id}/messages`).send({ content: 'b', client_message_id: clientMessageId }).expect(201);
  });

  it('gives concurrent senders unique, gap-free sequence numbers', async () => {
    const { id } = await chat.newConversation('candidate1');
    const senders = ['candidate1', 'support1', 'support2', 'admin1'] as const;
    const responses = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        ctx
          .as(senders[i % senders.length])
          .post(`${BASE}/conversations/${id}/messages`)
          .send({ content: `m${i}` }),
      ),
    );
    expect(responses.every((r) => r.status === 201)).toBe(true);
    expect(responses.map((r) => r.body.message.seq).sort((x, y) => x - y)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
  });

  it('never moves a read marker backwards', async () => {
    const { id } = await chat.newConversation('candidate1');
    const m1 = await chat.send('support1', id, 'uno');
    const m2 = await chat.send('support1', id, 'dos');
    await chat.send('support1', id, 'tres');
    expect(await chat.unread('candidate1')).toBe(3);

    const read2 = await ctx.as('candidate1').post(`${BASE}/conversations/${id}/read`).send({ last_message_id: m2.id }).expect(200);
    expect(read2.body).toMatchObject({ last_read_message_id: m2.id, last_read_seq: 2, unread_count: 1 });
    const read1 = await ctx.as('candidate1').post(`${BASE}/conversations/${id}/read`).send({ last_message_id: m1.id }).expect(200);
    expect(read1.body).toMatchObject({ last_read_message_id: m2.id, last_read_seq: 2, unread_count: 1 });
    const all = await ctx.as('candidate1').post(`${BASE}/conversations/${id}/read`).send({}).expect(200);
    expect(all.body).toMatchObject({ last_read_seq: 3, unread_count: 0 });
    expect(all.body.last_read_at).toMatch(/Z$/);
  });

  it("lists the other participants' read markers (never one's own), for «Visto»", async () => {
    const { id } = await chat.newConversation('candidate1');
    const question = await chat.send('candidate1', id, '¿Me ayudan?');
    const markers = (as: 'candidate1' | 'support1' | 'support2' | 'candidate2') => ctx.as(as).get(`${BASE}/conversations/${id}/read-markers`);

    // Writing moves the writer's own marker: the candidate's shows to staff, nothing yet to the candidate.
    expect((await markers('candidate1').expect(200)).body).toEqual({ markers: [], unread_count: 0 });
    expect((await markers('support1').expect(200)).body.unread_count).toBe(1);
    expect((await markers('support1').expect(200)).body.markers).toEqual([
      { user_id: TEST_USERS.candidate1.id, role: 'candidate', last_read_seq: 1, last_read_message_id: question.id, last_read_at: expect.stringMatching(/Z$/) },
    ]);

    await ctx.as('support2').post(`${BASE}/conversations/${id}/read`).send({}).expect(200);
    const reply = await chat.send('support1', id, 'Claro.');
    const forCandidate = (await markers('candidate1').expect(200)).body;
    expect(forCandidate.unread_count).toBe(1);
    expect(forCandidate.markers).toEqual([
      expect.objectContaining({ user_id: TEST_USERS.support1.id, role: 'support', last_read_seq: reply.seq }),
      expect.objectContaining({ user_id: TEST_USERS.support2.id, role: 'support', last_read_seq: question.seq }),
    ]);
    // Someone else's conversation, or a malformed id: 404 with a code, as on every conversation route.
    expect((await markers('candidate2').expect(404)).body.code).toBe('conversation_not_found');
    const malformed = await ctx.as('candidate1').get(`${BASE}/conversations/no-es-un-id/read-markers`).expect(404);
    expect(malformed.body.code).toBe('conversation_not_found');
  });

  it('rejects a read marker pointing to a message of another conversation', async () => {
    const a = await chat.newConversation('candidate1');
    const b = await chat.newConversation('candidate1');
    const foreign = await chat.send('candidate1', b.id, 'otra');
    const response = await ctx.as('candidate1').post(`${BASE}/conversations/${a.id}/read`).send({ last_message_id: foreign.id }).expect(400);
    expect(response.body.code).toBe('message_not_found');
  });

  it('counts what the candidate wrote after the team last replied, per agent marker', async () => {
    const { id } = await chat.newConversation('candidate1');
    await chat.send('candidate1', id, 'uno');
    await chat.send('candidate1', id, 'dos');
    expect(await chat.unread('support1')).toBe(2);
    await ctx.as('support1').post(`${BASE}/conversations/${id}/read`).send({}).expect(200);
    expect(await chat.unread('support1')).toBe(0);
    expect(await chat.unread('support2')).toBe(2);
    await chat.send('support2', id, 'respuesta');
    expect(await chat.unread('support1')).toBe(0);
    await chat.send('candidate1', id, 'tres');
    expect(await chat.unread('support1')).toBe(1);
    expect(await chat.unread('support2')).toBe(1);
    // Status changes are timeline events, not unread messages.
    await chat.send('support1', id, 'otra respuesta');
    expect(await chat.unread('candidate1')).toBe(1);
    await chat.send('candidate1', id, 'cuatro');
    await ctx.as('support1').patch(`${BASE}/conversations/${id}/status`).send({ status: 'resolved' }).expect(200);
    expect(await chat.unread('candidate1')).toBe(0);
    const unread = await ctx.as('support2').get(`${BASE}/unread-count`).expect(200);
    expect(unread.body).toEqual({ unread_count: 1, conversations_with_unread: 1 });
  });
});

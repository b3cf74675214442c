import { randomUUID } from 'node:crypto';

import { createTestApp, TEST_BUSINESS_HOURS_ENV, TestApp } from './test-app';

jest.setTimeout(60_000);

/**
 * The demo host's test apps run "always open" unless a test sets hours, so no automatic reply (issue 17)
 * appears in timelines depending on the hour the suite runs. Both cases below are independent of the
 * clock: the defaults are open every minute of the week, the override is closed every minute.
 */
describe('business hours of the API test apps', () => {
  let t: TestApp | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  async function timelineAfterFirstMessage(app: TestApp): Promise<{ types: string[]; senders: string[]; open: boolean }> {
    const created = await app.as('candidato1').post('/api/support/chat/conversations').send({ subject: 'Horario' }).expect(201);
    const id = created.body.conversation.id as string;
    await app.as('candidato1').post(`/api/support/chat/conversations/${id}/messages`).send({ content: 'Hola', client_message_id: randomUUID() }).expect(201);
    const page = await app.as('candidato1').get(`/api/support/chat/conversations/${id}/messages`).expect(200);
    const status = await app.as('candidato1').get('/api/support/chat/service-status').expect(200);
    // A page names its senders once, in `users`, and leaves `message_type` out when it is `text`.
    const { messages, users } = page.body as { messages: { message_type?: string; sender_user_id: string }[]; users: Record<string, { full_name: string }> };
    return {
      types: messages.map((m) => m.message_type ?? 'text'),
      senders: messages.map((m) => users[m.sender_user_id].full_name),
      open: status.body.open as boolean,
    };
  }

  it('defaults to always open: no automatic reply at any hour', async () => {
    expect(TEST_BUSINESS_HOURS_ENV.SUPPORT_CHAT_BUSINESS_HOURS).toBe('mon-sun 00:00-24:00');
    t = await createTestApp();
    expect(await timelineAfterFirstMessage(t)).toEqual({ types: ['text'], senders: ['Ana María López Hernández'], open: true });
  });

  it('a test that sets a closed schedule gets the automatic reply: it is the configuration, not the clock', async () => {
    t = await createTestApp({ env: { SUPPORT_CHAT_BUSINESS_HOURS: '' } });
    expect(await timelineAfterFirstMessage(t)).toEqual({ types: ['text', 'system'], senders: ['Ana María López Hernández', 'Sistema'], open: false });
  });
});

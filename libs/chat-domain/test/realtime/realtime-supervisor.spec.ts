import { TEST_USERS, TestUserKey } from '../../src/testing/chat-test-app';
import { httpJson, SseTestClient, ticketFor, waitUntil, WsTestClient } from '../../src/realtime/testing/realtime-test-kit';
import { trackClients, useRealtimeInstance } from './realtime-hooks';

/** Issue 18: a supervisor's sockets watch without being present, and never type. */
describe('realtime as a supervisor', () => {
  const server = useRealtimeInstance('chat-supervisor-');
  const track = trackClients();
  const socket = async (user: TestUserKey) => {
    const client = track(await WsTestClient.connect(server.url, { ticket: await ticketFor(server.url, user) }));
    await waitUntil(() => client.named('ready').length === 1, 'ready');
    return client;
  };

  it('receives live events, is never announced or listed as present, and cannot send typing', async () => {
    const created = await httpJson('POST', `${server.url}/api/support/chat/conversations`, 'candidate1', { subject: 'Ayuda' });
    const conversationId = created.body.conversation.id as string;

    const candidate = await socket('candidate1');
    expect((await candidate.request('join', { conversation_id: conversationId })).ok).toBe(true);
    const supervisor = await socket('manager1');
    expect((await supervisor.request('join', { conversation_id: conversationId })).ok).toBe(true);

    const typing = await supervisor.request('typing', { conversation_id: conversationId, is_typing: true });
    expect(typing).toMatchObject({ ok: false, code: 'supervisor_read_only' });

    // The candidate writes: the supervisor's socket gets the message live.
    await httpJson('POST', `${server.url}/api/support/chat/conversations/${conversationId}/messages`, 'candidate1', { content: 'Hola' });
    await waitUntil(() => supervisor.named('message.created').length === 1, 'the message on the supervisor socket');

    const presence = await candidate.request('presence', { conversation_id: conversationId });
    expect(presence.ok).toBe(true);
    expect((presence.users as { user_id: string }[]).map((user) => user.user_id)).not.toContain(TEST_USERS.manager1.id);
    expect(candidate.named('presence').map((event) => event.data.user_id)).not.toContain(TEST_USERS.manager1.id);
    expect(candidate.named('typing')).toEqual([]);
  });

  it('opens the SSE stream (ticket allowed) and receives staff events', async () => {
    const stream = track(await SseTestClient.open(`${server.url}/api/support/chat/events?ticket=${await ticketFor(server.url, 'manager1')}`));
    await waitUntil(() => stream.named('ready').length === 1, 'ready');
    const created = await httpJson('POST', `${server.url}/api/support/chat/conversations`, 'candidate2', { subject: 'Otra' });
    await waitUntil(() => stream.named('conversation.created').some((event) => event.data.conversation_id === created.body.conversation.id), 'the event');
  });
});

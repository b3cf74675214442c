import { join } from 'node:path';

import { TEST_USERS } from '../../src/testing/chat-test-app';
import { httpJson, SseTestClient, startRealtimeInstance, ticketFor, waitUntil, WsTestClient } from '../../src/realtime/testing/realtime-test-kit';
import { trackClients, useRealtimeInstance } from './realtime-hooks';

/** SSE and WebSocket on one instance, in-process broker (the default: nothing to install). */
describe('realtime, one instance', () => {
  const server = useRealtimeInstance('chat-realtime-', { realtime: { heartbeatMs: 100, retryMs: 1500, typingTimeoutMs: 300 } });
  const track = trackClients();
  const send = async (user: keyof typeof TEST_USERS, conversationId: string, content: string) => {
    const { status, body } = await httpJson('POST', `${server.url}/api/support/chat/conversations/${conversationId}/messages`, user, { content });
    expect(status).toBe(201);
    return body.message as { id: string; seq: number };
  };
  const newConversation = async (user: keyof typeof TEST_USERS = 'candidate1') => {
    const { status, body } = await httpJson('POST', `${server.url}/api/support/chat/conversations`, user, { subject: 'Ayuda' });
    expect(status).toBe(201);
    return body.conversation.id as string;
  };
  const sse = async (user: keyof typeof TEST_USERS, since?: Record<string, number>, headers?: Record<string, string>) => {
    const client = track(await SseTestClient.open(`${server.url}/api/support/chat/events?ticket=${await ticketFor(server.url, user, since)}`, headers));
    await waitUntil(() => client.named('ready').length === 1, 'ready');
    return client;
  };

  it('runs always open, whatever the clock: a first message gets no automatic reply (one more event to count)', async () => {
    const status = await httpJson('GET', `${server.url}/api/support/chat/service-status`, 'candidate1');
    expect(status).toMatchObject({ status: 200, body: { open: true } });
  });

  it('issues single-use tickets: a reused, unknown or missing ticket gets 401 in the chat error shape', async () => {
    const anonymous = await httpJson('POST', `${server.url}/api/support/chat/events/ticket`, null, {});
    expect(anonymous.status).toBe(401);
    const { body } = await httpJson('POST', `${server.url}/api/support/chat/events/ticket`, 'candidate1', {});
    expect(body).toEqual({ ticket: expect.any(String), expires_in: 30 });

    const first = track(await SseTestClient.open(`${server.url}/api/support/chat/events?ticket=${body.ticket}`));
    expect(first.status).toBe(200);
    for (const url of [`?ticket=${body.ticket}`, '?ticket=not-a-ticket-at-all', '']) {
      const response = await fetch(`${server.url}/api/support/chat/events${url}`);
      expect(response.status).toBe(401);
      expect(await response.json()).toEqual({ error: expect.any(String), code: 'unauthenticated' });
    }
    const bad = await httpJson('POST', `${server.url}/api/support/chat/events/ticket`, 'candidate1', { since: { nope: 1 } });
    expect(bad).toMatchObject({ status: 400, body: { code: 'validation_failed' } });
    const guest = await httpJson('POST', `${server.url}/api/support/chat/events/ticket`, 'guest1', {});
    expect(guest.status).toBe(403);
  });

  it('expired tickets are refused', async () => {
    const shortLived = await startRealtimeInstance({ dbFile: join(server.dir, 'short.sqlite'), realtime: { ticketTtlSeconds: 0.2 } });
    try {
      const ticket = await ticketFor(shortLived.url, 'candidate1');
      await new Promise((resolve) => setTimeout(resolve, 400));
      expect((await fetch(`${shortLived.url}/api/support/chat/events?ticket=${ticket}`)).status).toBe(401);
    } finally {
      await shortLived.close();
    }
  });

  it('streams events as SSE frames: event name, snake_case JSON with conversation_id, an id on every event, retry and heartbeats', async () => {
    const staff = await sse('support1');
    expect(staff.retry).toBe(1500);
    const conversationId = await newConversation();
    const message = await send('candidate1', conversationId, 'Hola');
    await waitUntil(() => staff.named('message.created').length === 1, 'message');
    await waitUntil(() => staff.comments.includes('hb'), 'heartbeat');

    const created = staff.named('conversation.created')[0];
    expect(created.data).toMatchObject({ conversation_id: conversationId, conversation: { id: conversationId, candidate_user_id: TEST_USERS.candidate1.id } });
    expect(created.id).toBe(`${conversationId}:0`);
    const received = staff.named('message.created')[0];
    expect(received.id).toBe(`${conversationId}:${message.seq}`);
    expect(received.data).toMatchObject({
      conversation_id: conversationId,
      message: { id: message.id, seq: message.seq, content: 'Hola', sender: { full_name: 'Carla Candidata' } },
    });
    for (const event of staff.events) expect(event.id).toEqual(expect.any(String));
  });

  it('a candidate never receives another candidate’s events, over SSE or WebSocket', async () => {
    const mineSse = await sse('candidate1');
    const theirsSse = await sse('candidate2');
    const theirsWs = track(await WsTestClient.connect(server.url, { ticket: await ticketFor(server.url, 'candidate2') }));
    const staffWs = track(await WsTestClient.connect(server.url, { ticket: await ticketFor(server.url, 'support1') }));
    await waitUntil(() => theirsWs.named('ready').length === 1 && staffWs.named('ready').length === 1, 'ws ready');

    const conversationId = await newConversation('candidate1');
    await send('candidate1', conversationId, 'privado');
    await send('support1', conversationId, 'respuesta');
    await httpJson('PATCH', `${server.url}/api/support/chat/conversations/${conversationId}/status`, 'support1', { status: 'resolved' });
    await httpJson('POST', `${server.url}/api/support/chat/conversations/${conversationId}/read`, 'candidate1', {});
    await waitUntil(() => staffWs.named('read.updated').length >= 1 && mineSse.named('read.updated').length >= 1, 'all events');

    expect(mineSse.named('message.created').length).toBe(3); // two messages and the status change
    expect(staffWs.named('message.created').length).toBe(3);
    const leaked = [...theirsSse.events, ...theirsWs.events].filter((event) => event.data.conversation_id === conversationId);
    expect(leaked).toEqual([]);
    expect(theirsSse.events.map((event) => event.name)).toEqual(['ready']);
    expect(theirsWs.events.map((event) => event.name)).toEqual(['ready']);

    // Naming someone else's conversation in `since` replays nothing either.
    const snooping = await sse('candidate2', { [conversationId]: 0 });
    expect(snooping.named('message.created')).toEqual([]);
  });

  it('replays from the database what a reconnecting client missed (since map, and Last-Event-ID)', async () => {
    const conversationId = await newConversation();
    const first = await send('candidate1', conversationId, 'uno');
    const client = await sse('support1', { [conversationId]: first.seq });
    await send('support1', conversationId, 'dos');
    await waitUntil(() => client.named('message.created').length === 1, 'live');
    const lastId = client.named('message.created')[0].id!;
    client.close();

    await send('candidate1', conversationId, 'tres');
    await send('candidate1', conversationId, 'cuatro');

    const resumed = await sse('support1', { [conversationId]: first.seq + 1 });
    expect(resumed.named('message.created').map((e) => e.data.message.content)).toEqual(['tres', 'cuatro']);
    expect(resumed.named('ready')[0].data).toMatchObject({ replayed: 2, resync: true });

    const byHeader = await sse('support1', undefined, { 'Last-Event-ID': lastId });
    expect(byHeader.named('message.created').map((e) => e.data.message.content)).toEqual(['tres', 'cuatro']);
    const byQuery = track(
      await SseTestClient.open(
        `${server.url}/api/support/chat/events?ticket=${await ticketFor(server.url, 'support1')}&last_event_id=${encodeURIComponent(lastId)}`,
      ),
    );
    await waitUntil(() => byQuery.named('ready').length === 1, 'ready');
    expect(byQuery.named('message.created').map((e) => e.data.message.content)).toEqual(['tres', 'cuatro']);
  });

  it('WebSocket: rejects a connection without a valid ticket', async () => {
    await expect(WsTestClient.connect(server.url, {})).rejects.toMatchObject({ data: { code: 'unauthenticated', status: 401 } });
    const ticket = await ticketFor(server.url, 'candidate1');
    track(await WsTestClient.connect(server.url, { ticket }));
    await expect(WsTestClient.connect(server.url, { ticket })).rejects.toMatchObject({ data: { code: 'unauthenticated' } });
  });

  it('WebSocket: typing (throttled, expires by itself) and presence', async () => {
    const conversationId = await newConversation();
    const candidate = track(await WsTestClient.connect(server.url, { ticket: await ticketFor(server.url, 'candidate1') }));
    const agent = track(await WsTestClient.connect(server.url, { ticket: await ticketFor(server.url, 'support1') }));
    const intruder = track(await WsTestClient.connect(server.url, { ticket: await ticketFor(server.url, 'candidate2') }));
    const watcher = await sse('support2');
    const bystander = track(await WsTestClient.connect(server.url, { ticket: await ticketFor(server.url, 'admin1') }));

    expect(await intruder.request('join', { conversation_id: conversationId })).toMatchObject({ ok: false, code: 'conversation_not_found' });
    expect(await intruder.request('typing', { conversation_id: conversationId, is_typing: true })).toMatchObject({ ok: false, code: 'conversation_not_found' });

    expect(await agent.request('join', { conversation_id: conversationId })).toEqual({ ok: true, conversation_id: conversationId });
    expect(await candidate.request('join', { conversation_id: conversationId })).toEqual({ ok: true, conversation_id: conversationId });
    await waitUntil(() => agent.named('presence').some((e) => e.data.user_id === TEST_USERS.candidate1.id && e.data.online), 'presence online');

    const presence = await agent.request('presence', { conversation_id: conversationId });
    expect(presence).toMatchObject({ ok: true, conversation_id: conversationId });
    expect(presence.users).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ user_id: TEST_USERS.candidate1.id, role: 'candidate', online: true }),
        expect.objectContaining({ user_id: TEST_USERS.support1.id, role: 'staff', online: true }),
      ]),
    );

    for (let i = 0; i < 5; i++) expect(await candidate.request('typing', { conversation_id: conversationId, is_typing: true })).toMatchObject({ ok: true });
    await waitUntil(() => agent.named('typing').some((e) => e.data.is_typing === false), 'typing expiry');
    const typing = agent.named('typing').map((e) => e.data.is_typing);
    expect(typing).toEqual([true, false]); // five keystrokes, one broadcast; then it expired by itself
    expect(candidate.named('typing')).toEqual([]); // not echoed to the typist

    candidate.close();
    await waitUntil(
      () => agent.named('presence').some((e) => e.data.user_id === TEST_USERS.candidate1.id && !e.data.online && e.data.last_seen_at),
      'presence offline',
    );
    // Typing and presence reach only the sockets viewing the conversation: not an SSE stream, not a socket elsewhere.
    await send('candidate1', conversationId, 'marca');
    await waitUntil(() => watcher.named('message.created').length === 1 && bystander.named('message.created').length === 1, 'a later message');
    expect([...watcher.named('typing'), ...watcher.named('presence')]).toEqual([]);
    expect([...bystander.named('typing'), ...bystander.named('presence')]).toEqual([]);
    const after = await agent.request('presence', { conversation_id: conversationId });
    expect(after.users.find((u: { user_id: string }) => u.user_id === TEST_USERS.candidate1.id)).toMatchObject({
      online: false,
      last_seen_at: expect.any(String),
    });
  });

  it('WebSocket: a malformed action is answered in Spanish with a stable code, through the acknowledgement, and nothing is broadcast', async () => {
    const conversationId = await newConversation();
    const candidate = track(await WsTestClient.connect(server.url, { ticket: await ticketFor(server.url, 'candidate1') }));
    const agent = track(await WsTestClient.connect(server.url, { ticket: await ticketFor(server.url, 'support1') }));
    expect(await agent.request('join', { conversation_id: conversationId })).toEqual({ ok: true, conversation_id: conversationId });

    expect(await candidate.request('typing', { conversation_id: conversationId, is_typing: 'sí' })).toEqual({
      ok: false,
      code: 'validation_failed',
      error: '"is_typing" debe ser true o false.',
      details: [{ field: 'is_typing', code: 'validation_failed', message: '"is_typing" debe ser true o false.' }],
    });
    expect(await candidate.request('join', { conversation_id: 'no-es-un-uuid' })).toMatchObject({
      ok: false,
      code: 'validation_failed',
      error: '"conversation_id" debe ser un UUID.',
    });
    expect(await candidate.request('presence', { conversation_id: conversationId, extra: 1 })).toMatchObject({
      ok: false,
      code: 'unknown_field',
      error: 'El campo "extra" no está permitido.',
    });
    expect(await candidate.request('leave', 'texto')).toMatchObject({ ok: false, code: 'validation_failed', error: expect.any(String) });
    // Upper-case ids are accepted as the same conversation.
    expect(await candidate.request('join', { conversation_id: conversationId.toUpperCase() })).toEqual({ ok: true, conversation_id: conversationId });
    expect(await candidate.request('typing', { conversation_id: conversationId, is_typing: true })).toEqual({ ok: true, conversation_id: conversationId });
    await waitUntil(() => agent.named('typing').length === 1, 'the one valid typing event');
    expect(agent.named('typing').map((e) => e.data.is_typing)).toEqual([true]);
  });

  it('WebSocket with `stream: false` (a tab that has the SSE stream): no replay and no chat events, only typing and presence of joined conversations', async () => {
    const conversationId = await newConversation();
    await send('candidate1', conversationId, 'antes');
    const agent = track(
      await WsTestClient.connect(server.url, { ticket: await ticketFor(server.url, 'support1'), since: { [conversationId]: 0 }, stream: false }),
    );
    const candidate = track(await WsTestClient.connect(server.url, { ticket: await ticketFor(server.url, 'candidate1') }));
    expect(await agent.request('join', { conversation_id: conversationId })).toEqual({ ok: true, conversation_id: conversationId });
    expect(await candidate.request('join', { conversation_id: conversationId })).toEqual({ ok: true, conversation_id: conversationId });
    expect(await candidate.request('typing', { conversation_id: conversationId, is_typing: true })).toMatchObject({ ok: true });
    await send('candidate1', conversationId, 'después');
    await waitUntil(() => candidate.named('message.created').length === 1 && agent.named('typing').length === 1, 'the stream socket and the typing');
    expect(agent.events.filter((event) => event.name !== 'presence' && event.name !== 'typing')).toEqual([]);
    expect(agent.named('presence').map((event) => event.data.user_id)).toContain(TEST_USERS.candidate1.id);
  });

  it('WebSocket: delivers messages and resumes from `since` in the handshake', async () => {
    const conversationId = await newConversation();
    const one = await send('candidate1', conversationId, 'uno');
    await send('candidate1', conversationId, 'dos');
    const agent = track(await WsTestClient.connect(server.url, { ticket: await ticketFor(server.url, 'support1'), since: { [conversationId]: one.seq } }));
    await waitUntil(() => agent.named('ready').length === 1, 'ready');
    await send('candidate1', conversationId, 'tres');
    await waitUntil(() => agent.named('message.created').length === 2, 'messages');
    expect(agent.named('message.created').map((e) => e.data.message.content)).toEqual(['dos', 'tres']);
  });
});

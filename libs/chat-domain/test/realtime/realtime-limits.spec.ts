import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { get as httpGet, Server } from 'node:http';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { RealtimeTickets } from '../../src/realtime/realtime-tickets.service';
import { TEST_USERS, TestUserKey } from '../../src/testing/chat-test-app';
import { wholeMessages } from '../../src/testing/history-page';
import {
  httpJson,
  RealtimeInstance,
  redisReachableSync,
  SseTestClient,
  startRealtimeInstance,
  ticketFor,
  waitUntil,
  WsTestClient,
} from '../../src/realtime/testing/realtime-test-kit';
import { trackClients, useRealtimeInstance } from './realtime-hooks';

const REDIS_UP = redisReachableSync();
if (!REDIS_UP) console.warn('Redis is not reachable at 127.0.0.1:6379: the cross-instance ticket limit test is skipped.');

async function requestTicket(baseUrl: string, user: TestUserKey, body: unknown = {}) {
  const response = await fetch(`${baseUrl}/api/support/chat/events/ticket`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${TEST_USERS[user].id}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, retryAfter: response.headers.get('retry-after'), body: (await response.json()) as any };
}

/** `count` distinct conversation ids, as a `since` map. */
const sinceOf = (count: number): Record<string, number> => Object.fromEntries(Array.from({ length: count }, () => [randomUUID(), 1]));

/** Issue 13, point 4: tickets per user per minute, the size of `since`, open streams and sockets per user. */
describe('realtime limits', () => {
  const server = useRealtimeInstance('chat-realtime-limits-', { realtime: { maxStreamsPerUser: 2, maxSocketsPerUser: 2, maxSinceEntries: 5 } });
  const track = trackClients();
  const sse = async (user: TestUserKey) => {
    const client = track(await SseTestClient.open(`${server.url}/api/support/chat/events?ticket=${await ticketFor(server.url, user)}`));
    if (client.status === 200) await waitUntil(() => client.named('ready').length === 1, 'ready');
    return client;
  };
  const socket = async (user: TestUserKey, since?: Record<string, number>) =>
    track(await WsTestClient.connect(server.url, { ticket: await ticketFor(server.url, user), since }));

  it('tickets per user per minute: over the limit 429 rate_limited with Retry-After and a Spanish message; other users unaffected', async () => {
    const limited = await startRealtimeInstance({ dbFile: join(server.dir, 'chat.sqlite'), limits: { ticketsPerMinute: 3 } });
    try {
      for (let i = 0; i < 3; i++) expect((await requestTicket(limited.url, 'candidate1')).status).toBe(201);
      const refused = await requestTicket(limited.url, 'candidate1');
      expect(refused).toEqual({
        status: 429,
        retryAfter: expect.stringMatching(/^\d+$/),
        body: { error: expect.stringContaining('Espera'), code: 'rate_limited' },
      });
      expect((await requestTicket(limited.url, 'candidate2')).status).toBe(201);
    } finally {
      await limited.close();
    }
  });

  it('`since` names at most maxSinceEntries conversations, in the ticket request and in the socket handshake', async () => {
    expect((await requestTicket(server.url, 'support1', { since: sinceOf(5) })).status).toBe(201);
    const tooBig = await requestTicket(server.url, 'support1', { since: sinceOf(6) });
    expect(tooBig).toMatchObject({ status: 400, body: { code: 'validation_failed', error: '"since" admite como máximo 5 conversaciones.' } });

    await expect(socket('support1', sinceOf(6))).rejects.toMatchObject({ data: { code: 'validation_failed', status: 400 } });
    const accepted = await socket('support1', sinceOf(5));
    expect(accepted.socket.connected).toBe(true);
  });

  it('open SSE streams per user: one more is refused (429 too_many_connections), open ones keep working; closing one makes room', async () => {
    const [first, second] = [await sse('candidate1'), await sse('candidate1')];
    const third = await fetch(`${server.url}/api/support/chat/events?ticket=${await ticketFor(server.url, 'candidate1')}`);
    expect(third.status).toBe(429);
    expect(third.headers.get('retry-after')).toBe('30');
    expect(await third.json()).toEqual({ error: expect.stringContaining('demasiadas conexiones'), code: 'too_many_connections' });
    expect([first.closed, second.closed]).toEqual([false, false]);
    expect((await sse('candidate2')).status).toBe(200);

    first.close();
    let next = await sse('candidate1');
    // The server learns of the close asynchronously: retry until it has.
    const deadline = Date.now() + 10_000;
    while (next.status === 429 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      next = await sse('candidate1');
    }
    expect(next.status).toBe(200);
  });

  it('a client that leaves while its ticket is being redeemed gives its stream slot back', async () => {
    const ticket = await ticketFor(server.url, 'admin1');
    // The request below opens its own connection (no agent): the next one the server accepts.
    const serverSide = new Promise<Socket>((resolve) => (server.app.getHttpServer() as Server).once('connection', resolve));
    const tickets = server.app.get(RealtimeTickets);
    const redeem = tickets.redeem.bind(tickets);
    let redeemed: Promise<unknown> | undefined;
    jest.spyOn(tickets, 'redeem').mockImplementationOnce((value) => {
      redeemed = (async () => {
        const claims = await redeem(value);
        const socket = await serverSide;
        const closed = once(socket, 'close');
        client.destroy();
        await closed;
        // Node emits the response's 'close' on the next tick after the socket's.
        await new Promise((resolve) => setImmediate(resolve));
        return claims;
      })();
      return redeemed as ReturnType<RealtimeTickets['redeem']>;
    });
    const client = httpGet(`${server.url}/api/support/chat/events?ticket=${ticket}`, { agent: false });
    client.on('error', () => undefined);
    await waitUntil(() => redeemed !== undefined, 'redeem');
    await redeemed;
    await new Promise((resolve) => setImmediate(resolve));

    // The limit is 2: both still open.
    expect([(await sse('admin1')).status, (await sse('admin1')).status]).toEqual([200, 200]);
  });

  it('open sockets per user: one more is refused at the handshake (too_many_connections); closing one makes room', async () => {
    const first = await socket('support2');
    await socket('support2');
    await expect(socket('support2')).rejects.toMatchObject({ data: { code: 'too_many_connections', status: 429 } });
    expect((await socket('admin1')).socket.connected).toBe(true);

    first.close();
    let connected: WsTestClient | null = null;
    const deadline = Date.now() + 10_000;
    while (!connected && Date.now() < deadline) {
      connected = await socket('support2').catch(async () => {
        await new Promise((resolve) => setTimeout(resolve, 50));
        return null;
      });
    }
    expect(connected?.socket.connected).toBe(true);
  });
});

async function setStatus(baseUrl: string, user: TestUserKey, conversationId: string, status: 'open' | 'resolved') {
  const response = await fetch(`${baseUrl}/api/support/chat/conversations/${conversationId}/status`, {
    method: 'PATCH',
    headers: { Authorization: `Bearer ${TEST_USERS[user].id}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ status }),
  });
  return { status: response.status, retryAfter: response.headers.get('retry-after'), body: (await response.json()) as any };
}

/** Issue 13, point 6: status changes (REST), typing and presence (socket), per user and conversation. */
describe('rate limits on status changes, typing and presence', () => {
  const server = useRealtimeInstance('chat-action-limits-', {
    limits: { statusChangesPerMinute: 3, typingEventsPerMinute: 4, presenceEventsPerMinute: 3 },
  });
  const track = trackClients();
  const newConversation = async (user: TestUserKey) => {
    const { status, body } = await httpJson('POST', `${server.url}/api/support/chat/conversations`, user, { subject: 'Ayuda' });
    expect(status).toBe(201);
    return body.conversation.id as string;
  };

  it('status changes: over the limit 429 rate_limited with Retry-After, nothing changed; other conversations and users unaffected', async () => {
    const conversationId = await newConversation('candidate1');
    const other = await newConversation('candidate1');
    const stream = track(await SseTestClient.open(`${server.url}/api/support/chat/events?ticket=${await ticketFor(server.url, 'support1')}`));
    await waitUntil(() => stream.named('ready').length === 1, 'ready');

    for (const status of ['resolved', 'open', 'resolved'] as const)
      expect((await setStatus(server.url, 'candidate1', conversationId, status)).status).toBe(200);
    const refused = await setStatus(server.url, 'candidate1', conversationId, 'open');
    expect(refused).toEqual({
      status: 429,
      retryAfter: expect.stringMatching(/^\d+$/),
      body: { error: expect.stringContaining('Cambiaste el estado de esta conversación demasiadas veces'), code: 'rate_limited' },
    });
    const { body } = await httpJson('GET', `${server.url}/api/support/chat/conversations/${conversationId}`, 'candidate1');
    expect(body.conversation.status).toBe('resolved');

    expect((await setStatus(server.url, 'candidate1', other, 'resolved')).status).toBe(200);
    expect((await setStatus(server.url, 'support1', conversationId, 'open')).status).toBe(200);
    // Staff streams saw only the accepted changes: 3 + 1 + 1.
    await waitUntil(() => stream.named('conversation.updated').length >= 5, 'the accepted changes');
    const { body: history } = await httpJson('GET', `${server.url}/api/support/chat/conversations/${conversationId}/messages`, 'support1');
    expect(wholeMessages(history).filter((message) => message.message_type === 'system')).toHaveLength(4);
  });

  it('typing: events over the limit are answered rate_limited and never reach the other side', async () => {
    const conversationId = await newConversation('candidate2');
    // The candidate views the conversation (typing goes to the sockets that joined it).
    const candidate = track(await WsTestClient.connect(server.url, { ticket: await ticketFor(server.url, 'candidate2') }));
    await waitUntil(() => candidate.named('ready').length === 1, 'ready');
    const agent = track(await WsTestClient.connect(server.url, { ticket: await ticketFor(server.url, 'support2') }));
    expect((await agent.request('join', { conversation_id: conversationId })).ok).toBe(true);
    expect((await candidate.request('join', { conversation_id: conversationId })).ok).toBe(true);

    const replies = [];
    for (let i = 0; i < 20; i++) {
      replies.push(await agent.request('typing', { conversation_id: conversationId, is_typing: true }));
      replies.push(await agent.request('typing', { conversation_id: conversationId, is_typing: false }));
    }
    expect(replies.filter((reply) => reply.ok)).toHaveLength(4);
    expect(replies.slice(4)).toEqual(Array.from({ length: 36 }, () => ({ ok: false, code: 'rate_limited', error: expect.any(String) })));

    // A message after the burst: once it arrived, every typing event published before it has too.
    const sent = await httpJson('POST', `${server.url}/api/support/chat/conversations/${conversationId}/messages`, 'support2', { content: 'Hola' });
    expect(sent.status).toBe(201);
    await waitUntil(() => candidate.named('message.created').length === 1, 'the message');
    expect(candidate.named('typing').map((event) => event.data.is_typing)).toEqual([true, false, true, false]);

    // Per conversation: typing elsewhere is still allowed.
    const elsewhere = await newConversation('candidate1');
    expect(await agent.request('typing', { conversation_id: elsewhere, is_typing: true })).toEqual({ ok: true, conversation_id: elsewhere });
  });

  it('join and presence requests share one limit per user and conversation', async () => {
    const conversationId = await newConversation('candidate2');
    const agent = track(await WsTestClient.connect(server.url, { ticket: await ticketFor(server.url, 'admin1') }));
    expect((await agent.request('join', { conversation_id: conversationId })).ok).toBe(true);
    expect((await agent.request('presence', { conversation_id: conversationId })).ok).toBe(true);
    expect((await agent.request('presence', { conversation_id: conversationId })).ok).toBe(true);
    expect(await agent.request('presence', { conversation_id: conversationId })).toEqual({ ok: false, code: 'rate_limited', error: expect.any(String) });
    expect(await agent.request('join', { conversation_id: conversationId })).toMatchObject({ ok: false, code: 'rate_limited' });
  });
});

(REDIS_UP ? describe : describe.skip)('realtime ticket limit across two instances (Redis 127.0.0.1:6379)', () => {
  let dir: string;
  let a: RealtimeInstance;
  let b: RealtimeInstance;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'chat-realtime-limits-redis-'));
    const realtime = { redisUrl: 'redis://127.0.0.1:6379', redisKeyPrefix: `test-limits-${randomUUID()}` };
    const limits = { ticketsPerMinute: 3, statusChangesPerMinute: 3 };
    a = await startRealtimeInstance({ dbFile: join(dir, 'chat.sqlite'), realtime, limits });
    b = await startRealtimeInstance({ dbFile: join(dir, 'chat.sqlite'), realtime, limits });
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('counts one user’s tickets on every instance together', async () => {
    expect((await requestTicket(a.url, 'candidate1')).status).toBe(201);
    expect((await requestTicket(b.url, 'candidate1')).status).toBe(201);
    expect((await requestTicket(a.url, 'candidate1')).status).toBe(201);
    expect((await requestTicket(b.url, 'candidate1')).status).toBe(429);
    expect((await requestTicket(a.url, 'candidate1')).status).toBe(429);
  });

  it('counts one user’s status changes of a conversation on every instance together', async () => {
    const { body } = await httpJson('POST', `${a.url}/api/support/chat/conversations`, 'candidate2', { subject: 'Ayuda' });
    const conversationId = body.conversation.id as string;
    expect((await setStatus(a.url, 'candidate2', conversationId, 'resolved')).status).toBe(200);
    expect((await setStatus(b.url, 'candidate2', conversationId, 'open')).status).toBe(200);
    expect((await setStatus(a.url, 'candidate2', conversationId, 'resolved')).status).toBe(200);
    expect((await setStatus(b.url, 'candidate2', conversationId, 'open')).status).toBe(429);
  });
});

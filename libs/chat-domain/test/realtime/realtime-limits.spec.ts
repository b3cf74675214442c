import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { TEST_USERS, TestUserKey } from '../../src/testing/chat-test-app';
import {
  RealtimeInstance,
  redisReachableSync,
  SseTestClient,
  startRealtimeInstance,
  ticketFor,
  waitUntil,
  WsTestClient,
} from '../../src/realtime/testing/realtime-test-kit';

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
  let dir: string;
  let server: RealtimeInstance;
  const open: { close(): void }[] = [];
  const track = <T extends { close(): void }>(client: T): T => (open.push(client), client);
  const sse = async (user: TestUserKey) => {
    const client = track(await SseTestClient.open(`${server.url}/api/support/chat/events?ticket=${await ticketFor(server.url, user)}`));
    if (client.status === 200) await waitUntil(() => client.named('ready').length === 1, 'ready');
    return client;
  };
  const socket = async (user: TestUserKey, since?: Record<string, number>) =>
    track(await WsTestClient.connect(server.url, { ticket: await ticketFor(server.url, user), since }));

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'chat-realtime-limits-'));
    server = await startRealtimeInstance({ dbFile: join(dir, 'chat.sqlite'), realtime: { maxStreamsPerUser: 2, maxSocketsPerUser: 2, maxSinceEntries: 5 } });
  });
  afterEach(() => {
    for (const client of open.splice(0)) client.close();
  });
  afterAll(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('tickets per user per minute: over the limit 429 rate_limited with Retry-After and a Spanish message; other users unaffected', async () => {
    const limited = await startRealtimeInstance({ dbFile: join(dir, 'chat.sqlite'), limits: { ticketsPerMinute: 3 } });
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

(REDIS_UP ? describe : describe.skip)('realtime ticket limit across two instances (Redis 127.0.0.1:6379)', () => {
  let dir: string;
  let a: RealtimeInstance;
  let b: RealtimeInstance;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'chat-realtime-limits-redis-'));
    const realtime = { redisUrl: 'redis://127.0.0.1:6379', redisKeyPrefix: `test-limits-${randomUUID()}` };
    a = await startRealtimeInstance({ dbFile: join(dir, 'chat.sqlite'), realtime, limits: { ticketsPerMinute: 3 } });
    b = await startRealtimeInstance({ dbFile: join(dir, 'chat.sqlite'), realtime, limits: { ticketsPerMinute: 3 } });
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
});

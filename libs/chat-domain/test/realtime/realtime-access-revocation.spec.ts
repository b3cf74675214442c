import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { TEST_USERS, TestUserKey } from '../../src/testing/chat-test-app';
import { InMemoryUserDirectory } from '../../src/testing/in-memory-user-directory';
import { CHAT_USER_DIRECTORY } from '../../src/users/chat-user-directory';
import {
  httpJson,
  RealtimeInstance,
  SseTestClient,
  startRealtimeInstance,
  ticketFor,
  ticketWithExpiry,
  waitUntil,
  WsTestClient,
} from '../../src/realtime/testing/realtime-test-kit';

/**
 * Issue 13, point 1: open SSE streams and sockets lose access when the user does. Two instances on one
 * database: `frequent` re-checks every 0.2 s (the periodic re-check), `rare` once an hour (so that what
 * closes its connections can only be the expiry timer or the per-action check).
 */
describe('realtime access revocation', () => {
  let dir: string;
  let frequent: RealtimeInstance;
  let rare: RealtimeInstance;
  const open: { close(): void }[] = [];
  const track = <T extends { close(): void }>(client: T): T => (open.push(client), client);
  const directory = (instance: RealtimeInstance) => instance.app.get<InMemoryUserDirectory>(CHAT_USER_DIRECTORY);
  const change = (instance: RealtimeInstance, user: TestUserKey, patch: Partial<(typeof TEST_USERS)[TestUserKey]>) =>
    directory(instance).put({ ...TEST_USERS[user], ...patch });
  const restore = (instance: RealtimeInstance, user: TestUserKey) => directory(instance).put({ ...TEST_USERS[user] });
  const sse = async (instance: RealtimeInstance, ticket: string) => {
    const client = track(await SseTestClient.open(`${instance.url}/api/support/chat/events?ticket=${ticket}`));
    await waitUntil(() => client.named('ready').length === 1, 'ready');
    return client;
  };
  const socket = async (instance: RealtimeInstance, ticket: string) => {
    const client = track(await WsTestClient.connect(instance.url, { ticket }));
    await waitUntil(() => client.named('ready').length === 1, 'ready');
    return client;
  };
  const conversationOf = async (instance: RealtimeInstance, user: TestUserKey = 'candidate1') => {
    const { status, body } = await httpJson('POST', `${instance.url}/api/support/chat/conversations`, user, { subject: 'Ayuda' });
    expect(status).toBe(201);
    return body.conversation.id as string;
  };
  const inSeconds = (seconds: number) => Date.now() / 1000 + seconds;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'chat-revocation-'));
    frequent = await startRealtimeInstance({ dbFile: join(dir, 'chat.sqlite'), realtime: { accessRecheckSeconds: 0.2 } });
    rare = await startRealtimeInstance({ dbFile: join(dir, 'chat.sqlite'), realtime: { accessRecheckSeconds: 3600 } });
  });
  afterEach(() => {
    for (const client of open.splice(0)) client.close();
    for (const instance of [frequent, rare]) for (const user of Object.keys(TEST_USERS) as TestUserKey[]) restore(instance, user);
  });
  afterAll(async () => {
    await frequent.close();
    await rare.close();
    rmSync(dir, { recursive: true, force: true });
  });

  describe('SSE', () => {
    it('a deactivated user’s open stream gets access_revoked (user_inactive) and is closed', async () => {
      const stream = await sse(frequent, await ticketFor(frequent.url, 'candidate1'));
      change(frequent, 'candidate1', { is_active: false });
      await waitUntil(() => stream.closed, 'the stream to close');
      expect(stream.named('access_revoked').map((event) => event.data)).toEqual([
        { conversation_id: null, code: 'user_inactive', error: 'Tu cuenta está desactivada.' },
      ]);
    });

    it('a staff member whose role leaves the chat gets access_revoked (forbidden_role), and no more events', async () => {
      const stream = await sse(frequent, await ticketFor(frequent.url, 'support1'));
      change(frequent, 'support1', { role: 'invitado' });
      await waitUntil(() => stream.closed, 'the stream to close');
      expect(stream.named('access_revoked')).toEqual([
        expect.objectContaining({ data: { conversation_id: null, code: 'forbidden_role', error: expect.any(String) } }),
      ]);
      const before = stream.events.length;
      await conversationOf(frequent);
      expect(stream.events.length).toBe(before);
    });

    it('a candidate whose role becomes a staff role is disconnected (the stream’s audience was the candidate’s)', async () => {
      const stream = await sse(frequent, await ticketFor(frequent.url, 'candidate2'));
      change(frequent, 'candidate2', { role: 'soporte' });
      await waitUntil(() => stream.closed, 'the stream to close');
      expect(stream.named('access_revoked')[0].data.code).toBe('forbidden_role');
    });

    it('closes the stream when the credential it was opened with expires, without waiting for the periodic re-check', async () => {
      const stream = await sse(rare, await ticketWithExpiry(rare.url, 'candidate1', inSeconds(1)));
      await waitUntil(() => stream.closed, 'the stream to close');
      expect(stream.named('access_revoked').map((event) => event.data)).toEqual([
        { conversation_id: null, code: 'session_expired', error: 'Tu sesión expiró. Inicia sesión de nuevo.' },
      ]);
    });

    it('keeps streams whose users still have access open through several re-checks', async () => {
      const stream = await sse(frequent, await ticketWithExpiry(frequent.url, 'support1', inSeconds(3600)));
      const calls = directory(frequent).calls;
      await waitUntil(() => directory(frequent).calls >= calls + 3, 'three re-checks');
      const conversationId = await conversationOf(frequent);
      await waitUntil(() => stream.named('conversation.created').some((event) => event.data.conversation_id === conversationId), 'the new conversation');
      expect(stream.closed).toBe(false);
      expect(stream.named('access_revoked')).toEqual([]);
    });
  });

  describe('Socket.IO', () => {
    it('every action re-checks access: after deactivation, join is refused and the socket is closed with access_revoked', async () => {
      const conversationId = await conversationOf(rare, 'candidate2');
      const client = await socket(rare, await ticketFor(rare.url, 'support2'));
      expect(await client.request('join', { conversation_id: conversationId })).toEqual({ ok: true, conversation_id: conversationId });

      change(rare, 'support2', { is_active: false });
      expect(await client.request('typing', { conversation_id: conversationId, is_typing: true })).toEqual({
        ok: false,
        code: 'user_inactive',
        error: 'Tu cuenta está desactivada.',
      });
      await waitUntil(() => client.disconnectReason !== null, 'the disconnect');
      expect(client.disconnectReason).toBe('io server disconnect');
      expect(client.named('access_revoked').map((event) => event.data.code)).toEqual(['user_inactive']);
    });

    it.each(['join', 'presence', 'typing', 'leave'] as const)('a role outside the chat is refused on `%s`', async (action) => {
      const conversationId = await conversationOf(rare, 'candidate2');
      const client = await socket(rare, await ticketFor(rare.url, 'admin1'));
      change(rare, 'admin1', { role: 'invitado' });
      const reply = await client.request(action, { conversation_id: conversationId, ...(action === 'typing' ? { is_typing: true } : {}) });
      expect(reply).toMatchObject({ ok: false, code: 'forbidden_role' });
      await waitUntil(() => client.disconnectReason !== null, 'the disconnect');
      expect(client.named('access_revoked').map((event) => event.data.code)).toEqual(['forbidden_role']);
    });

    it('an idle socket is disconnected by the periodic re-check when the role changes', async () => {
      const client = await socket(frequent, await ticketFor(frequent.url, 'developer1'));
      change(frequent, 'developer1', { role: 'invitado' });
      await waitUntil(() => client.disconnectReason !== null, 'the disconnect');
      expect(client.disconnectReason).toBe('io server disconnect');
      expect(client.named('access_revoked').map((event) => event.data.code)).toEqual(['forbidden_role']);
    });

    it('a socket for typing and presence only (`stream: false`, as the web app opens it) is re-checked and closed too', async () => {
      const client = track(await WsTestClient.connect(frequent.url, { ticket: await ticketFor(frequent.url, 'candidate2'), stream: false }));
      change(frequent, 'candidate2', { is_active: false });
      await waitUntil(() => client.disconnectReason !== null, 'the disconnect');
      expect(client.disconnectReason).toBe('io server disconnect');
      expect(client.events.map((event) => [event.name, event.data.code])).toEqual([['access_revoked', 'user_inactive']]);
    });

    it('an idle socket is disconnected by the periodic re-check when the user is deactivated', async () => {
      const client = await socket(frequent, await ticketFor(frequent.url, 'candidate1'));
      change(frequent, 'candidate1', { is_active: false });
      await waitUntil(() => client.disconnectReason !== null, 'the disconnect');
      expect(client.named('access_revoked').map((event) => event.data.code)).toEqual(['user_inactive']);
    });

    it('is disconnected when its credential expires', async () => {
      const client = await socket(rare, await ticketWithExpiry(rare.url, 'candidate1', inSeconds(1)));
      await waitUntil(() => client.disconnectReason !== null, 'the disconnect');
      expect(client.named('access_revoked').map((event) => event.data)).toEqual([
        { conversation_id: null, code: 'session_expired', error: 'Tu sesión expiró. Inicia sesión de nuevo.' },
      ]);
    });
  });
});

/**
 * The spec's own tests (`backend/tests/test_support_chat.py` in the original: the full candidate and
 * support flow, the isolation between candidates, support opening a conversation for a candidate, and
 * `test_status_updates_follow_role_rules`), run as a black box against the built demo server: HTTP
 * only, demo accounts only, no access to its internals or its database.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { buildServer, json, ServerProcess, startServer } from './server-process';

const API = '/api/support/chat';
const DEMO_PASSWORD = 'Demo1234!';

// Building and starting the server takes longer than jest's default 5 s.
jest.setTimeout(180_000);

interface Session {
  token: string;
  id: string;
}

describe('the spec as a black box: the built demo server', () => {
  let dir: string;
  beforeAll(() => {
    buildServer('spec-api');
    dir = mkdtempSync(join(tmpdir(), 'support-chat-spec-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  async function stop(server: ServerProcess): Promise<void> {
    server.child.kill('SIGTERM');
    await server.exited;
  }

  async function signIn(server: ServerProcess, username: string): Promise<Session> {
    const { status, body } = await json(`${server.url}/api/auth/login`, 'POST', null, { username, password: DEMO_PASSWORD });
    expect(status).toBe(200);
    return { token: body.access_token as string, id: body.user.id as string };
  }

  describe('with the default configuration', () => {
    let server: ServerProcess;
    let candidate: Session;
    let otherCandidate: Session;
    let support: Session;
    const call = (as: Session, method: string, path: string, body?: unknown) => json(`${server.url}${API}${path}`, method, as.token, body);

    beforeAll(async () => {
      server = await startServer(join(dir, 'default.sqlite'), {}, 'spec-api');
      candidate = await signIn(server, 'candidato1');
      otherCandidate = await signIn(server, 'candidato2');
      support = await signIn(server, 'soporte1');
    });
    afterAll(() => server && stop(server));

    it('says where it listens as README does: http://localhost:<port>', () => {
      const port = new URL(server.url).port;
      expect(server.output()).toContain(`API listening on http://localhost:${port}/api`);
      expect(server.output()).not.toContain('[::');
    });

    it('test_candidate_support_full_flow', async () => {
      const created = await call(candidate, 'POST', '/conversations', { subject: 'No puedo iniciar mi examen' });
      expect(created.status).toBe(201);
      const conversation = created.body.conversation;
      expect(conversation).toMatchObject({ candidate_user_id: candidate.id, status: 'open' });
      // Triage is internal (see the README): the candidate does not receive the priority; staff see the default.
      expect(conversation).not.toHaveProperty('priority');
      expect((await call(support, 'GET', `/conversations/${conversation.id}`)).body.conversation).toMatchObject({ priority: 'normal' });

      expect((await call(candidate, 'POST', `/conversations/${conversation.id}/messages`, { content: 'Hola, la página no carga 😟' })).status).toBe(201);
      const inbox = await call(support, 'GET', '/conversations');
      expect(inbox.status).toBe(200);
      const row = inbox.body.conversations.find((c: { id: string }) => c.id === conversation.id);
      expect(row).toMatchObject({ unread_count: 1, last_message: { content: 'Hola, la página no carga 😟' } });

      const reply = await call(support, 'POST', `/conversations/${conversation.id}/messages`, {
        content: 'Te ayudo: ¿qué navegador usas?',
        attachment: { url: 'https://storage.example.com/guia.pdf', name: 'guia.pdf', mime_type: 'application/pdf', size_bytes: 2048 },
      });
      expect(reply.status).toBe(201);
      expect((await call(candidate, 'GET', '/unread-count')).body).toMatchObject({ unread_count: 1 });

      const history = await call(candidate, 'GET', `/conversations/${conversation.id}/messages?page=1&per_page=50`);
      expect(history.status).toBe(200);
      expect(history.body.messages.map((m: { seq: number; content: string }) => [m.seq, m.content])).toEqual([
        [1, 'Hola, la página no carga 😟'],
        [2, 'Te ayudo: ¿qué navegador usas?'],
      ]);
      expect(history.body.messages[1].attachment).toMatchObject({ name: 'guia.pdf', mime_type: 'application/pdf', size_bytes: 2048 });

      const read = await call(candidate, 'POST', `/conversations/${conversation.id}/read`, { last_message_id: reply.body.message.id });
      expect(read.status).toBe(200);
      expect(read.body).toMatchObject({ unread_count: 0 });
      expect((await call(candidate, 'GET', '/unread-count')).body).toMatchObject({ unread_count: 0 });
    });

    it('test_candidate_cannot_access_other_candidate_conversations', async () => {
      const mine = (await call(candidate, 'POST', '/conversations', { subject: 'Mis datos' })).body.conversation;
      await call(candidate, 'POST', `/conversations/${mine.id}/messages`, { content: 'Mi CURP es privada' });

      for (const [method, path, body] of [
        ['GET', `/conversations/${mine.id}`],
        ['GET', `/conversations/${mine.id}/messages`],
        ['POST', `/conversations/${mine.id}/messages`, { content: 'intruso' }],
        ['POST', `/conversations/${mine.id}/read`, {}],
        ['PATCH', `/conversations/${mine.id}/status`, { status: 'resolved' }],
      ] as const) {
        const response = await call(otherCandidate, method, path, body);
        expect({ method, path, status: response.status, code: response.body?.code }).toEqual({ method, path, status: 404, code: 'conversation_not_found' });
      }
      const theirs = await call(otherCandidate, 'GET', '/conversations');
      expect(theirs.body.conversations.map((c: { id: string }) => c.id)).not.toContain(mine.id);
      const untouched = await call(candidate, 'GET', `/conversations/${mine.id}/messages`);
      expect(untouched.body.messages.map((m: { content: string }) => m.content)).toEqual(['Mi CURP es privada']);
      expect((await call(candidate, 'GET', `/conversations/${mine.id}`)).body.conversation.status).toBe('open');
    });

    it('test_support_can_create_conversation_for_candidate', async () => {
      const created = await call(support, 'POST', '/conversations', {
        candidate_user_id: otherCandidate.id,
        subject: 'Seguimiento de tu certificado',
        priority: 'high',
      });
      expect(created.status).toBe(201);
      expect(created.body.conversation).toMatchObject({
        candidate_user_id: otherCandidate.id,
        created_by_user_id: support.id,
        priority: 'high',
        status: 'open',
      });
      const candidateList = await call(otherCandidate, 'GET', '/conversations');
      expect(candidateList.body.conversations.map((c: { id: string }) => c.id)).toContain(created.body.conversation.id);

      const forSomeoneElse = await call(candidate, 'POST', '/conversations', { candidate_user_id: otherCandidate.id });
      expect(forSomeoneElse).toMatchObject({ status: 403, body: { code: 'forbidden' } });
    });

    it('test_status_updates_follow_role_rules', async () => {
      const { id } = (await call(candidate, 'POST', '/conversations', { subject: 'Estados' })).body.conversation;
      const setStatus = (as: Session, status: string) => call(as, 'PATCH', `/conversations/${id}/status`, { status });

      expect(await setStatus(support, 'closed')).toMatchObject({ status: 200, body: { conversation: { status: 'closed' } } });
      expect(await setStatus(candidate, 'closed')).toMatchObject({ status: 403, body: { code: 'status_change_forbidden' } });
      expect(await setStatus(candidate, 'open')).toMatchObject({ status: 200, body: { conversation: { status: 'open' } } });
      expect(await setStatus(candidate, 'resolved')).toMatchObject({ status: 200, body: { conversation: { status: 'resolved' } } });
      expect(await setStatus(candidate, 'open')).toMatchObject({ status: 200, body: { conversation: { status: 'open' } } });
      expect(await setStatus(support, 'resolved')).toMatchObject({ status: 200, body: { conversation: { status: 'resolved' } } });
      expect(await setStatus(candidate, 'bogus')).toMatchObject({ status: 400, body: { code: 'invalid_status' } });
    });

    it('clamps per_page above the maximum and answers the effective value; 400 for values that are not positive integers', async () => {
      const { id } = (await call(candidate, 'POST', '/conversations', { subject: 'Páginas' })).body.conversation;
      expect((await call(support, 'GET', '/conversations?per_page=500')).body.per_page).toBe(100);
      expect((await call(candidate, 'GET', `/conversations/${id}/messages?per_page=1000`)).body.per_page).toBe(200);
      for (const bad of ['0', '-3', '2.5', 'muchos']) {
        const response = await call(support, 'GET', `/conversations?per_page=${bad}`);
        expect({ bad, status: response.status, code: response.body.code, error: typeof response.body.error }).toEqual({
          bad,
          status: 400,
          code: 'invalid_per_page',
          error: 'string',
        });
      }
    });

    it('tells each user their side of the chat (GET /me): candidate, staff, and gerente as a read-only supervisor', async () => {
      expect((await call(candidate, 'GET', '/me')).body).toEqual({
        user_id: candidate.id,
        role: 'candidato',
        kind: 'candidate',
        can_reopen_closed: true,
        can_audit: false,
      });
      expect((await call(support, 'GET', '/me')).body).toEqual({
        user_id: support.id,
        role: 'soporte',
        kind: 'staff',
        can_reopen_closed: true,
        can_audit: false,
      });
      const manager = await signIn(server, 'gerente1');
      expect(await call(manager, 'GET', '/me')).toMatchObject({ status: 200, body: { role: 'gerente', kind: 'supervisor', can_audit: true } });
    });
  });

  // gerente is a supervisor by default: moving it to the candidate side takes it out of the supervisor
  // roles too (the configuration refuses a role on two sides).
  describe('with SUPPORT_CHAT_CANDIDATE_CAN_REOPEN_CLOSED=false and a widened candidate role', () => {
    let server: ServerProcess;
    beforeAll(async () => {
      server = await startServer(
        join(dir, 'configured.sqlite'),
        { SUPPORT_CHAT_CANDIDATE_CAN_REOPEN_CLOSED: 'false', SUPPORT_CHAT_CANDIDATE_ROLES: 'candidato,gerente', SUPPORT_CHAT_SUPERVISOR_ROLES: 'none' },
        'spec-api',
      );
    });
    afterAll(() => server && stop(server));

    it('keeps a closed conversation closed for its candidate', async () => {
      const candidate = await signIn(server, 'candidato1');
      const support = await signIn(server, 'soporte1');
      const { id } = (await json(`${server.url}${API}/conversations`, 'POST', candidate.token, {})).body.conversation;
      expect((await json(`${server.url}${API}/conversations/${id}/status`, 'PATCH', support.token, { status: 'closed' })).status).toBe(200);
      const reopen = await json(`${server.url}${API}/conversations/${id}/status`, 'PATCH', candidate.token, { status: 'open' });
      expect(reopen).toMatchObject({ status: 403, body: { code: 'status_change_forbidden' } });
    });

    it('gives the widened role the candidate side', async () => {
      const manager = await signIn(server, 'gerente1');
      expect((await json(`${server.url}${API}/me`, 'GET', manager.token)).body).toEqual({
        user_id: manager.id,
        role: 'gerente',
        kind: 'candidate',
        can_reopen_closed: false,
        can_audit: false,
      });
      expect((await json(`${server.url}${API}/conversations`, 'POST', manager.token, { subject: 'Soy responsable' })).status).toBe(201);
    });
  });
});

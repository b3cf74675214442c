import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { TEST_USERS } from '../src/testing/chat-test-app';
import { httpJson, RealtimeInstance, SseTestClient, startRealtimeInstance, ticketFor, waitUntil } from '../src/realtime/testing/realtime-test-kit';

/**
 * A conversation's `priority` is staff-only (issue 13): candidates never receive it, neither over REST
 * (see also the authorization matrix) nor in real-time events, and a change of priority alone sends them nothing.
 */
describe('what candidates see of a conversation in real-time events', () => {
  let dir: string;
  let server: RealtimeInstance;
  const clients: SseTestClient[] = [];
  const sse = async (user: keyof typeof TEST_USERS) => {
    const client = await SseTestClient.open(`${server.url}/api/support/chat/events?ticket=${await ticketFor(server.url, user)}`);
    clients.push(client);
    await waitUntil(() => client.named('ready').length === 1, 'ready');
    return client;
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'chat-visibility-'));
    server = await startRealtimeInstance({ dbFile: join(dir, 'chat.sqlite') });
  });
  afterAll(async () => {
    for (const client of clients) client.close();
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('sends staff the priority and candidates the conversation without it', async () => {
    const candidate = await sse('candidate1');
    const staff = await sse('support1');
    const conversations = `${server.url}/api/support/chat/conversations`;
    const created = await httpJson('POST', conversations, 'support1', { candidate_user_id: TEST_USERS.candidate1.id, priority: 'high' });
    expect(created.status).toBe(201);
    const id = created.body.conversation.id as string;
    expect((await httpJson('PATCH', `${conversations}/${id}`, 'support1', { priority: 'low' })).status).toBe(200);
    expect((await httpJson('PATCH', `${conversations}/${id}/status`, 'support1', { status: 'resolved' })).status).toBe(200);

    // Events arrive in order: once the status change is there, everything before it is too.
    const updated = (client: SseTestClient) => client.named('conversation.updated').filter((event) => event.data.conversation_id === id);
    await waitUntil(() => updated(staff).some((event) => event.data.changes.includes('status')), 'staff status event');
    await waitUntil(() => updated(candidate).some((event) => event.data.changes.includes('status')), 'candidate status event');

    expect(staff.named('conversation.created').find((event) => event.data.conversation_id === id)?.data.conversation.priority).toBe('high');
    expect(updated(staff).map((event) => [event.data.changes, event.data.conversation.priority])).toEqual([
      [['priority'], 'low'],
      [['status'], 'low'],
    ]);

    const createdForCandidate = candidate.named('conversation.created').find((event) => event.data.conversation_id === id);
    expect(createdForCandidate?.data.conversation).toBeDefined();
    expect(createdForCandidate?.data.conversation).not.toHaveProperty('priority');
    expect(updated(candidate).map((event) => event.data.changes)).toEqual([['status']]);
    expect(updated(candidate)[0]!.data.conversation).not.toHaveProperty('priority');
  });

  it('sends staff label changes (with the labels) and candidates nothing about labels, ever', async () => {
    const candidate = await sse('candidate1');
    const staff = await sse('support2');
    const base = `${server.url}/api/support/chat`;
    const label = await httpJson('POST', `${base}/labels`, 'admin1', { name: 'Certificado', color: '#8e24aa' });
    expect(label.status).toBe(201);
    const created = await httpJson('POST', `${base}/conversations`, 'candidate1', { subject: 'Mi certificado' });
    const id = created.body.conversation.id as string;
    expect((await httpJson('PUT', `${base}/conversations/${id}/labels/${label.body.label.id}`, 'support1')).status).toBe(200);
    // A status change after it: once the candidate has that, they would have had the label event too.
    expect((await httpJson('PATCH', `${base}/conversations/${id}/status`, 'support1', { status: 'resolved' })).status).toBe(200);

    const updated = (client: SseTestClient) => client.named('conversation.updated').filter((event) => event.data.conversation_id === id);
    await waitUntil(() => updated(candidate).some((event) => event.data.changes.includes('status')), 'candidate status event');
    await waitUntil(() => updated(staff).some((event) => event.data.changes.includes('status')), 'staff status event');
    const labelEvent = updated(staff).find((event) => event.data.changes.includes('labels'));
    expect(labelEvent?.data.conversation.labels).toEqual([label.body.label]);

    expect(updated(candidate).map((event) => event.data.changes)).toEqual([['status']]);
    for (const event of candidate.named('conversation.updated').concat(candidate.named('conversation.created'))) {
      expect(event.data.conversation).not.toHaveProperty('labels');
    }
    expect(JSON.stringify(candidate.named('conversation.updated'))).not.toContain('Certificado');
  });
});

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { TEST_USERS } from '../src/testing/chat-test-app';
import { wholeMessages } from '../src/testing/history-page';
import {
  httpJson,
  RealtimeInstance,
  SseTestClient,
  startRealtimeInstance,
  ticketFor,
  waitUntil,
  WsTestClient,
} from '../src/realtime/testing/realtime-test-kit';

const SECRET = 'NOTA-INTERNA-SECRETA posible fraude @admin1';

/**
 * Issue 16: an internal note never reaches a candidate, by any path. One row per path of the candidate's
 * authorization matrix; each fails if the note (its text, its id, or any change it makes) leaks there.
 * Search (H16c) and exports have their own rows where they are built.
 */
describe('internal notes never reach the candidate (authorization matrix)', () => {
  let dir: string;
  let server: RealtimeInstance;
  const clients: { close(): void }[] = [];
  let api: string;
  let conversationId: string;
  let noteId: string;
  let noteSeq: number;
  let before: { conversation: any; list: any; etag: string; unread: number; listUnread: number };
  let candidateSse: SseTestClient;
  let staffSse: SseTestClient;
  let candidateWs: WsTestClient;

  const sse = async (user: keyof typeof TEST_USERS, since?: Record<string, number>) => {
    const client = await SseTestClient.open(`${server.url}/api/support/chat/events?ticket=${await ticketFor(server.url, user, since)}`);
    clients.push(client);
    await waitUntil(() => client.named('ready').length === 1, 'ready');
    return client;
  };
  const listAsCandidate = async (etag?: string) => {
    const response = await fetch(`${api}/conversations`, {
      headers: { Authorization: `Bearer ${TEST_USERS.candidate1.id}`, ...(etag ? { 'If-None-Match': etag } : {}) },
    });
    const body: any = response.status === 200 ? await response.json() : null;
    return { status: response.status, etag: response.headers.get('etag') ?? '', body };
  };
  const leaks = (value: unknown) => JSON.stringify(value).includes('NOTA-INTERNA') || JSON.stringify(value).includes(noteId);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'chat-notes-'));
    server = await startRealtimeInstance({ dbFile: join(dir, 'chat.sqlite') });
    api = `${server.url}/api/support/chat`;
    conversationId = (await httpJson('POST', `${api}/conversations`, 'candidate1', { subject: 'Pago duplicado' })).body.conversation.id;
    await httpJson('POST', `${api}/conversations/${conversationId}/messages`, 'candidate1', { content: 'Me cobraron dos veces' });
    await httpJson('POST', `${api}/conversations/${conversationId}/messages`, 'support1', { content: 'Lo reviso' });
    await httpJson('POST', `${api}/conversations/${conversationId}/messages`, 'candidate1', { content: '¿Alguna novedad?' });

    const list = await listAsCandidate();
    before = {
      conversation: (await httpJson('GET', `${api}/conversations/${conversationId}`, 'candidate1')).body.conversation,
      list: list.body,
      etag: list.etag,
      unread: (await httpJson('GET', `${api}/unread-count`, 'candidate1')).body.unread_count,
      listUnread: list.body.conversations[0].unread_count,
    };
    candidateSse = await sse('candidate1');
    staffSse = await sse('support1');
    candidateWs = await WsTestClient.connect(server.url, { ticket: await ticketFor(server.url, 'candidate1') });
    clients.push(candidateWs);
    await waitUntil(() => candidateWs.named('ready').length === 1, 'socket ready');

    const note = await httpJson('POST', `${api}/conversations/${conversationId}/notes`, 'support1', { content: SECRET });
    expect(note.status).toBe(201);
    noteId = note.body.message.id;
    noteSeq = note.body.message.seq;
    expect(note.body.message.message_type).toBe('note');
    // A visible message after the note: every live path must deliver it and skip the note.
    await httpJson('POST', `${api}/conversations/${conversationId}/messages`, 'support1', { content: 'Ya quedó el reembolso' });
    await waitUntil(() => staffSse.named('message.created').some((event) => event.data.message.content === 'Ya quedó el reembolso'), 'staff got the reply');
    await waitUntil(() => candidateSse.named('message.created').some((event) => event.data.message.content === 'Ya quedó el reembolso'), 'candidate SSE reply');
    await waitUntil(
      () => candidateWs.named('message.created').some((event) => event.data.message.content === 'Ya quedó el reembolso'),
      'candidate socket reply',
    );
  });
  afterAll(async () => {
    for (const client of clients) client.close();
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('staff see the note in the history and live (the control row)', async () => {
    const history = await httpJson('GET', `${api}/conversations/${conversationId}/messages`, 'support1');
    expect(wholeMessages(history.body).map((message) => message.message_type)).toContain('note');
    expect(staffSse.named('message.created').some((event) => event.data.message.id === noteId)).toBe(true);
  });

  it('REST history page: no note, and the total counts only what the candidate sees', async () => {
    const history = await httpJson('GET', `${api}/conversations/${conversationId}/messages`, 'candidate1');
    expect(leaks(history.body)).toBe(false);
    expect(history.body.messages.map((message: any) => message.content)).toEqual([
      'Me cobraron dos veces',
      'Lo reviso',
      '¿Alguna novedad?',
      'Ya quedó el reembolso',
    ]);
    expect(history.body.total).toBe(noteSeq + 1);
  });

  it('REST history cursors (after_seq, before_seq) skip the note', async () => {
    const after = await httpJson('GET', `${api}/conversations/${conversationId}/messages?after_seq=${noteSeq - 1}`, 'candidate1');
    const beforeCursor = await httpJson('GET', `${api}/conversations/${conversationId}/messages?before_seq=${noteSeq + 1}`, 'candidate1');
    for (const page of [after, beforeCursor]) {
      expect(page.status).toBe(200);
      expect(leaks(page.body)).toBe(false);
    }
  });

  it('the list: last_message is the newest visible message; a note alone keeps the ETag (304)', async () => {
    const list = await listAsCandidate();
    expect(leaks(list.body)).toBe(false);
    expect(list.body.conversations[0].last_message.content).toBe('Ya quedó el reembolso');
    // Another note only: nothing the candidate sees changed.
    const etag = list.etag;
    await httpJson('POST', `${api}/conversations/${conversationId}/notes`, 'admin1', { content: 'NOTA-INTERNA dos' });
    expect((await listAsCandidate(etag)).status).toBe(304);
    const conversation = (await httpJson('GET', `${api}/conversations/${conversationId}`, 'candidate1')).body.conversation;
    expect(conversation.last_message_seq).toBe(noteSeq + 1);
    expect(conversation).not.toHaveProperty('handling_tier');
    expect(conversation).not.toHaveProperty('last_visible_message_seq');
  });

  it('the conversation: a note changes neither updated_at, last_message_at, status nor assignment', async () => {
    const resolved = await httpJson('PATCH', `${api}/conversations/${conversationId}/status`, 'support1', { status: 'resolved' });
    const snapshot = resolved.body.conversation;
    await httpJson('POST', `${api}/conversations/${conversationId}/notes`, 'support2', { content: 'NOTA-INTERNA tres' });
    const after = (await httpJson('GET', `${api}/conversations/${conversationId}`, 'support1')).body.conversation;
    expect([after.status, after.updated_at, after.last_message_at, after.assigned_support_user_id]).toEqual([
      'resolved',
      snapshot.updated_at,
      snapshot.last_message_at,
      snapshot.assigned_support_user_id,
    ]);
    await httpJson('PATCH', `${api}/conversations/${conversationId}/status`, 'support1', { status: 'open' });
  });

  it('unread counts: notes never count for the candidate (badge and list)', async () => {
    await httpJson('POST', `${api}/conversations/${conversationId}/read`, 'candidate1', {});
    await httpJson('POST', `${api}/conversations/${conversationId}/notes`, 'support1', { content: 'NOTA-INTERNA cuatro' });
    expect((await httpJson('GET', `${api}/unread-count`, 'candidate1')).body.unread_count).toBe(0);
    expect((await listAsCandidate()).body.conversations[0].unread_count).toBe(0);
    expect((await httpJson('GET', `${api}/conversations/${conversationId}/read-markers`, 'candidate1')).body.unread_count).toBe(0);
    expect(before.unread).toBeGreaterThanOrEqual(0);
  });

  it('read markers: a candidate cannot name a note, and reading everything stops at the newest visible message', async () => {
    const named = await httpJson('POST', `${api}/conversations/${conversationId}/read`, 'candidate1', { last_message_id: noteId });
    expect([named.status, named.body.code]).toEqual([400, 'message_not_found']);
    const all = await httpJson('POST', `${api}/conversations/${conversationId}/read`, 'candidate1', {});
    expect(leaks(all.body)).toBe(false);
  });

  it('SSE: the live stream never carries a note or a staff notification', async () => {
    expect(leaks(candidateSse.events)).toBe(false);
    expect(candidateSse.named('staff.notified')).toEqual([]);
  });

  it('Socket.IO: the socket stream never carries a note', async () => {
    expect(leaks(candidateWs.events)).toBe(false);
    expect(candidateWs.named('staff.notified')).toEqual([]);
  });

  it('replay after reconnect: resuming before the note replays the visible messages only', async () => {
    const resumed = await sse('candidate1', { [conversationId]: noteSeq - 1 });
    await waitUntil(() => resumed.named('message.created').some((event) => event.data.message.content === 'Ya quedó el reembolso'), 'replayed reply');
    expect(leaks(resumed.events)).toBe(false);
  });

  it('mentions notify the mentioned colleague only, never the candidate', async () => {
    const admin = await sse('admin1');
    await httpJson('POST', `${api}/conversations/${conversationId}/notes`, 'support1', { content: 'NOTA-INTERNA @admin1 revisa por favor' });
    await waitUntil(() => admin.named('staff.notified').length === 1, 'mention notification');
    expect(admin.named('staff.notified')[0]!.data).toMatchObject({ reason: 'mention', user_ids: [TEST_USERS.admin1.id], conversation_id: conversationId });
    const colleague = await sse('support2');
    await httpJson('POST', `${api}/conversations/${conversationId}/notes`, 'support1', { content: 'NOTA-INTERNA @admin1 otra vez' });
    await waitUntil(() => admin.named('staff.notified').length === 2, 'second mention');
    expect(colleague.named('staff.notified')).toEqual([]);
    expect(candidateSse.named('staff.notified')).toEqual([]);
  });

  it('a candidate cannot write notes (403), and staff-only writes leave no row', async () => {
    const response = await httpJson('POST', `${api}/conversations/${conversationId}/notes`, 'candidate1', { content: 'hola' });
    expect([response.status, response.body.code]).toEqual([403, 'forbidden']);
    const [row] = await server.dataSource.query("SELECT COUNT(*) AS n FROM support_messages WHERE message_type = 'note' AND sender_user_id = ?", [
      TEST_USERS.candidate1.id,
    ]);
    expect(Number(row.n)).toBe(0);
  });
});

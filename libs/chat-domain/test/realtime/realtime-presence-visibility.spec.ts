import { TEST_USERS, TestUserKey } from '../../src/testing/chat-test-app';
import { httpJson, ticketFor, waitUntil, WsTestClient } from '../../src/realtime/testing/realtime-test-kit';
import { trackClients, useRealtimeInstance } from './realtime-hooks';

/** Issue 13, point 12 (presence): candidates see staff names and online, never staff `last_seen_at`. */
describe('presence as a candidate sees it', () => {
  const server = useRealtimeInstance('chat-presence-');
  const track = trackClients();
  const socket = async (user: TestUserKey) => {
    const client = track(await WsTestClient.connect(server.url, { ticket: await ticketFor(server.url, user) }));
    await waitUntil(() => client.named('ready').length === 1, 'ready');
    return client;
  };

  it('presence events and the presence answer carry staff last_seen_at for staff only', async () => {
    const created = await httpJson('POST', `${server.url}/api/support/chat/conversations`, 'candidate1', { subject: 'Ayuda' });
    const conversationId = created.body.conversation.id as string;
    const assigned = await httpJson('PATCH', `${server.url}/api/support/chat/conversations/${conversationId}`, 'admin1', {
      assigned_support_user_id: TEST_USERS.support1.id,
    });
    expect(assigned.status).toBe(200);

    const candidate = await socket('candidate1');
    const admin = await socket('admin1');
    for (const client of [candidate, admin]) expect((await client.request('join', { conversation_id: conversationId })).ok).toBe(true);

    const agent = await socket('support1');
    expect((await agent.request('join', { conversation_id: conversationId })).ok).toBe(true);
    expect((await agent.request('leave', { conversation_id: conversationId })).ok).toBe(true);

    const agentLeft = (client: { named(name: 'presence'): { data: any }[] }) =>
      client.named('presence').find((event) => event.data.user_id === TEST_USERS.support1.id && event.data.online === false);
    await waitUntil(() => !!agentLeft(candidate) && !!agentLeft(admin), 'the agent leaving');
    expect(agentLeft(admin)!.data.last_seen_at).toEqual(expect.stringMatching(/^\d{4}-\d\d-\d\dT/));
    expect(agentLeft(candidate)!.data).toEqual({ conversation_id: conversationId, user_id: TEST_USERS.support1.id, online: false, last_seen_at: null });

    const seenBy = async (client: WsTestClient) => {
      const reply = await client.request('presence', { conversation_id: conversationId });
      expect(reply.ok).toBe(true);
      return reply.users as { user_id: string; full_name: string; role: string; online: boolean; last_seen_at: string | null }[];
    };
    const asStaff = await seenBy(admin);
    const asCandidate = await seenBy(candidate);
    const agentFor = (users: typeof asStaff) => users.find((user) => user.user_id === TEST_USERS.support1.id)!;
    expect(agentFor(asStaff).last_seen_at).toEqual(expect.stringMatching(/^\d{4}-\d\d-\d\dT/));
    expect(agentFor(asCandidate)).toMatchObject({ role: 'staff', online: false, last_seen_at: null });
    // Staff who are online: name and online, still no last-seen time for the candidate.
    expect(asCandidate.find((user) => user.user_id === TEST_USERS.admin1.id)).toEqual({
      user_id: TEST_USERS.admin1.id,
      full_name: TEST_USERS.admin1.full_name,
      role: 'staff',
      online: true,
      last_seen_at: null,
    });
    expect(asCandidate.filter((user) => user.role === 'staff').every((user) => user.last_seen_at === null)).toBe(true);
    // The candidate's own entry keeps its own time.
    expect(asCandidate.find((user) => user.user_id === TEST_USERS.candidate1.id)!.last_seen_at).toEqual(expect.any(String));
  });
});

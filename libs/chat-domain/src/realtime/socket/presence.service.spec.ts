import type { ChatEvent } from '../../events/chat-events';
import { LastSeenStore } from '../last-seen.store';
import { PresenceService } from './presence.service';

const CONV = '6f1c1d2e-8a4b-4c11-9f1e-1a2b3c4d5e6f';
const agent = { id: 's1', role: 'soporte', full_name: 'Sofía', kind: 'staff' as const };

describe('PresenceService', () => {
  let lastSeen: LastSeenStore;
  let presence: PresenceService;
  let published: ChatEvent[];

  beforeEach(() => {
    lastSeen = new LastSeenStore(null, 'test:last-seen');
    published = [];
    presence = new PresenceService(lastSeen);
    presence.changes$.subscribe((event) => published.push(event));
  });

  it('lists the candidate, the assigned agent and anyone connected; candidates never learn when staff were last seen', async () => {
    lastSeen.touch('c1', new Date('2026-01-01T10:00:00Z'));
    lastSeen.touch('s1', new Date('2026-01-01T11:00:00Z'));
    lastSeen.touch('a1', new Date('2026-01-01T12:00:00Z'));
    const conversation = { candidateUserId: 'c1', assignedSupportUserId: 's1' };
    const connected = [{ user_id: 'a1', full_name: 'Admin', kind: 'staff' as const }];

    expect(await presence.list({ kind: 'staff' }, conversation, connected)).toEqual([
      { user_id: 'c1', full_name: '', role: 'candidate', online: false, last_seen_at: '2026-01-01T10:00:00.000Z' },
      { user_id: 's1', full_name: '', role: 'staff', online: false, last_seen_at: '2026-01-01T11:00:00.000Z' },
      { user_id: 'a1', full_name: 'Admin', role: 'staff', online: true, last_seen_at: '2026-01-01T12:00:00.000Z' },
    ]);
    const asCandidate = await presence.list({ kind: 'candidate' }, conversation, [...connected, { user_id: 'c1', full_name: 'Ana', kind: 'candidate' }]);
    expect(asCandidate.map((entry) => [entry.user_id, entry.full_name, entry.online, entry.last_seen_at])).toEqual([
      ['c1', 'Ana', true, '2026-01-01T10:00:00.000Z'],
      ['s1', '', false, null],
      ['a1', 'Admin', true, null],
    ]);
  });

  it('announces an arrival, and a departure only once none of the user’s sockets is left in the conversation', () => {
    presence.joined(agent, CONV, 'c1');
    presence.left(agent, CONV, 'c1', [{ user_id: 's1', full_name: 'Sofía', kind: 'staff' }]);
    expect(published).toHaveLength(1);
    presence.left(agent, CONV, 'c1', [{ user_id: 'c1', full_name: 'Ana', kind: 'candidate' }]);
    expect(published.map((event) => event.name === 'presence' && [event.data.online, event.data.last_seen_at === null])).toEqual([
      [true, true],
      [false, false],
    ]);
    expect(published[1]).toMatchObject({ candidate_user_id: 'c1', data: { conversation_id: CONV, user_id: 's1' } });
  });
});

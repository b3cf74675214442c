import fc from 'fast-check';

import type { ChatActor } from '../auth/chat-actor';
import type { ConversationDto } from '../conversations/dto/conversation-response.dto';
import type { ChatEvent, ConversationChange } from '../events/chat-events';
import { ChatAudience } from './chat-audience';

const candidate = (id: string): ChatActor => ({ id, role: 'candidato', full_name: 'C', kind: 'candidate' });
const staff = (id: string): ChatActor => ({ id, role: 'soporte', full_name: 'S', kind: 'staff' });

describe('ChatAudience', () => {
  it('gives a candidate only the events of their own conversations', () => {
    expect(ChatAudience.canReceive(candidate('c1'), { candidate_user_id: 'c1' })).toBe(true);
    expect(ChatAudience.canReceive(candidate('c1'), { candidate_user_id: 'c2' })).toBe(false);
  });

  it('gives staff every event', () => {
    expect(ChatAudience.canReceive(staff('s1'), { candidate_user_id: 'c1' })).toBe(true);
    expect(ChatAudience.canReceive(staff('s1'), { candidate_user_id: 's1' })).toBe(true);
  });

  it('routes by rooms exactly as canReceive decides', () => {
    const ids = fc.constantFrom('u1', 'u2', 'u3', 'staff', 'user:u1');
    fc.assert(
      fc.property(ids, fc.constantFrom<'candidate' | 'staff'>('candidate', 'staff'), ids, (actorId, kind, candidateId) => {
        const actor = kind === 'staff' ? staff(actorId) : candidate(actorId);
        const event = { candidate_user_id: candidateId };
        const shared = ChatAudience.actorRooms(actor).some((room) => ChatAudience.eventRooms(event).includes(room));
        expect(shared).toBe(ChatAudience.canReceive(actor, event));
      }),
    );
  });

  it('never shows a candidate when someone else was last seen; staff see it, and everyone sees online', () => {
    const event = (userId: string, lastSeenAt: string | null): ChatEvent => ({
      name: 'presence',
      candidate_user_id: 'c1',
      data: { conversation_id: 'x', user_id: userId, online: lastSeenAt === null, last_seen_at: lastSeenAt },
    });
    const left = event('s1', '2026-01-05T18:30:00.000Z');
    expect(ChatAudience.dataFor(candidate('c1'), left)).toEqual({ conversation_id: 'x', user_id: 's1', online: false, last_seen_at: null });
    expect(ChatAudience.dataFor(candidate('c1'), left)).toBe(ChatAudience.dataFor(candidate('c1'), left));
    expect(ChatAudience.dataFor(staff('s2'), left)).toBe(left.data);
    const own = event('c1', '2026-01-05T18:30:00.000Z');
    expect(ChatAudience.dataFor(candidate('c1'), own)).toBe(own.data);
  });

  it("never gives a candidate a conversation's staff-only priority, and nothing for a priority-only change", () => {
    const conversation = { id: 'x', status: 'open', priority: 'high' } as unknown as ConversationDto;
    const updated = (changes: ConversationChange[]): ChatEvent => ({
      name: 'conversation.updated',
      candidate_user_id: 'c1',
      data: { conversation_id: 'x', conversation, changes },
    });
    const created: ChatEvent = { name: 'conversation.created', candidate_user_id: 'c1', data: { conversation_id: 'x', conversation } };
    expect(ChatAudience.dataFor(candidate('c1'), created)).toEqual({ conversation_id: 'x', conversation: { id: 'x', status: 'open' } });
    expect(ChatAudience.dataFor(candidate('c1'), updated(['priority', 'status']))).toEqual({
      conversation_id: 'x',
      conversation: { id: 'x', status: 'open' },
      changes: ['status'],
    });
    const priorityOnly = updated(['priority']);
    expect(ChatAudience.dataFor(candidate('c1'), priorityOnly)).toBeNull();
    expect(ChatAudience.dataFor(staff('s1'), priorityOnly)).toBe(priorityOnly.data);
  });
  it('never gives a candidate staff-only conversation fields, nor a labels- or tier-only change; shows their newest visible entry', () => {
    const conversation = {
      id: 'x',
      status: 'open',
      last_message_seq: 7,
      priority: 'high',
      labels: [{ id: 'l1', name: 'Urgente', color: '#ff0000' }],
      handling_tier: 'coordinator',
      escalated_at: '2026-01-05T18:30:00.000Z',
      waiting_since: '2026-01-05T18:00:00.000Z',
      last_visible_message_seq: 5,
    } as unknown as ConversationDto;
    const updated = (changes: ConversationChange[]): ChatEvent => ({
      name: 'conversation.updated',
      candidate_user_id: 'c1',
      data: { conversation_id: 'x', conversation, changes },
    });
    for (const change of ['labels', 'tier'] as const) {
      expect(ChatAudience.dataFor(candidate('c1'), updated([change]))).toBeNull();
      expect(ChatAudience.dataFor(staff('s1'), updated([change]))).toEqual(updated([change]).data);
    }
    const seen = ChatAudience.dataFor(candidate('c1'), updated(['labels', 'tier', 'assignment'])) as { conversation: object; changes: unknown };
    expect(seen.changes).toEqual(['assignment']);
    expect(seen.conversation).toEqual({ id: 'x', status: 'open', last_message_seq: 5 });
    const created: ChatEvent = { name: 'conversation.created', candidate_user_id: 'c1', data: { conversation_id: 'x', conversation } };
    expect(ChatAudience.dataFor(candidate('c1'), created)).toEqual({ conversation_id: 'x', conversation: { id: 'x', status: 'open', last_message_seq: 5 } });
    expect(conversation).toHaveProperty('labels'); // the shared payload is not changed
  });

  it('never gives a candidate an internal note; other messages reach them unchanged', () => {
    const message = (type: string): ChatEvent =>
      ({
        name: 'message.created',
        candidate_user_id: 'c1',
        data: { conversation_id: 'x', message: { id: 'm', seq: 3, message_type: type } },
      }) as unknown as ChatEvent;
    const note = message('note');
    expect(ChatAudience.dataFor(candidate('c1'), note)).toBeNull();
    expect(ChatAudience.dataFor(staff('s1'), note)).toBe(note.data);
    const text = message('text');
    expect(ChatAudience.dataFor(candidate('c1'), text)).toBe(text.data);
  });

  it('gives staff.notified only to the staff members it names, never to a candidate', () => {
    const event: ChatEvent = {
      name: 'staff.notified',
      candidate_user_id: 'c1',
      data: { conversation_id: 'x', user_ids: ['s1', 'c1'], reason: 'mention', by: { id: 's2', full_name: 'S' }, note: 'hola', seq: 4 },
    };
    expect(ChatAudience.dataFor(staff('s1'), event)).toBe(event.data);
    expect(ChatAudience.dataFor(staff('s2'), event)).toBeNull();
    expect(ChatAudience.dataFor(candidate('c1'), event)).toBeNull();
  });
});

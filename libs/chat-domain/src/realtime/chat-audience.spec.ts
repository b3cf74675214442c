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
});

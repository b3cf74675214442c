import type { ChatActor } from '../auth/chat-actor';
import type { ChatEvent } from '../events/chat-events';

/**
 * Who receives which event. Candidates: only events of their own conversations; staff: all. Pure
 * functions, used by every transport (SSE and WebSocket deliver through the same check).
 */
export const ChatAudience = {
  canReceive(actor: Pick<ChatActor, 'id' | 'kind'>, event: Pick<ChatEvent, 'candidate_user_id'>): boolean {
    return actor.kind === 'staff' || (actor.kind === 'candidate' && event.candidate_user_id === actor.id);
  },

  /** Socket.IO rooms an actor's sockets join. */
  actorRooms(actor: Pick<ChatActor, 'id' | 'kind'>): string[] {
    return actor.kind === 'staff' ? [ChatRooms.staff, ChatRooms.user(actor.id)] : [ChatRooms.user(actor.id)];
  },

  /** Rooms whose members may receive the event: equivalent to `canReceive` (tested). */
  eventRooms(event: Pick<ChatEvent, 'candidate_user_id'>): string[] {
    return [ChatRooms.staff, ChatRooms.user(event.candidate_user_id)];
  },
};

export const ChatRooms = {
  staff: 'staff',
  user: (userId: string) => `user:${userId}`,
  conversation: (conversationId: string) => `conversation:${conversationId}`,
};

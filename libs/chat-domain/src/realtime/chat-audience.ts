import type { ChatActor } from '../auth/chat-actor';
import type { ChatEvent } from '../events/chat-events';

/** The candidate's copy of a presence event, made once per event (every SSE frame of it is then the same JSON). */
const candidateViews = new WeakMap<object, object>();

/**
 * Who receives which event. Candidates: only events of their own conversations; staff: all. Pure
 * functions, used by every transport (SSE and WebSocket deliver through the same check).
 */
export const ChatAudience = {
  canReceive(actor: Pick<ChatActor, 'id' | 'kind'>, event: Pick<ChatEvent, 'candidate_user_id'>): boolean {
    return actor.kind === 'staff' || (actor.kind === 'candidate' && event.candidate_user_id === actor.id);
  },

  /**
   * What of an event's data the actor may see, or null when nothing of it is theirs to see. Candidates
   * see that staff are online, never when a staff member was last seen (an internal timestamp:
   * `last_seen_at` of anyone else is null for them), and never a conversation's staff-only `priority`
   * (a priority-only change sends them nothing).
   */
  dataFor(actor: Pick<ChatActor, 'id' | 'kind'>, event: ChatEvent): object | null {
    if (actor.kind === 'staff') return event.data;
    switch (event.name) {
      case 'presence': {
        if (event.data.user_id === actor.id || event.data.last_seen_at === null) return event.data;
        let view = candidateViews.get(event.data);
        if (!view) candidateViews.set(event.data, (view = { ...event.data, last_seen_at: null }));
        return view;
      }
      case 'conversation.created': {
        const { priority: _staffOnly, ...conversation } = event.data.conversation;
        return { ...event.data, conversation };
      }
      case 'conversation.updated': {
        const { priority: _staffOnly, ...conversation } = event.data.conversation;
        const changes = event.data.changes.filter((change) => change !== 'priority');
        return changes.length === 0 ? null : { ...event.data, conversation, changes };
      }
      default:
        return event.data;
    }
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

import type { ChatActor } from '../auth/chat-actor';
import { type ConversationDto, STAFF_ONLY_CONVERSATION_FIELDS } from '../conversations/dto/conversation-response.dto';
import { STAFF_ONLY_MESSAGE_TYPES } from '../domain/message-type';
import type { ChatEvent, ConversationChange } from '../events/chat-events';

/** The candidate's copy of a presence event, made once per event (every SSE frame of it is then the same JSON). */
const candidateViews = new WeakMap<object, object>();

/** Changes candidates never hear of: a change of only these sends them no event. */
const STAFF_ONLY_CHANGES: ReadonlySet<ConversationChange> = new Set<ConversationChange>(['priority', 'labels', 'tier']);

/** An event's conversation as a candidate sees it: no staff-only fields, and the newest entry they see. */
function candidateConversationView(conversation: ConversationDto): ConversationDto {
  const view: ConversationDto = { ...conversation };
  if (conversation.last_visible_message_seq !== undefined) view.last_message_seq = conversation.last_visible_message_seq;
  for (const field of STAFF_ONLY_CONVERSATION_FIELDS) delete view[field];
  return view;
}

/**
 * Who receives which event. Candidates: only events of their own conversations; staff: all. Pure
 * functions, used by every transport (SSE and WebSocket deliver through the same check).
 */
export const ChatAudience = {
  canReceive(actor: Pick<ChatActor, 'id' | 'kind'>, event: Pick<ChatEvent, 'candidate_user_id'>): boolean {
    return actor.kind === 'staff' || (actor.kind === 'candidate' && event.candidate_user_id === actor.id);
  },

  /**
   * What of an event's data the actor may see, or null when nothing of it is theirs to see. Event payloads
   * are built once for everybody. Candidates see that staff are online, never when a staff member was last
   * seen (an internal timestamp: `last_seen_at` of anyone else is null for them); never a conversation's
   * staff-only fields (`STAFF_ONLY_CONVERSATION_FIELDS`: priority, labels, tier, waiting time, service-level
   * bookkeeping), and no event at all for a change of priority, labels or tier alone; never an internal note
   * (`message.created` of a staff-only type) nor a `staff.notified`, by any transport.
   */
  dataFor(actor: Pick<ChatActor, 'id' | 'kind'>, event: ChatEvent): object | null {
    // A staff notification is for the colleagues it names only.
    if (event.name === 'staff.notified') return actor.kind === 'staff' && event.data.user_ids.includes(actor.id) ? event.data : null;
    if (actor.kind === 'staff') return event.data;
    switch (event.name) {
      case 'presence': {
        if (event.data.user_id === actor.id || event.data.last_seen_at === null) return event.data;
        let view = candidateViews.get(event.data);
        if (!view) candidateViews.set(event.data, (view = { ...event.data, last_seen_at: null }));
        return view;
      }
      case 'message.created':
        return STAFF_ONLY_MESSAGE_TYPES.includes(event.data.message.message_type) ? null : event.data;
      case 'conversation.created':
        return { ...event.data, conversation: candidateConversationView(event.data.conversation) };
      case 'conversation.updated': {
        const changes = event.data.changes.filter((change) => !STAFF_ONLY_CHANGES.has(change));
        return changes.length === 0 ? null : { ...event.data, conversation: candidateConversationView(event.data.conversation), changes };
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

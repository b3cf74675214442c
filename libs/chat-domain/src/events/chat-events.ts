import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { Observable, Subject } from 'rxjs';

import type { ConversationDto } from '../conversations/dto/conversation-response.dto';
import type { MessageDto } from '../messages/dto/message-response.dto';

/**
 * Every event the chat emits, by name. Shared by the SSE stream, the WebSocket gateway and the web
 * client. Payloads never carry contact data (no email or username), so one payload suits every viewer.
 */
export interface ChatEventMap {
  'message.created': { conversation_id: string; message: MessageDto };
  'conversation.created': { conversation_id: string; conversation: ConversationDto };
  'conversation.updated': { conversation_id: string; conversation: ConversationDto; changes: ConversationChange[] };
  'read.updated': { conversation_id: string; user_id: string; last_read_seq: number; last_read_message_id: string | null; last_read_at: string };
  typing: { conversation_id: string; user_id: string; full_name: string; is_typing: boolean };
  presence: { conversation_id: string; user_id: string; online: boolean; last_seen_at: string | null };
}

export type ConversationChange = 'status' | 'assignment' | 'priority';
export type ChatEventName = keyof ChatEventMap;

/** An event plus whom it concerns: the conversation's candidate and the whole support staff. */
export type ChatEvent = {
  [K in ChatEventName]: { name: K; candidate_user_id: string; data: ChatEventMap[K] };
}[ChatEventName];

/**
 * The payload `viewer` may receive, or null when the event carries nothing for them. Event payloads
 * are built once for everybody; a conversation's `priority` is staff-only, so candidates get the
 * conversation without it, and no event at all for a change of priority alone.
 */
export function chatEventDataFor(event: ChatEvent, viewer: { kind: 'candidate' | 'staff' }): ChatEvent['data'] | null {
  if (viewer.kind === 'staff' || (event.name !== 'conversation.updated' && event.name !== 'conversation.created')) return event.data;
  const { priority: _staffOnly, ...conversation } = event.data.conversation;
  if (event.name === 'conversation.created') return { ...event.data, conversation };
  const changes = event.data.changes.filter((change) => change !== 'priority');
  return changes.length === 0 ? null : { ...event.data, conversation, changes };
}

/**
 * In-process fan-out of the events this instance produces. Transports (and a cross-instance broker)
 * subscribe here; services publish only after their transaction committed.
 */
@Injectable()
export class ChatEventBus implements OnModuleDestroy {
  private readonly subject = new Subject<ChatEvent>();

  readonly events$: Observable<ChatEvent> = this.subject.asObservable();

  publish(event: ChatEvent): void {
    this.subject.next(event);
  }

  onModuleDestroy(): void {
    this.subject.complete();
  }
}

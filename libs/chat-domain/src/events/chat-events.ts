import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { Observable, Subject } from 'rxjs';

import type { ChatEventMap as ContractChatEventMap, ConversationChange, StreamEventName } from '@support-chat/chat-contract';

import type { ConversationDto } from '../conversations/dto/conversation-response.dto';
import type { MessageDto } from '../messages/dto/message-response.dto';

/**
 * Every event the chat emits, by name: the shared contract (`@support-chat/chat-contract`) with the
 * module's response DTOs as payloads. Payloads never carry contact data (no email or username), so one
 * payload suits every viewer.
 */
export type ChatEventMap = ContractChatEventMap<MessageDto, ConversationDto>;
export type { ConversationChange };
export type ChatEventName = keyof ChatEventMap;

/** An event plus whom it concerns: the conversation's candidate and the whole support staff. */
export type ChatEvent = {
  [K in ChatEventName]: { name: K; candidate_user_id: string; data: ChatEventMap[K] };
}[ChatEventName];

/**
 * The events services publish on `ChatEventBus`, which the broker carries between instances and the hub
 * delivers to SSE streams (and sockets opened with the stream). Typing and presence never enter this
 * path: they go to the conversation's Socket.IO room only, so they are not of this type.
 */
export type StreamChatEvent = Extract<ChatEvent, { name: StreamEventName }>;

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
  private readonly subject = new Subject<StreamChatEvent>();

  readonly events$: Observable<StreamChatEvent> = this.subject.asObservable();

  publish(event: StreamChatEvent): void {
    this.subject.next(event);
  }

  onModuleDestroy(): void {
    this.subject.complete();
  }
}

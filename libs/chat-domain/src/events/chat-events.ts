import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { Observable, Subject } from 'rxjs';

import type { ChatEventMap as ContractChatEventMap, ConversationChange } from '@support-chat/chat-contract';

import { type ConversationDto, STAFF_ONLY_CONVERSATION_FIELDS } from '../conversations/dto/conversation-response.dto';
import { STAFF_ONLY_MESSAGE_TYPES } from '../domain/message-type';
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
 * The payload `viewer` may receive, or null when the event carries nothing for them. Event payloads
 * are built once for everybody; a conversation's `priority`, labels, tier, waiting time and service-level bookkeeping are staff-only, so
 * candidates get the conversation without them, and no event at all for a change of priority, labels or tier
 * alone; internal notes (`message.created` of a staff-only type) and `staff.notified` send them nothing.
 */
export function chatEventDataFor(event: ChatEvent, viewer: { kind: 'candidate' | 'staff' }): ChatEvent['data'] | null {
  if (viewer.kind === 'staff') return event.data;
  // Internal notes and staff notifications never reach a candidate, by any transport.
  if (event.name === 'staff.notified') return null;
  if (event.name === 'message.created') return STAFF_ONLY_MESSAGE_TYPES.includes(event.data.message.message_type) ? null : event.data;
  if (event.name !== 'conversation.updated' && event.name !== 'conversation.created') return event.data;
  const conversation = candidateConversationView(event.data.conversation);
  if (event.name === 'conversation.created') return { ...event.data, conversation };
  const changes = event.data.changes.filter((change) => change !== 'priority' && change !== 'labels' && change !== 'tier');
  return changes.length === 0 ? null : { ...event.data, conversation, changes };
}

/** An event's conversation as a candidate sees it: no staff-only fields, and the newest entry they see. */
function candidateConversationView(conversation: ConversationDto): ConversationDto {
  const view: ConversationDto = { ...conversation };
  if (conversation.last_visible_message_seq !== undefined) view.last_message_seq = conversation.last_visible_message_seq;
  for (const field of STAFF_ONLY_CONVERSATION_FIELDS) delete view[field];
  return view;
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

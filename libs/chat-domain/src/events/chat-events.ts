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

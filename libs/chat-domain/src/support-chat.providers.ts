import { Provider, Type } from '@nestjs/common';

import { ConversationsService } from './conversations/conversations.service';
import { ChatEventBus } from './events/chat-events';
import { MessagesService } from './messages/messages.service';
import { TimelineWriter } from './messages/timeline-writer';
import { ChatRecords } from './persistence/chat-records';
import { ChatTransactions } from './persistence/chat-transactions';
import { ReadStateService } from './read-state/read-state.service';
import { UnreadCounter } from './read-state/unread-counter';
import { SupportChatController } from './support-chat.controller';
import { UserLookup } from './users/user-lookup';

/** Every service of the chat. */
export const SUPPORT_CHAT_PROVIDERS: Provider[] = [
  ChatRecords,
  ChatTransactions,
  ChatEventBus,
  UserLookup,
  TimelineWriter,
  UnreadCounter,
  ConversationsService,
  MessagesService,
  ReadStateService,
];

export const SUPPORT_CHAT_CONTROLLERS: Type<unknown>[] = [SupportChatController];

import { Provider, Type } from '@nestjs/common';

import { ConversationsService } from './conversations/conversations.service';
import { ChatEventBus } from './events/chat-events';
import { HandoffController } from './handoff/handoff.controller';
import { HandoffService } from './handoff/handoff.service';
import { MessagesService } from './messages/messages.service';
import { ChatTransactions } from './persistence/chat-transactions';
import { CHAT_REPOSITORIES } from './persistence/repositories';
import { ReadStateService } from './read-state/read-state.service';
import { SupportChatController } from './support-chat.controller';
import { UserLookup } from './users/user-lookup';

/** Every service of the chat. */
export const SUPPORT_CHAT_PROVIDERS: Provider[] = [
  ...CHAT_REPOSITORIES,
  ChatTransactions,
  ChatEventBus,
  UserLookup,
  ConversationsService,
  MessagesService,
  ReadStateService,
  HandoffService,
];

export const SUPPORT_CHAT_CONTROLLERS: Type<unknown>[] = [SupportChatController, HandoffController];

import { Provider, Type } from '@nestjs/common';

import { ConversationsService } from './conversations/conversations.service';
import { ChatEventBus } from './events/chat-events';
import { MessagesService } from './messages/messages.service';
import { ChatTransactions } from './persistence/chat-transactions';
import { CHAT_REPOSITORIES } from './persistence/repositories';
import { ReadStateService } from './read-state/read-state.service';
import { SearchController } from './search/search.controller';
import { SearchService } from './search/search.service';
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
  SearchService,
];

export const SUPPORT_CHAT_CONTROLLERS: Type<unknown>[] = [SupportChatController, SearchController];

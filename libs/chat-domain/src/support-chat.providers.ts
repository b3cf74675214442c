import { Provider, Type } from '@nestjs/common';

import { ConversationsService } from './conversations/conversations.service';
import { ChatEventBus } from './events/chat-events';
import { LabelsController } from './labels/labels.controller';
import { LabelsService } from './labels/labels.service';
import { MessagesService } from './messages/messages.service';
import { ChatTransactions } from './persistence/chat-transactions';
import { CHAT_REPOSITORIES } from './persistence/repositories';
import { QuickRepliesController } from './quick-replies/quick-replies.controller';
import { QuickRepliesService } from './quick-replies/quick-replies.service';
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
  QuickRepliesService,
  LabelsService,
];

export const SUPPORT_CHAT_CONTROLLERS: Type<unknown>[] = [SupportChatController, QuickRepliesController, LabelsController];

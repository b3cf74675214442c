import { Provider, Type } from '@nestjs/common';

import { SupportChatAuditController } from './audit/audit.controller';
import { ChatAuditTrail } from './audit/chat-audit-trail';
import { SupportChatReportsController } from './reports/reports.controller';
import { ReportsService } from './reports/reports.service';
import { ConversationsService } from './conversations/conversations.service';
import { CsatController } from './csat/csat.controller';
import { RatingsService } from './csat/ratings.service';
import { ChatEventBus } from './events/chat-events';
import { LabelsController } from './labels/labels.controller';
import { LabelsService } from './labels/labels.service';
import { HandoffController } from './handoff/handoff.controller';
import { HandoffService } from './handoff/handoff.service';
import { MessagesService } from './messages/messages.service';
import { ChatTransactions } from './persistence/chat-transactions';
import { CHAT_REPOSITORIES } from './persistence/repositories';
import { QuickRepliesController } from './quick-replies/quick-replies.controller';
import { QuickRepliesService } from './quick-replies/quick-replies.service';
import { ReadStateService } from './read-state/read-state.service';
import { BusinessHoursService } from './service-hours/business-hours.service';
import { SUPPORT_CHAT_CLOCK, SYSTEM_CLOCK } from './service-hours/service-hours.config';
import { ServiceHoursController } from './service-hours/service-hours.controller';
import { ServiceStatusService } from './service-hours/service-status.service';
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
  // Issue 17 part 1: CSAT, business hours, expected reply time.
  { provide: SUPPORT_CHAT_CLOCK, useValue: SYSTEM_CLOCK },
  BusinessHoursService,
  ServiceStatusService,
  RatingsService,
  // Issue 16: quick replies and labels.
  QuickRepliesService,
  LabelsService,
  // Issue 18: the audit trail.
  ChatAuditTrail,
  // Issue 16: message search.
  SearchService,
  // Issue 16: notes, transfer and escalation.
  HandoffService,
  // Issue 18: reports.
  ReportsService,
];

export const SUPPORT_CHAT_CONTROLLERS: Type<unknown>[] = [
  SupportChatController,
  CsatController,
  ServiceHoursController,
  QuickRepliesController,
  LabelsController,
  SupportChatAuditController,
  SearchController,
  HandoffController,
  // Issue 18: reports.
  SupportChatReportsController,
];

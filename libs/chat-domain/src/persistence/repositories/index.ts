import { Provider } from '@nestjs/common';

import { AUTOMATION_STATEMENTS, AutomationRepository } from './automation.repository';
import { AUDIT_STATEMENTS, AuditRepository } from './audit.repository';
import { ChatStatements } from './chat-statements';
import { CONVERSATION_STATEMENTS, ConversationRepository } from './conversation.repository';
import { LABEL_STATEMENTS, LabelRepository } from './label.repository';
import { PARTICIPANT_STATEMENTS, ParticipantRepository } from './participant.repository';
import { RATING_STATEMENTS, RatingRepository } from './rating.repository';
import { QUICK_REPLY_STATEMENTS, QuickReplyRepository } from './quick-reply.repository';
import { READ_STATE_STATEMENTS, ReadStateRepository } from './read-state.repository';
import { REPORT_STATEMENTS, ReportRepository } from './report.repository';
import { SETTINGS_STATEMENTS, SettingsRepository } from './settings.repository';
import { SEARCH_STATEMENTS, SearchRepository } from './search.repository';
import { StatementDefinition } from './statement-cache';
import { TIMELINE_STATEMENTS, TimelineRepository } from './timeline.repository';

export { AUTOMATION_BATCH, AutomationRepository } from './automation.repository';
export type { AwayEmailCandidate } from './automation.repository';
export { AuditRepository } from './audit.repository';
export type { AuditCursor, AuditFilter } from './audit.repository';
export { ConversationRepository } from './conversation.repository';
export type { InboxFilter, InboxScope, InboxSearch } from './conversation.repository';
export { LabelRepository } from './label.repository';
export { ParticipantRepository } from './participant.repository';
export { personalQuickReplyScope, QuickReplyRepository, TEAM_QUICK_REPLY_SCOPE } from './quick-reply.repository';
export { ReadStateRepository } from './read-state.repository';
export type { ReadMarker } from './read-state.repository';
export { TimelineRepository } from './timeline.repository';
export { RatingRepository } from './rating.repository';
export { SettingsRepository } from './settings.repository';
// H18b: reports
export { ReportRepository } from './report.repository';
export type { BacklogRow, ReportConversationRow } from './report.repository';
export { SearchRepository } from './search.repository';
export type { SearchAudience } from './search.repository';
export type { AppendedEntry, NewTimelineEntry } from './timeline.repository';

/** The repositories (and what they share) as Nest providers. Module-internal: not exported by the package. */
export const CHAT_REPOSITORIES: Provider[] = [
  ChatStatements,
  ConversationRepository,
  ParticipantRepository,
  ReadStateRepository,
  TimelineRepository,
  RatingRepository,
  SettingsRepository,
  QuickReplyRepository,
  LabelRepository,
  AutomationRepository,
  // H18a: audit trail
  AuditRepository,
  SearchRepository,
  // H18b: reports
  ReportRepository,
];

/** Every statement of every repository, by repository: what `npm run sql:sync` writes to `../queries/`. */
export const REPOSITORY_STATEMENTS: Record<string, readonly StatementDefinition<never>[]> = {
  ConversationRepository: Object.values(CONVERSATION_STATEMENTS) as StatementDefinition<never>[],
  ParticipantRepository: Object.values(PARTICIPANT_STATEMENTS) as StatementDefinition<never>[],
  ReadStateRepository: Object.values(READ_STATE_STATEMENTS) as StatementDefinition<never>[],
  TimelineRepository: Object.values(TIMELINE_STATEMENTS) as StatementDefinition<never>[],
  RatingRepository: Object.values(RATING_STATEMENTS) as StatementDefinition<never>[],
  SettingsRepository: Object.values(SETTINGS_STATEMENTS) as StatementDefinition<never>[],
  QuickReplyRepository: Object.values(QUICK_REPLY_STATEMENTS) as StatementDefinition<never>[],
  LabelRepository: Object.values(LABEL_STATEMENTS) as StatementDefinition<never>[],
  AutomationRepository: Object.values(AUTOMATION_STATEMENTS) as StatementDefinition<never>[],
  // H18a: audit trail
  AuditRepository: Object.values(AUDIT_STATEMENTS) as StatementDefinition<never>[],
  SearchRepository: Object.values(SEARCH_STATEMENTS) as StatementDefinition<never>[],
  // H18b: reports
  ReportRepository: Object.values(REPORT_STATEMENTS) as StatementDefinition<never>[],
};

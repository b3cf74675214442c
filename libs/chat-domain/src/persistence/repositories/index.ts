import { Provider } from '@nestjs/common';

import { AUDIT_STATEMENTS, AuditRepository } from './audit.repository';
import { ChatStatements } from './chat-statements';
import { CONVERSATION_STATEMENTS, ConversationRepository } from './conversation.repository';
import { PARTICIPANT_STATEMENTS, ParticipantRepository } from './participant.repository';
import { READ_STATE_STATEMENTS, ReadStateRepository } from './read-state.repository';
import { StatementDefinition } from './statement-cache';
import { TIMELINE_STATEMENTS, TimelineRepository } from './timeline.repository';

export { AuditRepository } from './audit.repository';
export type { AuditCursor, AuditFilter } from './audit.repository';
export { ConversationRepository } from './conversation.repository';
export type { InboxFilter, InboxScope, InboxSearch } from './conversation.repository';
export { ParticipantRepository } from './participant.repository';
export { ReadStateRepository } from './read-state.repository';
export type { ReadMarker } from './read-state.repository';
export { TimelineRepository } from './timeline.repository';
export type { AppendedEntry, NewTimelineEntry } from './timeline.repository';

/** The repositories (and what they share) as Nest providers. Module-internal: not exported by the package. */
export const CHAT_REPOSITORIES: Provider[] = [
  ChatStatements,
  ConversationRepository,
  ParticipantRepository,
  ReadStateRepository,
  TimelineRepository,
  // H18a: audit trail
  AuditRepository,
];

/** Every statement of every repository, by repository: what `npm run sql:sync` writes to `../queries/`. */
export const REPOSITORY_STATEMENTS: Record<string, readonly StatementDefinition<never>[]> = {
  ConversationRepository: Object.values(CONVERSATION_STATEMENTS) as StatementDefinition<never>[],
  ParticipantRepository: Object.values(PARTICIPANT_STATEMENTS) as StatementDefinition<never>[],
  ReadStateRepository: Object.values(READ_STATE_STATEMENTS) as StatementDefinition<never>[],
  TimelineRepository: Object.values(TIMELINE_STATEMENTS) as StatementDefinition<never>[],
  // H18a: audit trail
  AuditRepository: Object.values(AUDIT_STATEMENTS) as StatementDefinition<never>[],
};

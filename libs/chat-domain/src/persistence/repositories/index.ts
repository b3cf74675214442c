import { Provider } from '@nestjs/common';

import { ChatStatements } from './chat-statements';
import { CONVERSATION_STATEMENTS, ConversationRepository } from './conversation.repository';
import { PARTICIPANT_STATEMENTS, ParticipantRepository } from './participant.repository';
import { READ_STATE_STATEMENTS, ReadStateRepository } from './read-state.repository';
import { SEARCH_STATEMENTS, SearchRepository } from './search.repository';
import { StatementDefinition } from './statement-cache';
import { TIMELINE_STATEMENTS, TimelineRepository } from './timeline.repository';

export { ConversationRepository } from './conversation.repository';
export type { InboxFilter, InboxScope, InboxSearch } from './conversation.repository';
export { ParticipantRepository } from './participant.repository';
export { ReadStateRepository } from './read-state.repository';
export type { ReadMarker } from './read-state.repository';
export { TimelineRepository } from './timeline.repository';
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
  SearchRepository,
];

/** Every statement of every repository, by repository: what `npm run sql:sync` writes to `../queries/`. */
export const REPOSITORY_STATEMENTS: Record<string, readonly StatementDefinition<never>[]> = {
  ConversationRepository: Object.values(CONVERSATION_STATEMENTS) as StatementDefinition<never>[],
  ParticipantRepository: Object.values(PARTICIPANT_STATEMENTS) as StatementDefinition<never>[],
  ReadStateRepository: Object.values(READ_STATE_STATEMENTS) as StatementDefinition<never>[],
  TimelineRepository: Object.values(TIMELINE_STATEMENTS) as StatementDefinition<never>[],
  SearchRepository: Object.values(SEARCH_STATEMENTS) as StatementDefinition<never>[],
};

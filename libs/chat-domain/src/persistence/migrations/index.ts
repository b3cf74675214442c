import { CreateSupportChatSchema1767225600000 } from './1767225600000-create-support-chat-schema';
import { AddUnansweredCandidateMessages1767830400000 } from './1767830400000-add-unanswered-candidate-messages';
import { AddNotesHandoffQueue1780100000000 } from './1780100000000-add-notes-handoff-queue';

export { AddNotesHandoffQueue1780100000000, AddUnansweredCandidateMessages1767830400000, CreateSupportChatSchema1767225600000 };

/**
 * The chat's TypeORM migrations, oldest first. Hosts that run migrations add them to their
 * DataSource's `migrations` (and may then set `checkSchemaOnStartup: false`):
 *
 * ```ts
 * new DataSource({ ...options, synchronize: false, migrations: [...SUPPORT_CHAT_MIGRATIONS], migrationsTableName: SUPPORT_CHAT_MIGRATIONS_TABLE });
 * ```
 */
export const SUPPORT_CHAT_MIGRATIONS = [
  CreateSupportChatSchema1767225600000,
  AddUnansweredCandidateMessages1767830400000,
  AddNotesHandoffQueue1780100000000,
] as const;

/** Suggested name of the migrations bookkeeping table (TypeORM's default is `migrations`). */
export const SUPPORT_CHAT_MIGRATIONS_TABLE = 'support_chat_migrations';

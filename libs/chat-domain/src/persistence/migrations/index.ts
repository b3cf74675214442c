import { CreateSupportChatSchema1767225600000 } from './1767225600000-create-support-chat-schema';
import { AddUnansweredCandidateMessages1767830400000 } from './1767830400000-add-unanswered-candidate-messages';
import { AddQuickRepliesAndLabels1780000000000 } from './1780000000000-add-quick-replies-and-labels';
import { AddNotesHandoffQueue1780100000000 } from './1780100000000-add-notes-handoff-queue';
import { AddMessageSearch1780200000000 } from './1780200000000-add-message-search';
import { AddCsatAndBusinessHours1780300000000 } from './1780300000000-add-csat-and-business-hours';
import { AddAwayEmailAndPreferences1780400000000 } from './1780400000000-add-away-email-and-preferences';
import { AddSupportAuditEvents1780500000000 } from './1780500000000-add-support-audit-events';

export {
  AddAwayEmailAndPreferences1780400000000,
  AddCsatAndBusinessHours1780300000000,
  AddMessageSearch1780200000000,
  AddNotesHandoffQueue1780100000000,
  AddQuickRepliesAndLabels1780000000000,
  AddSupportAuditEvents1780500000000,
  AddUnansweredCandidateMessages1767830400000,
  CreateSupportChatSchema1767225600000,
};

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
  AddQuickRepliesAndLabels1780000000000,
  AddNotesHandoffQueue1780100000000,
  AddMessageSearch1780200000000,
  AddCsatAndBusinessHours1780300000000,
  AddAwayEmailAndPreferences1780400000000,
  AddSupportAuditEvents1780500000000,
] as const;

/** Suggested name of the migrations bookkeeping table (TypeORM's default is `migrations`). */
export const SUPPORT_CHAT_MIGRATIONS_TABLE = 'support_chat_migrations';

import { Logger } from '@nestjs/common';
import { MigrationInterface, QueryRunner } from 'typeorm';

import { assertNoLegacySupportChat } from '../legacy/legacy-schema';
import { ensureSupportChatSchema } from '../schema/check-and-create-support-chat-tables';

const NEW_CONVERSATION_COLUMNS = [
  'first_candidate_message_at',
  'first_response_at',
  'resolution_count',
  'resolved_at',
  'arrived_outside_hours',
  'latest_rating',
  'auto_reply_period',
] as const;

/**
 * Issue 17 part 1: the tables `support_conversation_ratings` (CSAT) and `support_chat_settings` (business
 * hours shared by every instance), and on `support_conversations` the columns kept on write for reports
 * and the once-only automatic reply (existing rows filled by the schema's `backfill`). Additive.
 */
export class AddCsatAndBusinessHours1780300000000 implements MigrationInterface {
  name = 'AddCsatAndBusinessHours1780300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const logger = new Logger('SupportChatMigration');
    await assertNoLegacySupportChat(queryRunner);
    await ensureSupportChatSchema(queryRunner, (line) => logger.log(line));
  }

  /** Drops the two tables, the index and the columns (the earlier migrations' schema). */
  async down(queryRunner: QueryRunner): Promise<void> {
    for (const name of ['support_conversation_ratings', 'support_chat_settings']) {
      if (await queryRunner.hasTable(name)) await queryRunner.dropTable(name, true, true, true);
    }
    const table = await queryRunner.getTable('support_conversations');
    if (!table) return;
    const index = table.indices.find((candidate) => candidate.name === 'ix_support_conversations_first_response');
    if (index) await queryRunner.dropIndex(table, index);
    // SQLite drops a column by rebuilding the table; the message search trigger (an earlier migration's,
    // still present) names support_conversations, and SQLite's rename check would refuse the rebuild.
    // The legacy rename rule leaves trigger bodies as they are (they name the same table).
    const sqlite = queryRunner.connection.options.type === 'better-sqlite3';
    if (sqlite) await queryRunner.query('PRAGMA legacy_alter_table = ON');
    try {
      for (const column of NEW_CONVERSATION_COLUMNS) if (table.findColumnByName(column)) await queryRunner.dropColumn(table, column);
    } finally {
      if (sqlite) await queryRunner.query('PRAGMA legacy_alter_table = OFF');
    }
  }
}

import { Logger } from '@nestjs/common';
import { MigrationInterface, QueryRunner } from 'typeorm';

import { assertNoLegacySupportChat } from '../legacy/legacy-schema';
import { ensureSupportChatSchema } from '../schema/check-and-create-support-chat-tables';

/**
 * After 0.1.0: `support_conversations.unanswered_candidate_messages` (filled from the messages for existing
 * rows) and its index `ix_support_conversations_unanswered`, which make the staff unread count a read of
 * one index. Additive, like every chat migration: `ensureSupportChatSchema` adds only what is missing.
 */
export class AddUnansweredCandidateMessages1767830400000 implements MigrationInterface {
  name = 'AddUnansweredCandidateMessages1767830400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const logger = new Logger('SupportChatMigration');
    await assertNoLegacySupportChat(queryRunner);
    await ensureSupportChatSchema(queryRunner, (line) => logger.log(line));
  }

  /** Drops the index and the column (the earlier migration's schema). */
  async down(queryRunner: QueryRunner): Promise<void> {
    const table = await queryRunner.getTable('support_conversations');
    if (!table) return;
    const index = table.indices.find((candidate) => candidate.name === 'ix_support_conversations_unanswered');
    if (index) await queryRunner.dropIndex(table, index);
    if (table.findColumnByName('unanswered_candidate_messages')) await queryRunner.dropColumn(table, 'unanswered_candidate_messages');
  }
}

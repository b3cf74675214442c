import { Logger } from '@nestjs/common';
import { MigrationInterface, QueryRunner } from 'typeorm';

import { assertNoLegacySupportChat } from '../legacy/legacy-schema';
import { ensureSupportChatSchema } from '../schema/check-and-create-support-chat-tables';

const COLUMNS = ['last_visible_message_seq', 'waiting_since', 'handling_tier', 'escalated_at'];
const INDEXES = ['ix_support_conversations_queue', 'ix_support_conversations_tier_activity'];

/**
 * Issue 16 part 2 (internal notes, transfer and escalation, unassigned queue): on `support_conversations`
 * the candidate-visible `last_visible_message_seq` (filled from `last_message_seq`), `waiting_since`
 * (filled from the unanswered candidate messages), `handling_tier` and `escalated_at`, with the queue and
 * tier indexes. Additive: `ensureSupportChatSchema` adds only what is missing.
 */
export class AddNotesHandoffQueue1780100000000 implements MigrationInterface {
  name = 'AddNotesHandoffQueue1780100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const logger = new Logger('SupportChatMigration');
    await assertNoLegacySupportChat(queryRunner);
    await ensureSupportChatSchema(queryRunner, (line) => logger.log(line));
  }

  /** Drops the indexes and the columns (the earlier migrations' schema). */
  async down(queryRunner: QueryRunner): Promise<void> {
    const table = await queryRunner.getTable('support_conversations');
    if (!table) return;
    for (const name of INDEXES) {
      const index = table.indices.find((candidate) => candidate.name === name);
      if (index) await queryRunner.dropIndex(table, index);
    }
    for (const column of COLUMNS) if (table.findColumnByName(column)) await queryRunner.dropColumn(table, column);
  }
}

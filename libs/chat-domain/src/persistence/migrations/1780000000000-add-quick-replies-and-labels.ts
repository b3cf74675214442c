import { Logger } from '@nestjs/common';
import { MigrationInterface, QueryRunner } from 'typeorm';

import { assertNoLegacySupportChat } from '../legacy/legacy-schema';
import { ensureSupportChatSchema } from '../schema/check-and-create-support-chat-tables';

/** The tables of quick replies and labels (issue 16, part 1). */
const TABLES = ['support_conversation_labels', 'support_labels', 'support_quick_replies'] as const;

/**
 * Issue 16, part 1: `support_quick_replies`, `support_labels` and `support_conversation_labels`. Additive,
 * like every chat migration: `ensureSupportChatSchema` adds only what is missing.
 */
export class AddQuickRepliesAndLabels1780000000000 implements MigrationInterface {
  name = 'AddQuickRepliesAndLabels1780000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const logger = new Logger('SupportChatMigration');
    await assertNoLegacySupportChat(queryRunner);
    await ensureSupportChatSchema(queryRunner, (line) => logger.log(line));
  }

  /** Drops the three tables (conversation labels first: they reference the other two). */
  async down(queryRunner: QueryRunner): Promise<void> {
    for (const name of TABLES) {
      if (await queryRunner.hasTable(name)) await queryRunner.dropTable(name, true, true, true);
    }
  }
}

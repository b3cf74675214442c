import { Logger } from '@nestjs/common';
import { MigrationInterface, QueryRunner } from 'typeorm';

import { assertNoLegacySupportChat } from '../legacy/legacy-schema';
import { ensureSupportChatSchema } from '../schema/check-and-create-support-chat-tables';

/**
 * Issue 17 (part 2): `support_email_notifications` (the outbox of "e-mail when away") and
 * `support_chat_preferences` (a user's opt-out). Additive, like every chat migration.
 */
export class AddAwayEmailAndPreferences1780400000000 implements MigrationInterface {
  name = 'AddAwayEmailAndPreferences1780400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const logger = new Logger('SupportChatMigration');
    await assertNoLegacySupportChat(queryRunner);
    await ensureSupportChatSchema(queryRunner, (line) => logger.log(line));
  }

  /** Drops the two tables (the earlier migrations' schema). */
  async down(queryRunner: QueryRunner): Promise<void> {
    for (const name of ['support_chat_preferences', 'support_email_notifications']) {
      if (await queryRunner.hasTable(name)) await queryRunner.dropTable(name, true, true, true);
    }
  }
}

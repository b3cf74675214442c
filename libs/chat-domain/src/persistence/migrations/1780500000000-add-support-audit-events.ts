import { Logger } from '@nestjs/common';
import { MigrationInterface, QueryRunner } from 'typeorm';

import { assertNoLegacySupportChat } from '../legacy/legacy-schema';
import { ensureSupportChatSchema } from '../schema/check-and-create-support-chat-tables';

/**
 * Issue 18: the audit trail's table `support_audit_events` and its indexes. Additive, like every chat
 * migration: `ensureSupportChatSchema` adds only what is missing.
 */
export class AddSupportAuditEvents1780500000000 implements MigrationInterface {
  name = 'AddSupportAuditEvents1780500000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const logger = new Logger('SupportChatMigration');
    await assertNoLegacySupportChat(queryRunner);
    await ensureSupportChatSchema(queryRunner, (line) => logger.log(line));
  }

  /** Drops the audit table (and every entry in it): only for `migration:revert`. */
  async down(queryRunner: QueryRunner): Promise<void> {
    if (await queryRunner.hasTable('support_audit_events')) await queryRunner.dropTable('support_audit_events', true, true, true);
  }
}

import { Logger } from '@nestjs/common';
import { MigrationInterface, QueryRunner } from 'typeorm';

import { assertNoLegacySupportChat } from '../legacy/legacy-schema';
import { ensureSupportChatSchema } from '../schema/check-and-create-support-chat-tables';
import { SUPPORT_CHAT_SCHEMA } from '../schema/support-chat.schema';

/**
 * Creates the chat's tables, columns and indexes for hosts that manage their schema with TypeORM
 * migrations instead of the start-up check.
 *
 * It builds the DDL from the same `SUPPORT_CHAT_SCHEMA` through the same `ensureSupportChatSchema()` as
 * `checkAndCreateSupportChatTables()`, so both ways produce the same schema (proved per dialect by
 * `test/dialects/schema-agreement.spec.ts`). Like the start-up check it is additive and idempotent:
 * on a database where the start-up check already ran, it records itself and changes nothing.
 *
 * A later schema change gets its own migration class (again calling `ensureSupportChatSchema`, which
 * only adds what is missing); this one is never edited once released.
 */
export class CreateSupportChatSchema1767225600000 implements MigrationInterface {
  name = 'CreateSupportChatSchema1767225600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const logger = new Logger('SupportChatMigration');
    await assertNoLegacySupportChat(queryRunner);
    await ensureSupportChatSchema(queryRunner, (line) => logger.log(line));
  }

  /** Drops the chat's three tables (and with them every conversation): only for `migration:revert`. */
  async down(queryRunner: QueryRunner): Promise<void> {
    for (const spec of [...SUPPORT_CHAT_SCHEMA].reverse()) {
      if (await queryRunner.hasTable(spec.name)) await queryRunner.dropTable(spec.name, true, true, true);
    }
  }
}

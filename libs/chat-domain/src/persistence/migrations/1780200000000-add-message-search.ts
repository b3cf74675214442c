import { Logger } from '@nestjs/common';
import { MigrationInterface, QueryRunner } from 'typeorm';

import { assertNoLegacySupportChat } from '../legacy/legacy-schema';
import { ensureSupportChatSchema } from '../schema/check-and-create-support-chat-tables';
import { assertSupportedDialect } from '../schema/dialect-column-types';
import { dropMessageSearchIndex } from '../schema/message-search-index';

/**
 * Issue 16: full-text search over the messages (`message-search-index.ts`: FTS5 table and trigger on
 * SQLite, GIN index on PostgreSQL, FULLTEXT on MariaDB, a full-text index on SQL Server when installed),
 * indexing the existing messages once. Additive: `ensureSupportChatSchema` adds only what is missing.
 */
export class AddMessageSearch1780200000000 implements MigrationInterface {
  name = 'AddMessageSearch1780200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const logger = new Logger('SupportChatMigration');
    await assertNoLegacySupportChat(queryRunner);
    await ensureSupportChatSchema(queryRunner, (line) => logger.log(line));
  }

  /** Drops the search index (messages are untouched). */
  async down(queryRunner: QueryRunner): Promise<void> {
    await dropMessageSearchIndex(queryRunner, assertSupportedDialect(queryRunner.connection.options.type));
  }
}

/**
 * The DataSource the TypeORM CLI uses (`npm run db:migrate`, or
 * `tsx node_modules/typeorm/cli.js migration:show -d apps/api/src/database/typeorm-cli.datasource.ts`).
 *
 * Same `DATABASE_URL` as the API (default: the demo's SQLite file). The schema is never synchronised
 * from entities; the chat's migrations build the same tables as its start-up check, and the runs are
 * recorded in an explicit table, `support_chat_migrations`, so they cannot collide with a host's own
 * `migrations` table. The demo host's `users` table is created by the host at start-up, not here.
 */
import 'reflect-metadata';

import { SUPPORT_CHAT_ENTITIES, SUPPORT_CHAT_MIGRATIONS, SUPPORT_CHAT_MIGRATIONS_TABLE } from '@support-chat/chat-domain';
import { DataSource } from 'typeorm';

import { DEFAULT_DATABASE_URL, parseDatabaseUrl } from './database-url';

export default new DataSource({
  ...parseDatabaseUrl(process.env.DATABASE_URL || DEFAULT_DATABASE_URL),
  entities: [...SUPPORT_CHAT_ENTITIES],
  migrations: [...SUPPORT_CHAT_MIGRATIONS],
  migrationsTableName: SUPPORT_CHAT_MIGRATIONS_TABLE,
  migrationsRun: false,
  synchronize: false,
});

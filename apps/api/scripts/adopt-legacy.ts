/**
 * `npm run db:adopt-legacy`: adopts a database that holds the original (Flask) support chat's tables
 * (see `adoptLegacySupportChat` in the chat module). Same `DATABASE_URL` as the API. Safe to run again:
 * a finished adoption is not repeated, and an interrupted one resumes at the step that did not finish.
 */
import 'reflect-metadata';

import { adoptLegacySupportChat, SUPPORT_CHAT_ENTITIES } from '@support-chat/chat-domain';
import { DataSource } from 'typeorm';

import { DEFAULT_DATABASE_URL, parseDatabaseUrl, redactUrl } from '../src/database/database-url';

async function main(): Promise<void> {
  const url = process.env.DATABASE_URL || DEFAULT_DATABASE_URL;
  console.log(`Adopting the original support chat tables in ${redactUrl(url)}`);
  const dataSource = await new DataSource({ ...parseDatabaseUrl(url), entities: [...SUPPORT_CHAT_ENTITIES], synchronize: false }).initialize();
  try {
    const report = await adoptLegacySupportChat(dataSource, { log: (line) => console.log(`  ${line}`) });
    const { conversations, participants, messages } = report.counts;
    if (report.outcome === 'adopted') console.log(`Done: ${conversations} conversations, ${participants} participants, ${messages} messages verified.`);
    else if (report.outcome === 'already-adopted') console.log('Nothing to do: this database was adopted before.');
    else console.log('Nothing to do: no tables of the original support chat here.');
  } finally {
    await dataSource.destroy();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});

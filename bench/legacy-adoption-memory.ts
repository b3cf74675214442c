/**
 * Peak memory of adopting one conversation with many messages (SQLite file):
 * `tsx bench/legacy-adoption-memory.ts [messages] [module]`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import BetterSqlite3 from 'better-sqlite3';
import { DataSource } from 'typeorm';

import { SUPPORT_CHAT_ENTITIES } from '../libs/chat-domain/src/persistence/entities';
import { createLegacyDatabase } from '../libs/chat-domain/src/testing/legacy-database';

async function main(): Promise<void> {
  const count = Number(process.argv[2] ?? 300_000);
  const modulePath = process.argv[3] ?? '../libs/chat-domain/src/persistence/legacy/adopt-legacy-support-chat';
  const dir = mkdtempSync(join(tmpdir(), 'legacy-memory-'));
  const file = join(dir, 'db.sqlite');
  const dataSource = new DataSource({ type: 'better-sqlite3', driver: BetterSqlite3, database: file, entities: [...SUPPORT_CHAT_ENTITIES] });
  await dataSource.initialize();
  try {
    await createLegacyDatabase(dataSource, { empty: true, withUsers: false });
    const raw = new BetterSqlite3(file);
    raw
      .prepare(
        "INSERT INTO support_conversations (id, candidate_user_id, current_handler_role, status, priority, created_at, updated_at, last_message_at) VALUES (1, 'c', 'support', 'open', 'normal', '2025-01-01 00:00:00.000000', '2025-01-01 00:00:00.000000', '2025-01-01 00:00:00.000000')",
      )
      .run();
    const insert = raw.prepare(
      "INSERT INTO support_messages (id, conversation_id, sender_user_id, content, message_type, created_at) VALUES (?, 1, ?, ?, 'text', ?)",
    );
    raw.transaction(() => {
      for (let i = 1; i <= count; i++) {
        const at = new Date(Date.UTC(2025, 0, 1) + i * 1000).toISOString().replace('T', ' ').replace('Z', '000');
        insert.run(i, i % 2 ? 'c' : 's', `Mensaje número ${i} con algo de texto para que pese como uno real 🙂`, at);
      }
    })();
    raw.close();
    const { adoptLegacySupportChat } = (await import(modulePath)) as typeof import('../libs/chat-domain/src/persistence/legacy/adopt-legacy-support-chat');
    global.gc?.();
    const base = process.memoryUsage().heapUsed;
    let peak = base;
    const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().heapUsed)), 20);
    const report = await adoptLegacySupportChat(dataSource, { log: () => (peak = Math.max(peak, process.memoryUsage().heapUsed)) });
    clearInterval(timer);
    console.log(`${report.counts.messages} messages adopted; peak heap growth ${Math.round((peak - base) / 1e6)} MB`);
  } finally {
    await dataSource.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();

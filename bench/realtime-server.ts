/**
 * One chat instance for the benchmark, in its own process (like production): test bearer auth
 * (`Authorization: Bearer <user id>`), SQLite file in WAL mode, Redis when `--redis` is given, Nest's
 * Express adapter unless `--http-adapter fastify`; with `--users-from-db` the directory holds the users of
 * the database's `users` table (one seeded by `npm run bench`) instead of generated ones.
 * Prints `READY <url>`; answers `mem` on stdin with `MEM <json>` (after a GC when run with --expose-gc).
 */
import Database from 'better-sqlite3';
import { createInterface } from 'node:readline';

import { startRealtimeInstance } from '../libs/chat-domain/src/realtime/testing/realtime-test-kit';
import type { TestHttpAdapter } from '../libs/chat-domain/src/testing/http-adapter';
import type { ChatUserRecord } from '../libs/chat-domain/src/users/chat-user-directory';
import { benchUsers } from './realtime-bench-users';

function usersOf(file: string): ChatUserRecord[] {
  const db = new Database(file, { readonly: true });
  try {
    const rows = db.prepare('SELECT id, role, full_name, is_active, username, email FROM users').all() as (Omit<ChatUserRecord, 'is_active'> & {
      is_active: number;
    })[];
    return rows.map((row) => ({ ...row, is_active: row.is_active === 1 }));
  } finally {
    db.close();
  }
}

async function main(): Promise<void> {
  const arg = (name: string) => {
    const index = process.argv.indexOf(`--${name}`);
    return index >= 0 ? process.argv[index + 1] : undefined;
  };
  const { candidates, agents } = benchUsers(Number(arg('candidates') ?? 100), Number(arg('agents') ?? 100));
  const redisUrl = arg('redis');
  const instance = await startRealtimeInstance({
    dbFile: arg('db')!,
    users: process.argv.includes('--users-from-db') ? usersOf(arg('db')!) : [...candidates, ...agents],
    httpAdapter: (arg('http-adapter') ?? 'express') as TestHttpAdapter,
    // Open-connection limits off: the benchmark holds many streams per user (the abuse limits are tested elsewhere).
    realtime: { maxStreamsPerUser: 0, maxSocketsPerUser: 0, ...(redisUrl ? { redisUrl, redisKeyPrefix: arg('prefix') ?? 'support-chat-bench' } : {}) },
    logger: process.argv.includes('--logs'),
    ownProcess: true,
  });
  console.log(`READY ${instance.url}`);
  createInterface({ input: process.stdin }).on('line', (line) => {
    if (line.trim() !== 'mem') return;
    const gc = (globalThis as { gc?: () => void }).gc;
    gc?.();
    gc?.();
    const usage = process.memoryUsage();
    console.log(`MEM ${JSON.stringify({ rss: usage.rss, heapUsed: usage.heapUsed, external: usage.external, arrayBuffers: usage.arrayBuffers })}`);
  });
  const stop = async () => {
    await instance.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop());
  process.on('SIGINT', () => void stop());
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

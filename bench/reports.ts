/**
 * Reports benchmark (issue 18): `ReportsService` summary (overall / agent / label) and volume for a
 * 30-day period on a seeded database (default 10,000 conversations / 500,000 messages), in process on
 * SQLite, one call at a time. The seed writes no maintained values, so this script fills
 * first response, resolution and rating on every conversation (as the services keep them) before timing.
 *
 *   npx tsx bench/reports.ts                                   # 10k conversations / 500k messages
 *   npx tsx bench/reports.ts --messages 50000 --requests 30    # smaller
 *
 * Budget: p50 <= 200 ms per report. Prints p50/p99; figures go to bench/README.md.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

import BetterSqlite3 from 'better-sqlite3';

import { DataSource } from 'typeorm';

import { DEFAULT_SUPPORT_CHAT_CONFIG } from '../libs/chat-domain/src/config/support-chat.config';
import { parseWeeklySchedule } from '../libs/chat-domain/src/domain/business-hours';
import { SUPPORT_CHAT_ENTITIES } from '../libs/chat-domain/src/persistence/entities';
import { ChatStatements } from '../libs/chat-domain/src/persistence/repositories/chat-statements';
import { ReportRepository } from '../libs/chat-domain/src/persistence/repositories/report.repository';
import { ReportsService } from '../libs/chat-domain/src/reports/reports.service';
import { BusinessHoursService } from '../libs/chat-domain/src/service-hours/business-hours.service';
import { TEST_USERS } from '../libs/chat-domain/src/testing/chat-test-app';
import { InMemoryUserDirectory } from '../libs/chat-domain/src/testing/in-memory-user-directory';
import { UserLookup } from '../libs/chat-domain/src/users/user-lookup';
import { sqliteDatetime, seed } from './seed';

const BUDGET_P50_MS = 200;
const WORK_DIR = join(__dirname, '..', 'tmp', 'bench');

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      messages: { type: 'string', default: '500000' },
      conversations: { type: 'string', default: '10000' },
      requests: { type: 'string', default: '50' },
    },
  });
  const messages = Number(values.messages);
  const conversations = Number(values.conversations);
  const requests = Number(values.requests);
  mkdirSync(WORK_DIR, { recursive: true });
  const file = join(WORK_DIR, `reports_${messages}.sqlite`);
  for (const suffix of ['', '-wal', '-shm']) rmSync(file + suffix, { force: true });

  console.log(`seeding ${messages.toLocaleString('en')} messages in ${conversations.toLocaleString('en')} conversations (sqlite) ...`);
  const report = await seed({ db: `sqlite:${file}`, candidates: conversations, staff: 20, conversations, messages, deep: 0, log: () => undefined });
  console.log(`seeded in ${report.seconds.toFixed(0)} s`);

  // The maintained values, spread over the last 30 days (deterministic).
  const db = new BetterSqlite3(file);
  const rows = db.prepare('SELECT id, created_at, status FROM support_conversations').all() as { id: string; created_at: string; status: string }[];
  const update = db.prepare(
    'UPDATE support_conversations SET created_at = ?, first_candidate_message_at = ?, first_response_at = ?, resolved_at = ?, latest_rating = ? WHERE id = ?',
  );
  const now = Date.now();
  db.transaction(() => {
    rows.forEach((row, index) => {
      const created = now - ((index * 7919) % (30 * 24 * 60)) * 60_000;
      const firstResponse = created + ((index * 131) % 600) * 60_000;
      const resolved = row.status === 'open' ? null : Math.min(now, firstResponse + ((index * 53) % 3000) * 60_000);
      update.run(
        sqliteDatetime(new Date(created)),
        sqliteDatetime(new Date(created)),
        sqliteDatetime(new Date(firstResponse)),
        resolved === null ? null : sqliteDatetime(new Date(resolved)),
        resolved === null ? null : 1 + (index % 5),
        row.id,
      );
    });
  })();
  db.close();

  // Wired by hand (tsx emits no decorator metadata for Nest's injector); the real repository and service.
  const dataSource = new DataSource({ type: 'better-sqlite3', driver: BetterSqlite3, database: file, entities: [...SUPPORT_CHAT_ENTITIES] });
  await dataSource.initialize();
  const hours = { timeZone: 'America/Mexico_City', weekly: parseWeeklySchedule('mon-fri 09:00-18:00'), holidays: [] as string[] };
  const businessHours = { current: async () => ({ settings: null, hours, updatedAt: null }) } as unknown as BusinessHoursService;
  const users = new UserLookup(new InMemoryUserDirectory(Object.values(TEST_USERS)));
  const kit = {
    reports: new ReportsService(DEFAULT_SUPPORT_CHAT_CONFIG, new ReportRepository(new ChatStatements(dataSource)), businessHours, users),
    close: () => dataSource.destroy(),
  };
  try {
    const reports = kit.reports;
    const manager = { id: TEST_USERS.manager1.id, role: 'gerente', full_name: 'Gerente', kind: 'staff' as const, supervisor: true };
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'America/Mexico_City' }).format(new Date());
    const start = new Date(Date.parse(`${today}T12:00:00Z`) - 29 * 86_400_000).toISOString().slice(0, 10);
    const period = { from: start, to: today };
    const scenarios: { name: string; run: () => Promise<unknown> }[] = [
      { name: 'summary overall, 30 days', run: () => reports.summary(manager, { ...period, group_by: 'overall' }) },
      { name: 'summary per agent, 30 days', run: () => reports.summary(manager, { ...period, group_by: 'agent' }) },
      { name: 'summary per label, 30 days', run: () => reports.summary(manager, { ...period, group_by: 'label' }) },
      { name: 'volume per day, 30 days', run: () => reports.volume(manager, period) },
    ];
    let met = true;
    console.log('| report | p50 ms | p99 ms | budget p50 <= 200 ms |');
    console.log('| --- | --- | --- | --- |');
    for (const scenario of scenarios) {
      const times: number[] = [];
      for (let i = 0; i < requests + 3; i++) {
        const started = performance.now();
        await scenario.run();
        if (i >= 3) times.push(performance.now() - started);
      }
      times.sort((a, b) => a - b);
      const p50 = percentile(times, 50);
      met &&= p50 <= BUDGET_P50_MS;
      console.log(`| ${scenario.name} | ${p50.toFixed(1)} | ${percentile(times, 99).toFixed(1)} | ${p50 <= BUDGET_P50_MS ? 'met' : 'NOT met'} |`);
    }
    const overall = (await reports.summary(manager, { ...period })).rows[0];
    console.log(`overall: opened ${overall.opened}, resolved ${overall.resolved}, first response median ${overall.first_response.median_minutes} min`);
    return met ? 0 : 1;
  } finally {
    await kit.close().catch(() => undefined);
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(2);
  },
);

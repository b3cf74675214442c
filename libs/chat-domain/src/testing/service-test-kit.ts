import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { Type } from '@nestjs/common';
import { Test, TestingModule } from '@nestjs/testing';
import BetterSqlite3 from 'better-sqlite3';
import { DataSource } from 'typeorm';

import { ChatActor } from '../auth/chat-actor';
import { loadSupportChatConfig, SUPPORT_CHAT_CONFIG, SupportChatConfig } from '../config/support-chat.config';
import { ChatEvent, ChatEventBus } from '../events/chat-events';
import { SUPPORT_CHAT_LIMITS_CONFIG, SUPPORT_CHAT_LIMITS_DISABLED, SupportChatLimitsConfig } from '../limits/abuse-limits.config';
import { SUPPORT_CHAT_ENTITIES } from '../persistence/entities';
import { checkAndCreateSupportChatTables } from '../persistence/schema/check-and-create-support-chat-tables';
import { bindIntegerParametersOnSqlite } from '../persistence/sqlite-integer-parameters';
import { CHAT_DATA_SOURCE } from '../persistence/tokens';
import { DEFAULT_SERVICE_HOURS_CONFIG, ServiceHoursConfig, SUPPORT_CHAT_SERVICE_HOURS_CONFIG } from '../service-hours/service-hours.config';
import { SUPPORT_CHAT_PROVIDERS } from '../support-chat.providers';
import { CHAT_USER_DIRECTORY } from '../users/chat-user-directory';
import { TEST_USERS, TestUserKey } from './chat-test-app';
import { InMemoryUserDirectory } from './in-memory-user-directory';

export interface ServiceTestKit {
  module: TestingModule;
  dataSource: DataSource;
  /** Every event the services published, in order. */
  events: ChatEvent[];
  get<T>(type: Type<T>): T;
  /** A test user as the services see the caller. */
  actor(user: TestUserKey): ChatActor;
  close(): Promise<void>;
}

/**
 * The chat's services and real repositories on a fresh SQLite file, without HTTP, controllers or
 * realtime (immich's `test/medium` tier): a rule is checked by calling the service that owns it.
 */
export async function newTestService(
  options: {
    config?: Partial<SupportChatConfig>;
    limits?: Partial<SupportChatLimitsConfig>;
    serviceHours?: Partial<ServiceHoursConfig>;
    /** An existing SQLite file to share with another kit (two "instances" of the chat on one database). */
    databaseFile?: string;
  } = {},
): Promise<ServiceTestKit> {
  const tempDir = mkdtempSync(join(tmpdir(), 'support-chat-service-'));
  const dataSource = new DataSource({
    type: 'better-sqlite3',
    driver: BetterSqlite3,
    database: options.databaseFile ?? join(tempDir, 'chat.sqlite'),
    entities: [...SUPPORT_CHAT_ENTITIES],
  });
  await dataSource.initialize();
  bindIntegerParametersOnSqlite(dataSource);
  await checkAndCreateSupportChatTables(dataSource, { log: () => undefined });

  const module = await Test.createTestingModule({
    providers: [
      { provide: CHAT_DATA_SOURCE, useValue: dataSource },
      { provide: SUPPORT_CHAT_CONFIG, useValue: loadSupportChatConfig({}, options.config) },
      {
        provide: SUPPORT_CHAT_SERVICE_HOURS_CONFIG,
        // Always open unless a test sets the hours: no automatic reply depending on when the suite runs.
        useValue: {
          ...DEFAULT_SERVICE_HOURS_CONFIG,
          defaults: { ...DEFAULT_SERVICE_HOURS_CONFIG.defaults, weeklyHours: 'mon-sun 00:00-24:00' },
          ...options.serviceHours,
        },
      },
      { provide: SUPPORT_CHAT_LIMITS_CONFIG, useValue: { ...SUPPORT_CHAT_LIMITS_DISABLED, ...options.limits } },
      { provide: CHAT_USER_DIRECTORY, useValue: new InMemoryUserDirectory(Object.values(TEST_USERS)) },
      ...SUPPORT_CHAT_PROVIDERS,
    ],
  }).compile();
  const events: ChatEvent[] = [];
  module.get(ChatEventBus).events$.subscribe((event) => events.push(event));

  return {
    module,
    dataSource,
    events,
    get: (type) => module.get(type),
    actor: (user) => {
      const record = TEST_USERS[user];
      if (record.role === 'gerente') return { id: record.id, role: record.role, full_name: record.full_name, kind: 'staff', supervisor: true };
      return { id: record.id, role: record.role, full_name: record.full_name, kind: record.role === 'candidato' ? 'candidate' : 'staff' };
    },
    close: async () => {
      await module.close();
      await dataSource.destroy();
      rmSync(tempDir, { recursive: true, force: true });
    },
  };
}

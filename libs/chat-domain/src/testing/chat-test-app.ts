import { CanActivate, ExecutionContext, INestApplication, Injectable, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import BetterSqlite3 from 'better-sqlite3';
import { getDataSourceToken, TypeOrmModule } from '@nestjs/typeorm';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { DataSource, DataSourceOptions, Logger } from 'typeorm';

import { ChatExceptionFilter } from '../errors/chat-exception.filter';
import { SUPPORT_CHAT_LIMITS_DISABLED } from '../limits/abuse-limits.config';
import { SUPPORT_CHAT_ENTITIES } from '../persistence/entities';
import { SupportChatModule, SupportChatModuleOptions } from '../support-chat.module';
import { CHAT_USER_DIRECTORY, ChatUserRecord } from '../users/chat-user-directory';
import { adoptLegacySupportChat } from '../persistence/legacy/adopt-legacy-support-chat';
import { createTestNestApplication, TestHttpAdapter, testHttpAdapter, whenRoutesReady } from './http-adapter';
import { InMemoryUserDirectory } from './in-memory-user-directory';
import { createLegacyDatabase } from './legacy-database';
import { createTestDatabase } from './test-database';

/** The users every chat test can act as. */
/**
 * Business hours for tests: always open, so that no automatic reply (issue 17) adds timeline lines
 * depending on the hour the suite runs. Tests of the schedule set their own.
 */
export const ALWAYS_OPEN_ENV = { SUPPORT_CHAT_BUSINESS_HOURS: 'mon-sun 00:00-24:00' } as const;

export const TEST_USERS = {
  candidate1: {
    id: 'c0000000-0000-4000-8000-000000000001',
    role: 'candidato',
    full_name: 'Carla Candidata',
    is_active: true,
    username: 'candidato1',
    email: 'carla@example.com',
  },
  candidate2: {
    id: 'c0000000-0000-4000-8000-000000000002',
    role: 'candidato',
    full_name: 'Carlos Candidato',
    is_active: true,
    username: 'candidato2',
    email: 'carlos@example.com',
  },
  support1: {
    id: 's0000000-0000-4000-8000-000000000001',
    role: 'soporte',
    full_name: 'Sofía Soporte',
    is_active: true,
    username: 'soporte1',
    email: 'sofia@example.com',
  },
  support2: {
    id: 's0000000-0000-4000-8000-000000000002',
    role: 'soporte',
    full_name: 'Saúl Soporte',
    is_active: true,
    username: 'soporte2',
    email: 'saul@example.com',
  },
  coordinator1: {
    id: 'k0000000-0000-4000-8000-000000000001',
    role: 'coordinator',
    full_name: 'Karla Coordinadora',
    is_active: true,
    username: 'coordinador1',
    email: 'karla@example.com',
  },
  admin1: { id: 'a0000000-0000-4000-8000-000000000001', role: 'admin', full_name: 'Ana Admin', is_active: true, username: 'admin1', email: 'ana@example.com' },
  developer1: {
    id: 'd0000000-0000-4000-8000-000000000001',
    role: 'developer',
    full_name: 'Diego Developer',
    is_active: true,
    username: 'developer1',
    email: 'diego@example.com',
  },
  manager1: {
    id: 'g0000000-0000-4000-8000-000000000001',
    role: 'gerente',
    full_name: 'Gerardo Gerente',
    is_active: true,
    username: 'gerente1',
    email: 'gerardo@example.com',
  },
  /** A role in none of the chat's lists (candidate, staff, supervisor): 403 `forbidden_role` everywhere. */
  guest1: {
    id: 'e0000000-0000-4000-8000-000000000001',
    role: 'invitado',
    full_name: 'Iván Invitado',
    is_active: true,
    username: 'invitado1',
    email: 'ivan@example.com',
  },
  inactiveCandidate: {
    id: 'c0000000-0000-4000-8000-00000000dead',
    role: 'candidato',
    full_name: 'Inés Inactiva',
    is_active: false,
    username: 'inactiva',
    email: 'ines@example.com',
  },
} satisfies Record<string, ChatUserRecord>;

export type TestUserKey = keyof typeof TEST_USERS;

/** Test-only authentication: `Authorization: Bearer <user id>[;exp=<seconds since the epoch>]`; anything else is unauthenticated. */
@Injectable()
class BearerUserIdGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const req = context.switchToHttp().getRequest<{ headers: Record<string, string | undefined>; user?: { id: string; exp?: number } }>();
    // `Bearer <user id>`, or `Bearer <user id>;exp=<seconds since the epoch>` for a credential that expires.
    const match = /^Bearer ([^;]+)(?:;exp=(\d+(?:\.\d+)?))?$/.exec(req.headers.authorization ?? '');
    if (!match) return false;
    if (match[2] !== undefined && Number(match[2]) * 1000 <= Date.now()) return false;
    req.user = match[2] === undefined ? { id: match[1] } : { id: match[1], exp: Number(match[2]) };
    return true;
  }
}

@Module({ providers: [InMemoryUserDirectory], exports: [InMemoryUserDirectory] })
class TestUsersModule {}

/** Counts the SQL statements TypeORM sends, to prove query budgets. */
export class QueryCounter implements Logger {
  statements: string[] = [];
  /** Every statement sent, transaction control included: on a server database each one is a network round trip. */
  roundTrips: string[] = [];

  logQuery(query: string): void {
    this.roundTrips.push(query);
    // Transaction control is bookkeeping, not work the endpoint asked the database to do.
    if (!/^(BEGIN|COMMIT|ROLLBACK|START TRANSACTION|SET TRANSACTION|SAVEPOINT|RELEASE)/i.test(query)) this.statements.push(query);
  }
  logQueryError(): void {}
  logQuerySlow(): void {}
  logSchemaBuild(): void {}
  logMigration(): void {}
  log(): void {}

  async during<T>(work: () => Promise<T>): Promise<{ result: T; statements: string[]; roundTrips: string[] }> {
    const start = this.statements.length;
    const startTrips = this.roundTrips.length;
    const result = await work();
    return { result, statements: this.statements.slice(start), roundTrips: this.roundTrips.slice(startTrips) };
  }
}

export interface ChatTestApp {
  app: INestApplication;
  dataSource: DataSource;
  users: InMemoryUserDirectory;
  queries: QueryCounter;
  /** A supertest agent acting as the given user (or anonymous). */
  as(user: TestUserKey | null): ReturnType<typeof actingAs>;
  /** Like `as`, for an arbitrary user id (e.g. one the directory does not know). */
  asUserId(userId: string): ReturnType<typeof actingAs>;
  close(): Promise<void>;
}

function actingAs(app: INestApplication, userId: string | null) {
  const http = request(app.getHttpServer());
  const auth = <T extends request.Test>(test: T): T => (userId ? test.set('Authorization', `Bearer ${userId}`) : test);
  return {
    get: (url: string) => auth(http.get(url)),
    post: (url: string) => auth(http.post(url)),
    patch: (url: string) => auth(http.patch(url)),
    put: (url: string) => auth(http.put(url)),
    delete: (url: string) => auth(http.delete(url)),
  };
}

/**
 * Boots the chat module alone on a real database: a fresh SQLite file by default, or the database in
 * `SUPPORT_CHAT_TEST_DATABASE` options (used by the PostgreSQL/MariaDB runs).
 */
export async function createChatTestApp(
  options: { chat?: SupportChatModuleOptions; database?: DataSourceOptions; httpAdapter?: TestHttpAdapter } = {},
): Promise<ChatTestApp> {
  const queries = new QueryCounter();
  const tempDir = mkdtempSync(join(tmpdir(), 'support-chat-test-'));
  // SUPPORT_CHAT_TEST_DB=postgres|mariadb|mssql: a fresh server database for this app (null on SQLite).
  const serverDatabase = options.database ? null : await createTestDatabase();
  const database: DataSourceOptions = options.database ??
    serverDatabase?.options ?? { type: 'better-sqlite3', driver: BetterSqlite3, database: join(tempDir, 'chat.sqlite') };
  // SUPPORT_CHAT_TEST_ON_ADOPTED_LEGACY=true: every test runs on a database that held the original
  // module's (empty) tables and was adopted, instead of one the start-up check created.
  if (!options.database && /^(true|1)$/i.test(process.env.SUPPORT_CHAT_TEST_ON_ADOPTED_LEGACY ?? '')) {
    const legacy = await new DataSource({ ...database, entities: [...SUPPORT_CHAT_ENTITIES] } as DataSourceOptions).initialize();
    try {
      await createLegacyDatabase(legacy, { empty: true });
      await adoptLegacySupportChat(legacy);
    } finally {
      await legacy.destroy();
    }
  }

  const moduleRef = await Test.createTestingModule({
    imports: [
      TypeOrmModule.forRoot({ ...database, entities: [...SUPPORT_CHAT_ENTITIES], synchronize: false, retryAttempts: 0, logging: ['query'], logger: queries }),
      SupportChatModule.forRoot({
        imports: [TestUsersModule],
        userDirectory: InMemoryUserDirectory,
        authGuard: BearerUserIdGuard,
        // Abuse limits are off unless a test asks for them (many tests send more than a user may per minute).
        // A test's own variables add to "always open" rather than replace it (else the clock decides).
        options: {
          ...options.chat,
          env: { ...ALWAYS_OPEN_ENV, ...options.chat?.env },
          limits: { ...SUPPORT_CHAT_LIMITS_DISABLED, ...options.chat?.limits },
        },
      }),
    ],
  })
    .overrideProvider(CHAT_USER_DIRECTORY)
    .useValue(new InMemoryUserDirectory(Object.values(TEST_USERS)))
    .compile();

  const app = await createTestNestApplication(moduleRef, testHttpAdapter(options.httpAdapter));
  app.setGlobalPrefix('api');
  app.useGlobalFilters(new ChatExceptionFilter());
  await app.init();
  await whenRoutesReady(app);

  const users = app.get<InMemoryUserDirectory>(CHAT_USER_DIRECTORY);
  return {
    app,
    dataSource: app.get(getDataSourceToken()),
    users,
    queries,
    as: (user) => actingAs(app, user ? TEST_USERS[user].id : null),
    asUserId: (userId) => actingAs(app, userId),
    close: async () => {
      await app.close();
      await serverDatabase?.drop();
      rmSync(tempDir, { recursive: true, force: true });
    },
  };
}

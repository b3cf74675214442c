/**
 * Boots the real demo host (auth, users, chat, health) on a fresh SQLite file for HTTP tests.
 *
 * ```ts
 * const t = await createTestApp();
 * const token = await t.loginAs('candidato1');          // demo accounts, password Demo1234!
 * await t.as('soporte1').get('/api/support/chat/conversations').expect(200);
 * await t.http.get('/api/health').expect(200);            // anonymous
 * await t.close();
 * ```
 *
 * Each call gets its own temporary directory, deleted by `close()`. The app is built by the same
 * `createApp()` as production, so prefix, pipes, filter, helmet and body limit are identical.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { DataSource, Logger as TypeOrmLogger } from 'typeorm';

import { createApp } from '../src/app.factory';
import { ApiConfig, Env } from '../src/config/api-config';
import { DEMO_PASSWORD } from '../src/demo/demo-users';
import { UserEntity } from '../src/users/user.entity';
import { NewUser, UsersService } from '../src/users/users.service';

/**
 * Fixed for every test app in the process. Passport keeps strategies in one global registry, so two
 * apps alive at once with different secrets would verify each other's tokens with the wrong key.
 */
export const TEST_JWT_SECRET = 'test-secret-0123456789abcdef0123456789abcdef';

export { DEMO_PASSWORD };

/** Business hours of every test app and test server unless a test overrides them: always open. */
export const TEST_BUSINESS_HOURS_ENV = { SUPPORT_CHAT_BUSINESS_HOURS: 'mon-sun 00:00-24:00' } as const;

/** The demo accounts created by `DEMO_USERS` (all with `DEMO_PASSWORD`). */
export type DemoUsername = 'candidato1' | 'candidato2' | 'soporte1' | 'admin1' | 'developer1' | 'coordinador1' | 'gerente1';
/** A demo username (autocompleted) or any other username created with `createUser()`. */
export type AnyUsername = DemoUsername | (string & {});

/** Counts the SQL statements TypeORM sends, to prove query budgets. */
export class QueryCounter implements TypeOrmLogger {
  readonly statements: string[] = [];

  logQuery(query: string): void {
    this.statements.push(query);
  }
  logQueryError(): void {}
  logQuerySlow(): void {}
  logSchemaBuild(): void {}
  logMigration(): void {}
  log(): void {}

  /** Runs `work` and returns the statements issued meanwhile (only meaningful when nothing else runs). */
  async during<T>(work: () => Promise<T>): Promise<{ result: T; statements: string[] }> {
    const start = this.statements.length;
    const result = await work();
    return { result, statements: this.statements.slice(start) };
  }
}

export interface TestAppOptions {
  /**
   * Extra environment, on top of the test defaults (`NODE_ENV=test`, `JWT_SECRET=TEST_JWT_SECRET`,
   * `DEMO_USERS=true`, `API_DOCS=false`, `LOG_LEVEL=silent`, login and chat abuse limits off (`LOGIN_RATE_LIMIT_*=100000`,
   * `SUPPORT_CHAT_RATE_LIMIT_*=0`, `SUPPORT_CHAT_MAX_OPEN_CONVERSATIONS_PER_CANDIDATE=0`), business hours
   * always open (`SUPPORT_CHAT_BUSINESS_HOURS=mon-sun 00:00-24:00`: no automatic reply unless a test sets hours),
   * `DATABASE_URL=sqlite:<temp dir>/test.sqlite`).
   * `process.env` is NOT read, so the developer's shell cannot change a test's outcome.
   * Passing `DATABASE_URL` reuses that database and leaves it in place on `close()`.
   */
  env?: Env;
  /** Receives the request log lines (JSON) instead of stdout; set `LOG_LEVEL` in `env` to get any. */
  logDestination?: { write(line: string): void };
  /** Serve Swagger UI at `/api/docs` (default: `API_DOCS`, which the test defaults set to false: faster). */
  swagger?: boolean;
}

type Agent = ReturnType<typeof request>;
type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';
/** A supertest agent whose requests carry a bearer token. */
export type AuthorizedAgent = Record<Method, (url: string) => request.Test>;

export interface TestApp {
  app: NestExpressApplication;
  config: ApiConfig;
  dataSource: DataSource;
  /** The database URL in use (a SQLite file in a temporary directory unless given). */
  databaseUrl: string;
  /** Every SQL statement TypeORM sent, in order. */
  queries: QueryCounter;
  /** Anonymous supertest agent: `t.http.post('/api/auth/login').send({...})`. */
  http: Agent;
  /** Logs in through `POST /api/auth/login` and returns the access token (cached per username). */
  loginAs(username: AnyUsername, password?: string): Promise<string>;
  /** An agent whose requests carry the user's token (`null`: anonymous). Call after `loginAs` or let it log in. */
  as(username: AnyUsername | null): AuthorizedAgent;
  /** Same as `as()`, with a raw token (or a tampered one). */
  withToken(token: string): AuthorizedAgent;
  /** Creates a user directly in the host's store (e.g. an inactive candidate). Password defaults to `DEMO_PASSWORD`. */
  createUser(user: Omit<NewUser, 'password'> & { password?: string }): Promise<UserEntity>;
  /** The host's user store. */
  users: UsersService;
  /** Closes the app and deletes the temporary directory. */
  close(): Promise<void>;
}

export async function createTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const ownDir = options.env?.DATABASE_URL ? null : mkdtempSync(join(tmpdir(), 'support-chat-api-'));
  const databaseUrl = options.env?.DATABASE_URL ?? `sqlite:${join(ownDir!, 'test.sqlite')}`;
  const env: Env = {
    NODE_ENV: 'test',
    JWT_SECRET: TEST_JWT_SECRET,
    DEMO_USERS: 'true',
    API_DOCS: 'false',
    LOG_LEVEL: 'silent',
    LOGIN_RATE_LIMIT_PER_MINUTE: '100000',
    LOGIN_RATE_LIMIT_PER_ACCOUNT_PER_HOUR: '100000',
    SUPPORT_CHAT_RATE_LIMIT_MESSAGES_PER_MINUTE: '0',
    SUPPORT_CHAT_RATE_LIMIT_CONVERSATIONS_PER_HOUR: '0',
    SUPPORT_CHAT_MAX_OPEN_CONVERSATIONS_PER_CANDIDATE: '0',
    SUPPORT_CHAT_RATE_LIMIT_TICKETS_PER_MINUTE: '0',
    SUPPORT_CHAT_RATE_LIMIT_STATUS_CHANGES_PER_MINUTE: '0',
    SUPPORT_CHAT_RATE_LIMIT_TYPING_PER_MINUTE: '0',
    SUPPORT_CHAT_RATE_LIMIT_PRESENCE_PER_MINUTE: '0',
    // Always open unless a test sets the hours: the default (Mon-Fri 09:00-18:00 Mexico City) would add
    // an automatic reply to timelines depending on the hour the suite runs.
    ...TEST_BUSINESS_HOURS_ENV,
    ...options.env,
    DATABASE_URL: databaseUrl,
  };
  const queries = new QueryCounter();
  let app: NestExpressApplication | undefined;
  try {
    const created = await createApp({ env, swagger: options.swagger, dataSourceExtras: { logger: queries }, logDestination: options.logDestination });
    app = created.app;
    const config = created.config;
    const http = request(app.getHttpServer());
    const tokens = new Map<string, string>();
    const users = app.get(UsersService);

    const loginAs = async (username: string, password = DEMO_PASSWORD): Promise<string> => {
      const cached = tokens.get(`${username}\n${password}`);
      if (cached) return cached;
      const response = await http.post('/api/auth/login').send({ username, password });
      if (response.status !== 200) throw new Error(`loginAs(${username}) failed: ${response.status} ${JSON.stringify(response.body)}`);
      const token = (response.body as { access_token: string }).access_token;
      tokens.set(`${username}\n${password}`, token);
      return token;
    };

    const withToken = (token: string | null): AuthorizedAgent => {
      const authorize = (test: request.Test): request.Test => (token === null ? test : test.set('Authorization', `Bearer ${token}`));
      return {
        get: (url) => authorize(http.get(url)),
        post: (url) => authorize(http.post(url)),
        put: (url) => authorize(http.put(url)),
        patch: (url) => authorize(http.patch(url)),
        delete: (url) => authorize(http.delete(url)),
      };
    };

    // `as()` is synchronous for readable tests; the login happens lazily on the first request.
    const as = (username: string | null): AuthorizedAgent => {
      if (username === null) return withToken(null);
      const lazy =
        (method: Method) =>
        (url: string): request.Test => {
          const test = http[method](url);
          const originalThen = test.then.bind(test);
          // supertest sends on `then`/`end`; log in first, then attach the header.
          test.then = ((resolve, reject) =>
            loginAs(username).then(
              (token) => originalThen.call(test.set('Authorization', `Bearer ${token}`), resolve, reject),
              reject,
            )) as request.Test['then'];
          return test;
        };
      return { get: lazy('get'), post: lazy('post'), put: lazy('put'), patch: lazy('patch'), delete: lazy('delete') };
    };

    return {
      app,
      config,
      dataSource: app.get(DataSource),
      databaseUrl,
      queries,
      http,
      loginAs,
      as,
      withToken,
      users,
      createUser: ({ password, ...user }) => users.create({ ...user, password: password ?? DEMO_PASSWORD }),
      close: async () => {
        await app?.close();
        if (ownDir) rmSync(ownDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await app?.close().catch(() => undefined);
    if (ownDir) rmSync(ownDir, { recursive: true, force: true });
    throw error;
  }
}

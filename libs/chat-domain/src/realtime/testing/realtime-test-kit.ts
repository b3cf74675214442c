import { CanActivate, ExecutionContext, INestApplication, Injectable, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Mutex } from 'async-mutex';
import BetterSqlite3 from 'better-sqlite3';
import { ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import http from 'node:http';
import net from 'node:net';
import { io, Socket } from 'socket.io-client';
import { DataSource, EntityManager } from 'typeorm';

import { ChatExceptionFilter } from '../../errors/chat-exception.filter';
import { SUPPORT_CHAT_LIMITS_DISABLED, SupportChatLimitsConfig } from '../../limits/abuse-limits.config';
import { ChatTransactions } from '../../persistence/chat-transactions';
import { SUPPORT_CHAT_ENTITIES } from '../../persistence/entities';
import { CHAT_DATA_SOURCE } from '../../persistence/tokens';
import { SupportChatModule } from '../../support-chat.module';
import { InMemoryUserDirectory } from '../../testing/in-memory-user-directory';
import { createTestNestApplication, TestHttpAdapter, testHttpAdapter } from '../../testing/http-adapter';
import { ALWAYS_OPEN_ENV, TEST_USERS, TestUserKey } from '../../testing/chat-test-app';
import { CHAT_USER_DIRECTORY, ChatUserRecord } from '../../users/chat-user-directory';
import type { RealtimeEventName } from '../realtime-contract';
import { SUPPORT_CHAT_WS_PATH, SupportChatRealtimeOptions } from '../realtime.config';
import { SupportChatIoAdapter } from '../socket/support-chat-io.adapter';

/** Test-only authentication: `Authorization: Bearer <user id>[;exp=<seconds since the epoch>]`. */
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

/**
 * Several instances in one process share one SQLite file: their write transactions must queue on one
 * lock, or better-sqlite3's synchronous busy wait would block the instance holding the lock.
 */
const fileLocks = new Map<string, Mutex>();

export interface RealtimeInstance {
  app: INestApplication;
  dataSource: DataSource;
  url: string;
  close(): Promise<void>;
}

/** One listening chat instance on `dbFile` (created on first use), optionally with Redis. */
export async function startRealtimeInstance(options: {
  dbFile: string;
  realtime?: SupportChatRealtimeOptions;
  logger?: boolean;
  /** Users besides `TEST_USERS` (the benchmark's candidates and agents). */
  users?: ChatUserRecord[];
  port?: number;
  /** Abuse limits (default: all off). */
  limits?: Partial<SupportChatLimitsConfig>;
  /**
   * The instance has the process to itself (the benchmark): SQLite's file lock separates it from the
   * others, so the module's own `ChatTransactions` (group commit) is kept instead of the shared lock.
   */
  ownProcess?: boolean;
  /** Default: `SUPPORT_CHAT_TEST_HTTP_ADAPTER`, else Express. */
  httpAdapter?: TestHttpAdapter;
  /** What a host adds before it listens (global interceptors, hooks). */
  configure?: (app: INestApplication) => void;
}): Promise<RealtimeInstance> {
  const lock = fileLocks.get(options.dbFile) ?? new Mutex();
  fileLocks.set(options.dbFile, lock);
  const builder = Test.createTestingModule({
    imports: [
      TypeOrmModule.forRoot({
        type: 'better-sqlite3',
        driver: BetterSqlite3,
        database: options.dbFile,
        enableWAL: true,
        entities: [...SUPPORT_CHAT_ENTITIES],
        synchronize: false,
        retryAttempts: 0,
      }),
      SupportChatModule.forRoot({
        imports: [TestUsersModule],
        userDirectory: InMemoryUserDirectory,
        authGuard: BearerUserIdGuard,
        // Abuse limits off: these tests and the realtime benchmark send far more than a user may per minute.
        // Always open, as every test host: outside the default business hours a candidate's first message
        // would get the automatic reply, one more `message.created` than the tests and the benchmark count.
        options: { env: { ...ALWAYS_OPEN_ENV }, realtime: options.realtime, limits: { ...SUPPORT_CHAT_LIMITS_DISABLED, ...options.limits } },
      }),
    ],
  })
    .overrideProvider(CHAT_USER_DIRECTORY)
    .useValue(new InMemoryUserDirectory([...Object.values(TEST_USERS), ...(options.users ?? [])]));
  if (!options.ownProcess) {
    builder.overrideProvider(ChatTransactions).useFactory({
      inject: [CHAT_DATA_SOURCE],
      factory: (dataSource: DataSource) => ({
        run: <T>(work: (manager: EntityManager) => Promise<T>) => lock.runExclusive(() => dataSource.transaction(work)),
      }),
    });
  }
  const moduleRef = await builder.compile();
  const app = await createTestNestApplication(moduleRef, testHttpAdapter(options.httpAdapter), options.logger ? ['error', 'warn', 'log'] : false);
  app.setGlobalPrefix('api');
  app.useGlobalFilters(new ChatExceptionFilter());
  app.useWebSocketAdapter(new SupportChatIoAdapter(app));
  options.configure?.(app);
  await app.listen(options.port ?? 0, '127.0.0.1');
  const address = app.getHttpServer().address() as net.AddressInfo;
  return {
    app,
    dataSource: app.get(DataSource),
    url: `http://127.0.0.1:${address.port}`,
    close: () => app.close(),
  };
}

export async function httpJson(method: string, url: string, user: TestUserKey | null, body?: unknown): Promise<{ status: number; body: any }> {
  const response = await fetch(url, {
    method,
    headers: { ...(user ? { Authorization: `Bearer ${TEST_USERS[user].id}` } : {}), ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}) },
    body: body !== undefined ? JSON.stringify(body) : undefined,
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}

export async function ticketFor(baseUrl: string, user: TestUserKey, since?: Record<string, number>): Promise<string> {
  const { status, body } = await httpJson('POST', `${baseUrl}/api/support/chat/events/ticket`, user, since ? { since } : {});
  if (status !== 201) throw new Error(`ticket: ${status} ${JSON.stringify(body)}`);
  return body.ticket;
}

/** A ticket issued with a credential that expires at `expSeconds` (seconds since the epoch, like a JWT's `exp`). */
export async function ticketWithExpiry(baseUrl: string, user: TestUserKey, expSeconds: number): Promise<string> {
  const response = await fetch(`${baseUrl}/api/support/chat/events/ticket`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${TEST_USERS[user].id};exp=${expSeconds}`, 'Content-Type': 'application/json' },
    body: '{}',
  });
  const body = (await response.json()) as { ticket: string };
  if (response.status !== 201) throw new Error(`ticket: ${response.status} ${JSON.stringify(body)}`);
  return body.ticket;
}

export interface ReceivedEvent {
  name: RealtimeEventName;
  id?: string;
  data: any;
}

/** Waits until `predicate` holds, polling; fails after a generous timeout. */
export async function waitUntil(predicate: () => boolean, what: string | (() => string), timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${typeof what === 'string' ? what : what()}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** A minimal SSE client over `node:http` (no EventSource in Node): parses frames into events. */
export class SseTestClient {
  readonly events: ReceivedEvent[] = [];
  readonly comments: string[] = [];
  status = 0;
  headers: http.IncomingHttpHeaders = {};
  retry: number | null = null;
  private request: http.ClientRequest | null = null;
  closed = false;

  static open(url: string, headers: Record<string, string> = {}): Promise<SseTestClient> {
    const client = new SseTestClient();
    return new Promise((resolve, reject) => {
      const request = http.get(url, { headers: { Accept: 'text/event-stream', ...headers } }, (response) => {
        client.status = response.statusCode ?? 0;
        client.headers = response.headers;
        response.setEncoding('utf8');
        let buffer = '';
        response.on('data', (chunk: string) => {
          buffer += chunk;
          let index;
          while ((index = buffer.indexOf('\n\n')) >= 0) {
            client.frame(buffer.slice(0, index));
            buffer = buffer.slice(index + 2);
          }
        });
        response.on('close', () => (client.closed = true));
        response.on('error', () => (client.closed = true));
        resolve(client);
      });
      request.on('error', (error) => (client.request ? (client.closed = true) : reject(error)));
      client.request = request;
    });
  }

  /** For a rejected stream: the JSON error body. */
  body = '';

  private frame(frame: string): void {
    if (this.status !== 200) {
      this.body += frame;
      return;
    }
    let name: string | null = null;
    let id: string | undefined;
    const data: string[] = [];
    for (const line of frame.split('\n')) {
      if (line.startsWith(':')) this.comments.push(line.slice(1).trim());
      else if (line.startsWith('event: ')) name = line.slice(7);
      else if (line.startsWith('data: ')) data.push(line.slice(6));
      else if (line.startsWith('id: ')) id = line.slice(4);
      else if (line.startsWith('retry: ')) this.retry = Number(line.slice(7));
    }
    if (name) this.events.push({ name: name as RealtimeEventName, id, data: JSON.parse(data.join('\n')) });
  }

  named(name: RealtimeEventName): ReceivedEvent[] {
    return this.events.filter((event) => event.name === name);
  }

  close(): void {
    this.closed = true;
    this.request?.destroy();
  }
}

const WS_EVENTS: RealtimeEventName[] = [
  'message.created',
  'conversation.created',
  'conversation.updated',
  'read.updated',
  'typing',
  'presence',
  'staff.notified',
  'ready',
  'resync',
  'access_revoked',
];

export class WsTestClient {
  readonly events: ReceivedEvent[] = [];
  /** The reason Socket.IO gave when the socket disconnected (`io server disconnect` when the server closed it). */
  disconnectReason: string | null = null;

  private constructor(readonly socket: Socket) {
    for (const name of WS_EVENTS) socket.on(name, (data: unknown) => this.events.push({ name, data }));
    socket.on('disconnect', (reason) => (this.disconnectReason = reason));
  }

  /** Connects with a ticket; rejects with the server's `connect_error` data if refused. */
  static connect(baseUrl: string, auth: { ticket?: string; since?: Record<string, number>; stream?: boolean }): Promise<WsTestClient> {
    const socket = io(baseUrl, { path: SUPPORT_CHAT_WS_PATH, auth, transports: ['websocket'], reconnection: false, forceNew: true });
    const client = new WsTestClient(socket);
    return new Promise((resolve, reject) => {
      socket.once('connect', () => resolve(client));
      socket.once('connect_error', (error: Error & { data?: unknown }) => {
        socket.close();
        reject(Object.assign(new Error(error.message), { data: error.data }));
      });
    });
  }

  named(name: RealtimeEventName): ReceivedEvent[] {
    return this.events.filter((event) => event.name === name);
  }

  request<T = any>(event: string, body: unknown): Promise<T> {
    return this.socket.timeout(5_000).emitWithAck(event, body) as Promise<T>;
  }

  close(): void {
    this.socket.close();
  }
}

/** Is a Redis server answering at this URL? */
export async function redisReachable(host = '127.0.0.1', port = 6379): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => {
      socket.write('PING\r\n');
      socket.once('data', (data) => done(data.toString().startsWith('+PONG')));
    });
  });
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

export function redisServerAvailable(): boolean {
  try {
    execFileSync('redis-server', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** A private, throw-away `redis-server` that a test may stop and start at will. */
export class PrivateRedis {
  private child: ChildProcess | null = null;

  constructor(readonly port: number) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    this.child = spawn('redis-server', ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    await waitForAsync(() => redisReachable('127.0.0.1', this.port), `redis-server on ${this.port}`);
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGKILL');
    });
    this.child = null;
  }
}

async function waitForAsync(check: () => Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Synchronous reachability check, so that a test file can decide at definition time whether to skip. */
export function redisReachableSync(port = 6379): boolean {
  const script = `const s=require('net').connect(${port},'127.0.0.1');s.setTimeout(800,()=>process.exit(1));s.on('error',()=>process.exit(1));s.on('connect',()=>s.write('PING\\r\\n'));s.on('data',d=>process.exit(String(d).startsWith('+PONG')?0:1));`;
  return spawnSync(process.execPath, ['-e', script], { stdio: 'ignore', timeout: 3000 }).status === 0;
}

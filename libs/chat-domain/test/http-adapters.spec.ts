import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import {
  Body,
  CallHandler,
  Controller,
  ExecutionContext,
  ForbiddenException,
  Get,
  HttpCode,
  HttpStatus,
  INestApplication,
  Injectable,
  MiddlewareConsumer,
  Module,
  NestInterceptor,
  NestMiddleware,
  NestModule,
  Post,
} from '@nestjs/common';
import { Test } from '@nestjs/testing';
import request from 'supertest';

import { ChatError, ChatErrorCode } from '../src/errors/chat-error';
import { ChatExceptionFilter } from '../src/errors/chat-exception.filter';
import { ChatHttpResponse } from '../src/http/http-response';
import { jsonStructureBodyParser } from '../src/validation/json-structure';
import { httpJson, SseTestClient, startRealtimeInstance, ticketFor, waitUntil } from '../src/realtime/testing/realtime-test-kit';
import { ChatScenario } from '../src/testing/chat-scenario';
import { ChatTestApp, createChatTestApp } from '../src/testing/chat-test-app';
import { createTestNestApplication, TestHttpAdapter, testHttpAdapter, whenRoutesReady } from '../src/testing/http-adapter';

/** Sets a header on every answer through the adapter's own reply, as a host's interceptor would. */
@Injectable()
class RequestIdInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler) {
    context.switchToHttp().getResponse<ChatHttpResponse>().header('X-Request-Id', 'req-42');
    return next.handle();
  }
}

const CHAT = '/api/support/chat';

/**
 * The module imports neither Express nor Fastify: its handlers only call what both answers have. The
 * whole suite runs on each (`npm run test:jest`, `npm run test:fastify`); this spec runs the calls that
 * touch the answer object itself on both, whichever the suite runs on.
 */
describe.each<TestHttpAdapter>(['express', 'fastify'])('the chat module on Nest %s adapter', (adapter) => {
  let ctx: ChatTestApp;
  let chat: ChatScenario;
  beforeEach(async () => {
    ctx = await createChatTestApp({ httpAdapter: adapter });
    chat = new ChatScenario(ctx);
  });
  afterEach(() => ctx.close());

  it('runs on the adapter it was given', () => {
    expect(ctx.app.getHttpAdapter().getType()).toBe(adapter);
  });

  it('sets the inbox ETag and answers 304 to it; a replayed send is 200, a new one 201', async () => {
    const conversation = await chat.newConversation('candidate1');
    const first = await ctx.as('candidate1').get(`${CHAT}/conversations`).expect(200);
    expect(first.headers['cache-control']).toBe('private, no-cache');
    expect(first.headers.etag).toEqual(expect.any(String));
    const again = await ctx.as('candidate1').get(`${CHAT}/conversations`).set('If-None-Match', first.headers.etag).expect(304);
    expect(again.text).toBe('');

    const body = { content: 'Hola 👋 https://example.com/ayuda', client_message_id: '5c0b3a7e-8d1f-4c2a-9b3e-1f2d3c4b5a69' };
    const created = await ctx.as('candidate1').post(`${CHAT}/conversations/${conversation.id}/messages`).send(body).expect(201);
    const replayed = await ctx.as('candidate1').post(`${CHAT}/conversations/${conversation.id}/messages`).send(body).expect(200);
    expect(replayed.body.message.id).toBe(created.body.message.id);
  });

  it('answers errors in the chat shape, with their headers', async () => {
    const missing = await ctx.as('support1').get(`${CHAT}/conversations/a0000000-0000-4000-8000-00000000beef`).expect(404);
    expect(missing.body).toEqual({ error: expect.stringMatching(/conversación/i), code: 'conversation_not_found' });
    const invalid = await ctx.as('candidate1').post(`${CHAT}/conversations`).send({ subject: 42 }).expect(400);
    expect(invalid.body).toMatchObject({ code: 'validation_failed', error: expect.any(String) });
    expect((await ctx.as(null).get(`${CHAT}/conversations`).expect(401)).body.code).toBe('unauthenticated');
  });

  it('sends downloads with their own type and name (transcript, CSV report by Accept)', async () => {
    const conversation = await chat.newConversation('candidate1');
    const transcript = await ctx.as('candidate1').get(`${CHAT}/conversations/${conversation.id}/transcript?tz=America/Mexico_City`).expect(200);
    expect(transcript.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(transcript.headers['content-disposition']).toMatch(/^attachment; filename=".+\.html"$/);
    const csv = await ctx.as('admin1').get(`${CHAT}/reports/volume?from=2026-11-01&to=2026-11-02`).set('Accept', 'text/csv').expect(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.headers['cache-control']).toBe('no-store');
    const json = await ctx.as('admin1').get(`${CHAT}/reports/volume?from=2026-11-01&to=2026-11-02`).expect(200);
    expect(json.headers['content-type']).toMatch(/^application\/json/);
  });

  it('streams server-sent events, and refuses a bad ticket or one stream too many in the chat shape', async () => {
    const dir = mkdtempSync(join(tmpdir(), `chat-${adapter}-sse-`));
    const server = await startRealtimeInstance({
      dbFile: join(dir, 'chat.sqlite'),
      httpAdapter: adapter,
      realtime: { heartbeatMs: 100, retryMs: 1500, maxStreamsPerUser: 1 },
      // A header a host sets on every answer: Fastify writes the reply's headers only with an answer of its own.
      configure: (app) => app.useGlobalInterceptors(new RequestIdInterceptor()),
    });
    let client: SseTestClient | undefined;
    try {
      expect(server.app.getHttpAdapter().getType()).toBe(adapter);
      const refused = await fetch(`${server.url}${CHAT}/events?ticket=not-a-ticket`);
      expect(refused.status).toBe(401);
      expect(await refused.json()).toEqual({ error: expect.any(String), code: 'unauthenticated' });

      client = await SseTestClient.open(`${server.url}${CHAT}/events?ticket=${await ticketFor(server.url, 'support1')}`);
      expect(client.status).toBe(200);
      expect(client.headers).toMatchObject({
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        'x-accel-buffering': 'no',
        'x-request-id': 'req-42',
      });
      await waitUntil(() => client!.named('ready').length === 1, 'ready');
      expect(client.retry).toBe(1500);
      const { body } = await httpJson('POST', `${server.url}${CHAT}/conversations`, 'candidate1', { subject: 'Ayuda con mi examen' });
      await httpJson('POST', `${server.url}${CHAT}/conversations/${body.conversation.id}/messages`, 'candidate1', { content: 'Hola' });
      await waitUntil(() => client!.named('message.created').length === 1, 'message.created');
      await waitUntil(() => client!.comments.length > 0, 'heartbeat');
      // Refused after the ticket was redeemed, before the stream is taken over: still an ordinary answer.
      const second = await fetch(`${server.url}${CHAT}/events?ticket=${await ticketFor(server.url, 'support1')}`);
      expect(second.status).toBe(429);
      expect(await second.json()).toEqual({ error: expect.any(String), code: 'too_many_connections' });
    } finally {
      client?.close();
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/** A host's middlewares that refuse a request before any route runs. */
@Injectable()
class ForbiddingMiddleware implements NestMiddleware {
  use(): void {
    throw new ForbiddenException();
  }
}

@Injectable()
class LimitingMiddleware implements NestMiddleware {
  use(): void {
    throw new ChatError(ChatErrorCode.RateLimited, 'Demasiadas solicitudes.', HttpStatus.TOO_MANY_REQUESTS, undefined, { 'Retry-After': '7' });
  }
}

@Controller('host')
class HostController {
  @Get(['forbidden', 'limited', 'open'])
  open(): { ok: boolean } {
    return { ok: true };
  }

  @Post('echo')
  @HttpCode(HttpStatus.OK)
  echo(@Body() body: unknown): unknown {
    return body;
  }
}

@Module({ controllers: [HostController] })
class RefusingHostModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(ForbiddingMiddleware).forRoutes('host/forbidden');
    consumer.apply(LimitingMiddleware).forRoutes('host/limited');
  }
}

describe.each<TestHttpAdapter>(['express', 'fastify'])('ChatExceptionFilter as a host global filter, on Nest %s adapter', (adapter) => {
  let app: INestApplication;
  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({ imports: [RefusingHostModule] }).compile();
    app = await createTestNestApplication(moduleRef, adapter);
    app.useGlobalFilters(new ChatExceptionFilter());
    await app.init();
    await whenRoutesReady(app);
  });
  afterAll(() => app.close());

  // On Fastify, Nest hands the filter Node's own response for an error thrown in a middleware.
  it('answers errors thrown in a middleware in the chat shape, with their headers', async () => {
    const forbidden = await request(app.getHttpServer()).get('/host/forbidden').expect(403);
    expect(forbidden.headers['content-type']).toMatch(/^application\/json/);
    expect(forbidden.body).toEqual({ error: 'No tienes permiso para esta acción.', code: 'forbidden' });
    const limited = await request(app.getHttpServer()).get('/host/limited').expect(429);
    expect(limited.headers['retry-after']).toBe('7');
    expect(limited.body).toEqual({ error: 'Demasiadas solicitudes.', code: 'rate_limited' });
    expect((await request(app.getHttpServer()).get('/host/open').expect(200)).body).toEqual({ ok: true });
  });
});

/** What a Fastify host installs in place of Express' `verify` hook (README, "Mounting the module in your NestJS app"). */
describe('jsonStructureBodyParser on a Fastify host', () => {
  let app: INestApplication;
  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({ imports: [RefusingHostModule] }).compile();
    app = await createTestNestApplication(moduleRef, 'fastify');
    (app as INestApplication & { useBodyParser(type: string, options: object, parser: unknown): unknown }).useBodyParser(
      'application/json',
      { bodyLimit: 1_048_576 },
      jsonStructureBodyParser(),
    );
    app.useGlobalFilters(new ChatExceptionFilter());
    await app.init();
    await whenRoutesReady(app);
  });
  afterAll(() => app.close());

  const post = (body: string) => request(app.getHttpServer()).post('/host/echo').set('Content-Type', 'application/json').send(body);

  it('refuses a body nested too deep or with too many values, and one that is not JSON, in the chat shape', async () => {
    expect((await post(`${'['.repeat(50_000)}${']'.repeat(50_000)}`).expect(400)).body).toMatchObject({ code: 'json_too_deep' });
    expect((await post(`[${Array(1_500).fill('1').join(',')}]`).expect(400)).body).toMatchObject({ code: 'json_too_many_values' });
    expect((await post('{"content": "Hola",').expect(400)).body).toEqual({ error: 'El cuerpo de la solicitud no es JSON válido.', code: 'invalid_json' });
    expect((await post(JSON.stringify({ content: 'x'.repeat(2_000_000) })).expect(413)).body).toMatchObject({ code: 'payload_too_large' });
  });

  it('passes a body within the limits to the route, parsed', async () => {
    const body = { content: 'Hola 👋 https://example.com/ayuda', since: { a: 1 } };
    expect((await post(JSON.stringify(body)).expect(200)).body).toEqual(body);
  });
});

describe('testHttpAdapter', () => {
  const saved = process.env.SUPPORT_CHAT_TEST_HTTP_ADAPTER;
  afterEach(() => {
    if (saved === undefined) delete process.env.SUPPORT_CHAT_TEST_HTTP_ADAPTER;
    else process.env.SUPPORT_CHAT_TEST_HTTP_ADAPTER = saved;
  });

  it('takes the one asked for, else the environment, else Express; refuses anything else', () => {
    process.env.SUPPORT_CHAT_TEST_HTTP_ADAPTER = 'fastify';
    expect(testHttpAdapter()).toBe('fastify');
    expect(testHttpAdapter('express')).toBe('express');
    delete process.env.SUPPORT_CHAT_TEST_HTTP_ADAPTER;
    expect(testHttpAdapter()).toBe('express');
    process.env.SUPPORT_CHAT_TEST_HTTP_ADAPTER = 'koa';
    expect(() => testHttpAdapter()).toThrow(/express or fastify/);
  });
});

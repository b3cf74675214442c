import type { INestApplication, LogLevel } from '@nestjs/common';
import type { TestingModule } from '@nestjs/testing';

/** Nest's two HTTP adapters: the chat module runs on both. */
export type TestHttpAdapter = 'express' | 'fastify';

/** The adapter a test app uses: the one asked for, else `SUPPORT_CHAT_TEST_HTTP_ADAPTER` (`npm run test:fastify`), else Express. */
export function testHttpAdapter(requested?: TestHttpAdapter): TestHttpAdapter {
  const value = requested ?? process.env.SUPPORT_CHAT_TEST_HTTP_ADAPTER ?? 'express';
  if (value !== 'express' && value !== 'fastify') throw new Error(`SUPPORT_CHAT_TEST_HTTP_ADAPTER must be express or fastify, not "${value}"`);
  return value;
}

/**
 * A Nest application on the given adapter. Fastify is loaded only when asked for: hosts on Express do not
 * need it installed.
 */
export async function createTestNestApplication(
  moduleRef: TestingModule,
  adapter: TestHttpAdapter,
  logger: false | LogLevel[] = false,
): Promise<INestApplication> {
  if (adapter === 'express') return moduleRef.createNestApplication({ logger });
  const { FastifyAdapter } = await import('@nestjs/platform-fastify');
  return moduleRef.createNestApplication(new FastifyAdapter(), { logger });
}

/** After `init()`: Fastify adds its routes when it is ready, and supertest talks to the bare HTTP server. */
export async function whenRoutesReady(app: INestApplication): Promise<void> {
  const instance = app.getHttpAdapter().getInstance() as { ready?: () => PromiseLike<unknown> };
  if (app.getHttpAdapter().getType() === 'fastify' && instance.ready) await instance.ready();
}

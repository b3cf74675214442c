import { Logger as NestLogger, NotFoundException } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { ChatExceptionFilter, createChatValidationPipe, jsonStructureVerifier, SupportChatIoAdapter } from '@support-chat/chat-domain';
import compression from 'compression';
import type { NextFunction, Request, Response } from 'express';
import helmet from 'helmet';
import { Logger } from 'nestjs-pino';
import type { DestinationStream } from 'pino';

import { AppModule, DataSourceExtras } from './app.module';
import { ApiConfig, Env, loadApiConfig } from './config/api-config';
import { setupSwagger } from './openapi/openapi';
import { precompressedStatic } from './web-app/precompressed-static';
import { resolveWebAppSettings } from './web-app/web-app.module';

/** JSON (and other text) answers above this size are compressed when the client accepts it. */
export const COMPRESSION_THRESHOLD_BYTES = 1024;

/** Answers that carry a token (login, realtime tickets): never compressed, so no BREACH-style guessing. */
const TOKEN_ROUTES = /^\/api\/(auth\/|support\/chat\/events\/ticket)/;

/**
 * `compression`'s own choice (compressible types, `Cache-Control: no-transform` respected), minus the
 * SSE stream (compressing it would hold events in the compressor's buffer instead of sending each at
 * once) and the answers that carry tokens.
 */
export function shouldCompress(req: Request, res: Response): boolean {
  const type = String(res.getHeader('Content-Type') ?? '');
  if (type.startsWith('text/event-stream') || TOKEN_ROUTES.test(req.originalUrl ?? req.url ?? '')) return false;
  return compression.filter(req, res);
}

export const GLOBAL_PREFIX = 'api';

export interface CreateAppOptions {
  /** Environment to read the configuration from (default `process.env`). */
  env?: Env;
  /** Serve Swagger UI at `/api/docs` (default: `API_DOCS`, which is off when `NODE_ENV=production`). */
  swagger?: boolean;
  /** Merged over the TypeORM options parsed from `DATABASE_URL` (e.g. a query-counting `logger`). */
  dataSourceExtras?: DataSourceExtras;
  /** Where the request logs go instead of stdout (tests capture them). */
  logDestination?: DestinationStream;
}

export interface CreatedApp {
  app: NestExpressApplication;
  config: ApiConfig;
}

/**
 * Everything that must be identical in production, in tests and in the OpenAPI script: prefix, body
 * parsing and its errors, security headers, validation and the error filter. Call before `init()`.
 */
export function configureApp(app: NestExpressApplication, config: ApiConfig): void {
  const filter = new ChatExceptionFilter();
  app.setGlobalPrefix(GLOBAL_PREFIX);
  // First, so that it wraps every answer (files already compressed at build time pass through as they are).
  app.use(compression({ threshold: COMPRESSION_THRESHOLD_BYTES, filter: shouldCompress }));
  // helmet's defaults, minus CSP `upgrade-insecure-requests`: this server speaks plain HTTP (TLS ends at
  // the proxy in production, where HSTS does the upgrading), and the directive made a browser that opened
  // the demo by LAN address fetch every script over https and show a blank page.
  app.use(helmet({ contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } } }));
  app.disable('x-powered-by');
  // Only behind a proxy the operator named: otherwise any client could pick its own address (and its own
  // login-limit bucket) with an X-Forwarded-For header.
  app.set('trust proxy', config.trustProxy);
  // The JSON parser runs as plain Express middleware, outside Nest's exception zone: its errors
  // (invalid JSON, body too large) would reach Express' HTML error page. The error handler right after
  // it turns them into the common `{ error, code }` body.
  // `verify` sees the raw (decompressed) bytes before `JSON.parse`: excessive nesting or too many values
  // are refused there, in one linear pass, before class-transformer overflows its stack or holds the
  // event loop for seconds (login route included).
  // Nest's options type leaves `verify` out because its `rawBody` option uses it; this app does not enable
  // rawBody, and Nest hands the options to body-parser unchanged (a variable, not a literal, to pass).
  const jsonOptions = { limit: config.bodyLimit, verify: jsonStructureVerifier() };
  app.useBodyParser('json', jsonOptions);
  app.use((error: unknown, _req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(error);
    const { status, body, headers } = filter.toResponse(error);
    res.set(headers).status(status).json(body);
  });
  app.useGlobalPipes(createChatValidationPipe());
  app.useGlobalFilters(filter);
}

/**
 * Builds and initialises the application without listening: `main.ts` calls `listen()`, tests use
 * `getHttpServer()`, the OpenAPI script only reads the routes.
 */
export async function createApp(options: CreateAppOptions = {}): Promise<CreatedApp> {
  const config = loadApiConfig(options.env ?? process.env);
  const app = await NestFactory.create<NestExpressApplication>(AppModule.register(config, options.dataSourceExtras, options.logDestination), {
    bodyParser: false,
    bufferLogs: true,
    abortOnError: false,
  });
  app.useLogger(app.get(Logger));
  configureApp(app, config);
  // Before the web app's static handler (registered during init): the .br/.gz copies made at build time.
  const web = resolveWebAppSettings(options.env ?? process.env);
  if (web.rootPath) app.use(precompressedStatic(web.rootPath));
  // Socket.IO clustered through Redis when REDIS_URL is set (rooms and presence across instances).
  app.useWebSocketAdapter(new SupportChatIoAdapter(app));
  if (options.swagger ?? config.apiDocs) setupSwagger(app);
  warnAboutGeneratedSecret(config);
  warnAboutDemoUsersInProduction(config);
  await app.init();
  // Nest's own not-found handler only covers the global prefix; anything else would get Express'
  // HTML 404. Registered after init() so that it comes after every route (and any static files).
  const notFound = new ChatExceptionFilter().toResponse(new NotFoundException());
  app.use((_req: Request, res: Response) => {
    res.status(notFound.status).json(notFound.body);
  });
  return { app, config };
}

/** A loud warning when `JWT_SECRET` was generated, except in tests. Returns whether it warned. */
export function warnAboutGeneratedSecret(config: ApiConfig, logger: Pick<NestLogger, 'warn'> = new NestLogger('Security')): boolean {
  if (!config.jwtSecretGenerated || config.nodeEnv === 'test') return false;
  const line = '*'.repeat(78);
  logger.warn(
    [
      line,
      'JWT_SECRET is not set: using a random secret generated for this process only.',
      'Every token becomes invalid when the server restarts, and several instances will not',
      "accept each other's tokens. Set JWT_SECRET (at least 32 characters) outside local demos.",
      line,
    ].join('\n'),
  );
  return true;
}

/** A loud warning when `DEMO_USERS=true` was set explicitly in production. Returns whether it warned. */
export function warnAboutDemoUsersInProduction(config: ApiConfig, logger: Pick<NestLogger, 'warn'> = new NestLogger('Security')): boolean {
  if (!config.demoUsers || config.nodeEnv !== 'production') return false;
  const line = '*'.repeat(78);
  logger.warn(
    [
      line,
      'DEMO_USERS is on in production: the demo accounts (admin1 included) are created with the',
      'password published in the README. Unset DEMO_USERS (off by default in production) unless',
      'this is a throw-away demo.',
      line,
    ].join('\n'),
  );
  return true;
}

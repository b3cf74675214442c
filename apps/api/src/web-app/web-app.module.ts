import { existsSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';

import { DynamicModule, Logger, Module } from '@nestjs/common';
import { ServeStaticModule } from '@nestjs/serve-static';

import type { Env } from '../config/api-config';
import { webCacheControl } from './precompressed-static';

/** Where `ng build web` puts the browser bundle, relative to the repository root. */
export const DEFAULT_WEB_DIST_DIR = 'dist/web/browser';

export interface WebAppSettings {
  /** Absolute path of the built web app, or null when it is not served. */
  rootPath: string | null;
  /** Why it is not served (for the start-up log). */
  reason?: string;
}

/**
 * Serve the built web app from this process (`SERVE_WEB`, default true outside tests) when
 * `WEB_DIST_DIR` (default `dist/web/browser`) holds an `index.html`.
 */
export function resolveWebAppSettings(env: Env, cwd: string = process.cwd()): WebAppSettings {
  const flag = env.SERVE_WEB?.trim().toLowerCase();
  const enabled = flag ? ['true', '1', 'yes'].includes(flag) : (env.NODE_ENV ?? 'development') !== 'test';
  if (!enabled) return { rootPath: null, reason: 'SERVE_WEB is off' };
  const raw = env.WEB_DIST_DIR?.trim() || DEFAULT_WEB_DIST_DIR;
  const rootPath = isAbsolute(raw) ? raw : resolve(cwd, raw);
  if (!existsSync(join(rootPath, 'index.html'))) return { rootPath: null, reason: `${rootPath}/index.html not found (run npm run build)` };
  return { rootPath };
}

/**
 * One process, one port: the API under `/api`, the Angular app everywhere else, with `index.html` as the
 * fallback for client-side routes (`/chat-soporte`, `/support/communication`). `/api/**` is never answered
 * with the app: unknown API routes keep their JSON 404.
 */
@Module({})
export class WebAppModule {
  static register(env: Env): DynamicModule {
    const settings = resolveWebAppSettings(env);
    const logger = new Logger('WebApp');
    if (!settings.rootPath) {
      if ((env.NODE_ENV ?? 'development') !== 'test') logger.log(`Not serving the web app: ${settings.reason}`);
      return { module: WebAppModule };
    }
    logger.log(`Serving the web app from ${settings.rootPath}`);
    return {
      module: WebAppModule,
      imports: [
        ServeStaticModule.forRoot({
          rootPath: settings.rootPath,
          exclude: /^\/api(\/|$)/,
          serveStaticOptions: {
            index: false,
            fallthrough: true,
            setHeaders: (res: { setHeader(name: string, value: string): void }, path: string) => {
              // Hashed bundles never change; index.html must always be revalidated to pick up a new build.
              res.setHeader('Cache-Control', webCacheControl(path));
            },
          },
        }),
      ],
    };
  }
}

/**
 * The benchmarks run the real compiled server, and the seeder creates the schema with the compiled host
 * and module code (the entities need `emitDecoratorMetadata`, which tsx/esbuild does not emit). Both use
 * a private build, `dist/bench-api`, made by the same `nest build api` as `npm run build:api` but with
 * `bench/tsconfig.server.json` (only the output directory differs): a colleague rebuilding `dist/api`
 * (which deletes it first) cannot pull the server out from under a running benchmark.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

import type { DataSource } from 'typeorm';

export const REPO_ROOT = resolve(__dirname, '..', '..');
export const BUILD_DIR = join(REPO_ROOT, 'dist', 'bench-api');
export const SERVER_MAIN = join(BUILD_DIR, 'apps', 'api', 'src', 'main.js');

export function buildServer(force: boolean, log: (line: string) => void = console.log): void {
  if (!force && existsSync(SERVER_MAIN)) return;
  const started = Date.now();
  log('building the API (nest build api -p bench/tsconfig.server.json -> dist/bench-api) ...');
  const nest = join(REPO_ROOT, 'node_modules', '.bin', 'nest');
  const result = spawnSync(nest, ['build', 'api', '-p', 'bench/tsconfig.server.json'], { cwd: REPO_ROOT, stdio: 'inherit', env: pathWithLocalBin() });
  if (result.status !== 0) throw new Error(`nest build failed (exit ${result.status})`);
  log(`built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

/** `PATH` with `node_modules/.bin` first, so that child processes run the project's Node 24. */
export function pathWithLocalBin(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  return { ...env, PATH: `${join(REPO_ROOT, 'node_modules', '.bin')}:${env.PATH ?? ''}` };
}

/** The Node binary the server runs on (the project's Node 24 when installed). */
export function nodeBinary(): string {
  const local = join(REPO_ROOT, 'node_modules', '.bin', 'node');
  return existsSync(local) ? local : process.execPath;
}

interface HostBuild {
  API_ENTITIES: unknown[];
  parseDatabaseUrl(url: string, extras?: { entities?: unknown[] }): Record<string, unknown>;
  ensureUsersTable(dataSource: DataSource, logger?: { log(line: string): void }): Promise<unknown>;
  checkAndCreateSupportChatTables(dataSource: DataSource, logger?: { log(line: string): void }): Promise<unknown>;
  PasswordHasher: { hash(password: string): Promise<string> };
  createApp(options: { env?: Record<string, string | undefined>; swagger?: boolean; dataSourceExtras?: Record<string, unknown> }): Promise<{
    app: { listen(port: number, host?: string): Promise<unknown>; getUrl(): Promise<string>; close(): Promise<void> };
  }>;
}

/** The compiled host and module code the benchmarks reuse (schema creation, hashing, the app factory). */
export function loadHostBuild(): HostBuild {
  buildServer(false);
  require(require.resolve('reflect-metadata', { paths: [REPO_ROOT] }));
  const at = (path: string) => require(join(BUILD_DIR, path)) as Record<string, unknown>;
  const appModule = at('apps/api/src/app.module.js');
  const databaseUrl = at('apps/api/src/database/database-url.js');
  const usersSchema = at('apps/api/src/users/users.schema.js');
  const chat = at('libs/chat-domain/src/index.js');
  const hasher = at('apps/api/src/auth/password-hasher.js');
  const factory = at('apps/api/src/app.factory.js');
  return {
    API_ENTITIES: appModule.API_ENTITIES as unknown[],
    parseDatabaseUrl: databaseUrl.parseDatabaseUrl as HostBuild['parseDatabaseUrl'],
    ensureUsersTable: usersSchema.ensureUsersTable as HostBuild['ensureUsersTable'],
    checkAndCreateSupportChatTables: chat.checkAndCreateSupportChatTables as HostBuild['checkAndCreateSupportChatTables'],
    PasswordHasher: hasher.PasswordHasher as HostBuild['PasswordHasher'],
    createApp: factory.createApp as HostBuild['createApp'],
  };
}

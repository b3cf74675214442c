/**
 * Jest hooks shared by the realtime suites: one temporary SQLite instance per describe block, and the
 * clients a test opens closed after it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { RealtimeInstance, startRealtimeInstance } from '../../src/realtime/testing/realtime-test-kit';

type InstanceOptions = Omit<Parameters<typeof startRealtimeInstance>[0], 'dbFile'>;

/** Before all: a temporary folder and an instance on `<dir>/chat.sqlite`; after all: both removed. */
export function useRealtimeInstance(prefix: string, options: InstanceOptions = {}): RealtimeInstance & { readonly dir: string } {
  let dir: string | undefined;
  let server: RealtimeInstance | undefined;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), prefix));
    server = await startRealtimeInstance({ ...options, dbFile: join(dir, 'chat.sqlite') });
  });
  afterAll(async () => {
    await server?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });
  const current = (): RealtimeInstance => {
    if (!server) throw new Error('useRealtimeInstance(): the instance is used before beforeAll() started it.');
    return server;
  };
  return {
    get dir() {
      if (!dir) throw new Error('useRealtimeInstance(): the folder is used before beforeAll() created it.');
      return dir;
    },
    get app() {
      return current().app;
    },
    get dataSource() {
      return current().dataSource;
    },
    get url() {
      return current().url;
    },
    close: () => current().close(),
  };
}

/** Returns `track(client)`, which keeps a client to close after the current test (afterEach). */
export function trackClients(): <T extends { close(): void }>(client: T) => T {
  const open: { close(): void }[] = [];
  afterEach(() => {
    for (const client of open.splice(0)) client.close();
  });
  return (client) => (open.push(client), client);
}

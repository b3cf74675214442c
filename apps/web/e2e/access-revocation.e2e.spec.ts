import BetterSqlite3 from 'better-sqlite3';
import { join } from 'node:path';
import type { Page } from 'playwright-core';

import { describeWithChromium, LIVE_TIMEOUT, signIn, useTestBrowser } from './browser';
import { readState } from './e2e-server';

jest.setTimeout(120_000);

/** `POLL_INTERVAL_OVERRIDE_KEY` of apps/web/src/app/core/config/app-settings.ts. */
const POLL_OVERRIDE_KEY = 'support-chat.pollIntervalMs';
/** One hour: no polling during the test, so only the realtime stream can tell the page that access was lost. */
const NO_POLLING_MS = 3_600_000;

/**
 * Issue 13, point 1, in the browser: a signed-in page whose user loses access (changed in the host's
 * database, as an administrator would) is told so by its open event stream (`access_revoked`) and
 * re-authenticates: the login page for a deactivated account, "Sin acceso" for a role outside the chat.
 * The users here (`developer1`, `admin1`) are used by no other browser test, and are restored afterwards.
 */
describeWithChromium('losing access while the chat is open', () => {
  const t = useTestBrowser();
  let db: BetterSqlite3.Database;

  beforeAll(async () => {
    db = new BetterSqlite3(join(readState().dir, 'e2e.sqlite'));
    db.pragma('busy_timeout = 5000');
  });

  afterAll(async () => {
    db?.close();
  });

  async function liveStaffPage(username: string): Promise<Page> {
    const { context, page } = await t.newUser();
    await context.addInitScript(([key, value]) => localStorage.setItem(key, value), [POLL_OVERRIDE_KEY, String(NO_POLLING_MS)] as const);
    const stream = page.waitForResponse((response) => response.url().includes('/api/support/chat/events?ticket='), { timeout: LIVE_TIMEOUT });
    await signIn(page, username);
    await page.waitForURL('**/support/communication**');
    expect((await stream).status()).toBe(200);
    return page;
  }

  it('a deactivated account: the open page goes to the login page', async () => {
    const page = await liveStaffPage('developer1');
    const reauthentication = page.waitForRequest((request) => request.url().endsWith('/api/auth/me'), { timeout: LIVE_TIMEOUT });
    try {
      db.prepare('UPDATE users SET is_active = 0 WHERE username = ?').run('developer1');
      await reauthentication;
      await page.waitForURL((url) => url.pathname === '/login', { timeout: LIVE_TIMEOUT });
      expect(new URL(page.url()).searchParams.get('returnUrl')).toMatch(/^\/support\/communication/);
    } finally {
      db.prepare('UPDATE users SET is_active = 1 WHERE username = ?').run('developer1');
    }
  });

  it('a role outside the chat: the open page shows "Sin acceso"', async () => {
    const page = await liveStaffPage('admin1');
    try {
      db.prepare('UPDATE users SET role = ? WHERE username = ?').run('contabilidad', 'admin1');
      await page.waitForURL((url) => url.pathname === '/sin-acceso', { timeout: LIVE_TIMEOUT });
      await page.getByRole('heading', { name: 'Sin acceso' }).waitFor();
    } finally {
      db.prepare('UPDATE users SET role = ? WHERE username = ?').run('admin', 'admin1');
    }
  });
});

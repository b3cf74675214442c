/**
 * Helpers for the browser tests: headless Debian Chromium through playwright-core, one fresh profile
 * per browser, sign-in through the real login page, screenshots into `test-artifacts/`.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

import { Browser, BrowserContext, chromium, Page } from 'playwright-core';

import { CHROMIUM, readState, REPO_ROOT } from './e2e-server';

export const ARTIFACTS_DIR = join(REPO_ROOT, 'test-artifacts');
export const PASSWORD = 'Demo1234!';

/** True when the browser tests can run; otherwise logs why they are skipped. */
export function chromiumAvailable(): boolean {
  if (existsSync(CHROMIUM)) return true;
  console.warn(`[e2e] SKIPPED: Chromium not found at ${CHROMIUM}.`);
  return false;
}

export const describeWithChromium: jest.Describe = existsSync(CHROMIUM) ? describe : describe.skip;

export interface TestBrowser {
  browser: Browser;
  baseUrl: string;
  /** A new isolated context (own cookies and localStorage), like a separate window of another person. */
  newUser(viewport?: { width: number; height: number }): Promise<{ context: BrowserContext; page: Page }>;
  close(): Promise<void>;
}

export async function launchBrowser(): Promise<TestBrowser> {
  const { baseUrl } = readState();
  // launch() gives every browser a fresh temporary profile (user-data-dir), deleted on close().
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  return {
    browser,
    baseUrl,
    newUser: async (viewport = { width: 1366, height: 860 }) => {
      const context = await browser.newContext({ baseURL: baseUrl, viewport, locale: 'es-MX', timezoneId: 'America/Mexico_City' });
      const page = await context.newPage();
      page.on('dialog', (dialog) => {
        throw new Error(`Unexpected dialog: ${dialog.message()}`);
      });
      return { context, page };
    },
    close: () => browser.close(),
  };
}

/**
 * Registers beforeAll/afterAll hooks that launch one browser for the enclosing describe block and close it
 * after. Returns a handle that forwards to that browser, so it can be declared before the hooks have run.
 */
export function useTestBrowser(): TestBrowser {
  let launched: TestBrowser | undefined;
  beforeAll(async () => {
    launched = await launchBrowser();
  });
  afterAll(async () => {
    await launched?.close();
  });
  const current = (): TestBrowser => {
    if (!launched) throw new Error('useTestBrowser(): the browser is used before beforeAll() launched it.');
    return launched;
  };
  return {
    get browser() {
      return current().browser;
    },
    get baseUrl() {
      return current().baseUrl;
    },
    newUser: (viewport) => current().newUser(viewport),
    close: () => current().close(),
  };
}

/** Signs in through the login page and waits for the user's home. */
export async function signIn(page: Page, username: string, returnUrl?: string): Promise<void> {
  await page.goto(returnUrl ? `/login?returnUrl=${encodeURIComponent(returnUrl)}` : '/login');
  await page.locator('input[autocomplete="username"]').fill(username);
  await page.locator('input[autocomplete="current-password"]').fill(PASSWORD);
  await page.locator('button[type="submit"]').click();
  await page.waitForURL((url) => !url.pathname.startsWith('/login'));
}

/** A new isolated user (see `TestBrowser.newUser`), signed in as `username` (see `signIn`). */
export async function signedInUser(
  t: TestBrowser,
  username: string,
  viewport?: { width: number; height: number },
  returnUrl?: string,
): Promise<{ context: BrowserContext; page: Page }> {
  const user = await t.newUser(viewport);
  await signIn(user.page, username, returnUrl);
  return user;
}

/**
 * As a signed-in candidate: opens `/chat-soporte`, starts a conversation with `subject` and waits until it
 * is shown. Returns its id (from the `conversacion` query parameter). A candidate without conversations
 * sees the first-message form instead of the list (tested in behaviour.e2e.spec.ts); here the empty
 * conversation is then created through the API, as the tests using this helper expect no message.
 */
export async function startConversation(page: Page, subject: string): Promise<string> {
  await page.goto('/chat-soporte');
  const firstMessage = page.getByTestId('first-message-text');
  await firstMessage.or(page.getByTestId('new-conversation')).first().waitFor();
  if (await firstMessage.isVisible()) {
    const id = await page.evaluate(
      async (body) => {
        const session = JSON.parse(localStorage.getItem('support-chat.session') ?? '{}') as { accessToken?: string };
        const response = await fetch('/api/support/chat/conversations', {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${session.accessToken}` },
          body: JSON.stringify(body),
        });
        return ((await response.json()) as { conversation: { id: string } }).conversation.id;
      },
      { subject },
    );
    await page.goto(`/chat-soporte?conversacion=${id}`);
    await page.getByTestId('conversation-heading').filter({ hasText: subject }).waitFor();
    return id;
  }
  await page.getByTestId('new-conversation').click();
  await page.getByTestId('new-conversation-subject').fill(subject);
  await page.getByTestId('create-conversation').click();
  await page.getByTestId('conversation-heading').filter({ hasText: subject }).waitFor();
  await page.waitForURL(/conversacion=/);
  const conversationId = new URL(page.url()).searchParams.get('conversacion');
  if (!conversationId) throw new Error(`no conversation id in ${page.url()}`);
  return conversationId;
}

export async function screenshot(page: Page, name: string, dir = ARTIFACTS_DIR): Promise<string> {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${name}.png`);
  await page.screenshot({ path });
  return path;
}

/** Polling runs every few seconds: generous waits for what the other person did. */
export const LIVE_TIMEOUT = 20_000;

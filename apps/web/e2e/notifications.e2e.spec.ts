import type { BrowserContext, Page } from 'playwright-core';

import { describeWithChromium, LIVE_TIMEOUT, screenshot, signIn, startConversation, useTestBrowser } from './browser';
import { api, apiLogin } from './seed';

jest.setTimeout(150_000);

interface Observed {
  title: string;
  favicon: string | null;
  notifications: { title: string; body: string | undefined }[];
  oscillators: number;
}

/**
 * Counts what the page asks of the browser: desktop notifications (the Notification constructor is
 * replaced by one that records, keeping the real permission) and sounds (oscillators created).
 */
async function instrument(context: BrowserContext): Promise<void> {
  await context.grantPermissions(['notifications']);
  await context.addInitScript(() => {
    const w = window as unknown as { __shown: unknown[]; __oscillators: number; Notification: unknown; AudioContext: typeof AudioContext };
    w.__shown = [];
    w.__oscillators = 0;
    const Real = window.Notification;
    class Recording {
      onclick: unknown = null;
      static get permission() {
        return Real.permission;
      }
      static requestPermission() {
        return Real.requestPermission();
      }
      constructor(title: string, options?: NotificationOptions) {
        w.__shown.push({ title, body: options?.body });
      }
      close() {
        // Nothing shown, nothing to close.
      }
    }
    w.Notification = Recording;
    const createOscillator = w.AudioContext.prototype.createOscillator;
    w.AudioContext.prototype.createOscillator = function (this: AudioContext) {
      w.__oscillators++;
      return createOscillator.call(this);
    };
  });
}

/** Pretends the user switched to another tab (or back): what `document.hidden` and `hasFocus()` say. */
async function setAway(page: Page, away: boolean): Promise<void> {
  await page.evaluate((isAway) => {
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => (isAway ? 'hidden' : 'visible') });
    Object.defineProperty(document, 'hidden', { configurable: true, get: () => isAway });
    document.hasFocus = () => !isAway;
    document.dispatchEvent(new Event('visibilitychange'));
  }, away);
}

async function observe(page: Page): Promise<Observed> {
  return page.evaluate(() => {
    const w = window as unknown as { __shown: Observed['notifications']; __oscillators: number };
    return {
      title: document.title,
      favicon: document.querySelector('link[rel~="icon"]')?.getAttribute('href') ?? null,
      notifications: [...w.__shown],
      oscillators: w.__oscillators,
    };
  });
}

/** Turns on sound and desktop notifications through the toolbar's bell menu. */
async function enableNotifications(page: Page): Promise<void> {
  for (const item of ['notify-sound', 'notify-desktop']) {
    await page.getByTestId('notification-settings').click();
    const entry = page.getByTestId(item);
    await entry.waitFor();
    if ((await entry.getAttribute('aria-checked')) !== 'true') await entry.click();
    else await page.keyboard.press('Escape');
    await page.getByTestId(item).waitFor({ state: 'detached' });
  }
  await page.getByTestId('notification-settings').click();
  for (const item of ['notify-tab-badge', 'notify-sound', 'notify-desktop']) expect(await page.getByTestId(item).getAttribute('aria-checked')).toBe('true');
  await page.keyboard.press('Escape');
}

/**
 * The browser specs share one server, and an agent's unread count covers every conversation's unanswered
 * candidate messages: whatever an earlier spec left unanswered would show in this one's titles. The user
 * reads everything first, through the API.
 */
async function readEverything(username: string): Promise<void> {
  const token = await apiLogin(username);
  for (let page = 1; ; page++) {
    const list = await api<{ conversations: { id: string; unread_count: number }[]; pages: number }>(token, 'GET', `/conversations?page=${page}&per_page=100`);
    for (const conversation of list.conversations) {
      if (conversation.unread_count > 0) await api(token, 'POST', `/conversations/${conversation.id}/read`, {});
    }
    if (page >= list.pages) break;
  }
  expect(await api(token, 'GET', '/unread-count')).toMatchObject({ unread_count: 0 });
}

describeWithChromium('notifications while the tab is in the background', () => {
  const t = useTestBrowser();

  it("the other side's message shows in the title, on the favicon, as a desktop notification and a chime; one's own never does", async () => {
    await readEverything('soporte1');
    await readEverything('candidato2');
    const staffUser = await t.newUser({ width: 1440, height: 900 });
    await instrument(staffUser.context);
    const staff = staffUser.page;
    await signIn(staff, 'soporte1');
    await staff.getByTestId('notification-settings').waitFor();
    await enableNotifications(staff);

    const candidateUser = await t.newUser();
    await instrument(candidateUser.context);
    const candidate = candidateUser.page;
    await signIn(candidate, 'candidato2');
    const subject = `Avisos ${Date.now()}`;
    const conversationId = await startConversation(candidate, subject);
    await enableNotifications(candidate);

    // Both look elsewhere. The candidate writes: the agent is told, the candidate (author) is not.
    await setAway(staff, true);
    await setAway(candidate, true);
    const staffBefore = await observe(staff);
    const candidateBefore = await observe(candidate);
    expect(staffBefore.title).toBe('Comunicación · Soporte al candidato');
    expect(staffBefore.favicon).toBe('favicon.svg');
    const text = '¿Me ayudan con mi constancia? No la encuentro.';
    await candidate.getByTestId('composer-input').fill(text);
    await candidate.getByTestId('composer-input').press('Enter');
    await candidate.locator('[data-testid="message-text"]', { hasText: 'constancia' }).waitFor();

    await staff.waitForFunction(() => document.title.startsWith('(1) '), undefined, { timeout: LIVE_TIMEOUT });
    await staff.waitForFunction(() => document.querySelector('link[rel~="icon"]')?.getAttribute('href')?.startsWith('data:image/png'), undefined, {
      timeout: LIVE_TIMEOUT,
    });
    const staffAfter = await observe(staff);
    expect(staffAfter.title).toBe('(1) Comunicación · Soporte al candidato');
    expect(staffAfter.notifications).toEqual([{ title: 'Nuevo mensaje de José Luis Ramírez Ortega', body: text }]);
    expect(staffAfter.oscillators).toBeGreaterThan(staffBefore.oscillators);
    await screenshot(staff, 'notifications-staff-away');

    const candidateAfterOwn = await observe(candidate);
    expect(candidateAfterOwn.notifications).toEqual([]);
    expect(candidateAfterOwn.oscillators).toBe(candidateBefore.oscillators);
    expect(candidateAfterOwn.title).toBe('Chat con soporte · Soporte al candidato');
    expect(candidateAfterOwn.favicon).toBe('favicon.svg');

    // The agent comes back, reads and answers: the count goes away there and shows on the candidate's tab.
    await setAway(staff, false);
    await staff.goto(`/support/communication?conversacion=${conversationId}`);
    await staff.locator('[data-testid="message-text"]', { hasText: 'constancia' }).waitFor();
    await staff.waitForFunction(() => document.title === 'Comunicación · Soporte al candidato', undefined, { timeout: LIVE_TIMEOUT });
    expect((await observe(staff)).favicon).toBe('favicon.svg');
    await staff.getByTestId('composer-input').fill('Claro, te la envío enseguida.');
    await staff.getByTestId('composer-input').press('Enter');
    await staff.locator('[data-testid="message-text"]', { hasText: 'enseguida' }).waitFor();

    await candidate.waitForFunction(() => document.title.startsWith('(1) '), undefined, { timeout: LIVE_TIMEOUT });
    await candidate.waitForFunction(() => (window as unknown as { __shown: unknown[] }).__shown.length > 0, undefined, { timeout: LIVE_TIMEOUT });
    // The badge is drawn once the icon has loaded: a moment after the title.
    await candidate.waitForFunction(() => document.querySelector('link[rel~="icon"]')?.getAttribute('href')?.startsWith('data:image/png'), undefined, {
      timeout: LIVE_TIMEOUT,
    });
    const candidateAfterReply = await observe(candidate);
    expect(candidateAfterReply.title).toBe('(1) Chat con soporte · Soporte al candidato');
    expect(candidateAfterReply.favicon).toMatch(/^data:image\/png;base64,/);
    expect(candidateAfterReply.notifications).toEqual([{ title: 'Nuevo mensaje de Lucía Fernández Ruiz', body: 'Claro, te la envío enseguida.' }]);
    // The agent's own reply notified nobody on the agent's side (the page was reloaded when the agent came back).
    expect((await observe(staff)).notifications).toEqual([]);
    await screenshot(candidate, 'notifications-candidate-away');
  });
});

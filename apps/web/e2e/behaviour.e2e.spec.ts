import { join } from 'node:path';

import type { BrowserContext, Page } from 'playwright-core';

import { ARTIFACTS_DIR, describeWithChromium, LIVE_TIMEOUT, screenshot, signedInUser, signIn, useTestBrowser } from './browser';
import { addCandidate, api, apiLogin, markReadForSoporte1, sendMessage } from './seed';

jest.setTimeout(120_000);

const CANDIDATE = 'candidata.nueva';
const CANDIDATE_NAME = 'Paola Quintero Nava';
const FIRST_MESSAGE = 'Hola, es mi primera vez aquí: no me llegó el correo con la liga para presentar mi examen de mañana.';
const dir = join(ARTIFACTS_DIR, 'behaviour');

/** Polling this slow never fires during a test: what arrives comes from the event stream or a catch-up. */
const NO_POLLING = 600_000;

const activeTestId = (page: Page) => page.evaluate(() => document.activeElement?.getAttribute('data-testid') ?? document.activeElement?.tagName ?? null);

/**
 * Everyday behaviour in the built app: drafts, the first message of a new candidate, focus after
 * creating, the staff dialog, the live candidate summary, and going offline and back.
 */
describeWithChromium('everyday behaviour in the browser', () => {
  const t = useTestBrowser();
  let candidate: { context: BrowserContext; page: Page };
  let firstId: string;
  let secondId: string;

  const composer = (page: Page) => page.getByTestId('composer-input');
  const conversationId = (page: Page) => new URL(page.url()).searchParams.get('conversacion');

  beforeAll(async () => {
    addCandidate(CANDIDATE, CANDIDATE_NAME);
    candidate = await t.newUser({ width: 1280, height: 800 });
    await candidate.context.addInitScript((ms) => localStorage.setItem('support-chat.pollIntervalMs', String(ms)), NO_POLLING);
    await signIn(candidate.page, CANDIDATE);
  });

  afterAll(async () => {
    await markReadForSoporte1('Quintero');
  });

  it('a candidate without conversations writes the first message right there; the caret lands in the composer', async () => {
    const { page } = candidate;
    await page.goto('/chat-soporte');
    await page.getByTestId('first-message-text').waitFor();
    expect(await page.getByText('Elige una conversación').count()).toBe(0);
    await screenshot(page, 'first-message-form', dir);

    await page.getByTestId('first-message-text').fill(FIRST_MESSAGE);
    await page.getByTestId('first-message-send').click();
    await page.waitForURL(/conversacion=/);
    firstId = conversationId(page)!;
    // No subject written: it comes from the start of the message.
    await page.getByTestId('conversation-heading').filter({ hasText: 'Hola, es mi primera vez aquí' }).waitFor();
    await page.getByTestId('message-text').filter({ hasText: 'no me llegó el correo' }).waitFor();
    await page.waitForFunction(() => document.activeElement?.getAttribute('data-testid') === 'composer-input');
  });

  it('"Nueva conversación" opens the new conversation with the caret in its composer', async () => {
    const { page } = candidate;
    await page.getByTestId('new-conversation').click();
    await page.getByTestId('new-conversation-subject').fill('Factura del examen');
    await page.getByTestId('create-conversation').click();
    await page.getByTestId('conversation-heading').filter({ hasText: 'Factura del examen' }).waitFor();
    await page.waitForFunction(() => document.activeElement?.getAttribute('data-testid') === 'composer-input');
    expect(await activeTestId(page)).toBe('composer-input');
    secondId = conversationId(page)!;
    expect(secondId).not.toBe(firstId);
  });

  it('keeps one draft per conversation across switches and reloads', async () => {
    const { page } = candidate;
    await composer(page).fill('Necesito la factura a nombre de mi empresa');
    await page.getByTestId('conversation-item').filter({ hasText: 'Hola, es mi primera vez' }).click();
    await page.getByTestId('conversation-heading').filter({ hasText: 'Hola, es mi primera vez' }).waitFor();
    expect(await composer(page).inputValue()).toBe('');
    await composer(page).fill('Ya revisé la carpeta de spam');

    await page.getByTestId('conversation-item').filter({ hasText: 'Factura del examen' }).click();
    await page.getByTestId('conversation-heading').filter({ hasText: 'Factura del examen' }).waitFor();
    await expectComposerValue(page, 'Necesito la factura a nombre de mi empresa');

    await page.reload();
    await page.getByTestId('conversation-heading').filter({ hasText: 'Factura del examen' }).waitFor();
    await expectComposerValue(page, 'Necesito la factura a nombre de mi empresa');
    await page.getByTestId('conversation-item').filter({ hasText: 'Hola, es mi primera vez' }).click();
    await page.getByTestId('conversation-heading').filter({ hasText: 'Hola, es mi primera vez' }).waitFor();
    await expectComposerValue(page, 'Ya revisé la carpeta de spam');

    // Sent: the draft is gone, also after a reload.
    await composer(page).press('Enter');
    await page.getByTestId('message-text').filter({ hasText: 'Ya revisé la carpeta de spam' }).waitFor();
    await page.reload();
    await page.getByTestId('conversation-heading').filter({ hasText: 'Hola, es mi primera vez' }).waitFor();
    await expectComposerValue(page, '');
  });

  it('an image pasted into the composer, or a file dropped on it, is attached through the same upload and limit', async () => {
    const { page } = candidate;
    await page.goto(`/chat-soporte?conversacion=${secondId}`);
    await composer(page).waitFor();
    const png = (await page.screenshot({ clip: { x: 0, y: 0, width: 320, height: 64 } })).toString('base64');

    // Paste: what a screenshot tool leaves on the clipboard (a file named image.png).
    await composer(page).focus();
    const pasted = await page.evaluate((base64) => {
      const bytes = Uint8Array.from(atob(base64), (char) => char.charCodeAt(0));
      const data = new DataTransfer();
      data.items.add(new File([bytes], 'image.png', { type: 'image/png' }));
      const event = new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true });
      document.querySelector('[data-testid="composer-input"]')!.dispatchEvent(event);
      return event.defaultPrevented;
    }, png);
    expect(pasted).toBe(true);
    await page.getByTestId('attachment-ready').filter({ hasText: 'image.png' }).waitFor({ timeout: LIVE_TIMEOUT });
    await composer(page).fill('Así se ve la pantalla');
    await composer(page).press('Enter');
    const image = page.locator('app-attachment-view img[alt="image.png"]');
    await image.waitFor({ timeout: LIVE_TIMEOUT });
    await page.waitForFunction(
      (element) => (element as HTMLImageElement).complete && (element as HTMLImageElement).naturalWidth > 0,
      await image.elementHandle(),
    );

    // Drop: a text file dragged from the desktop onto the composer.
    const drop = async (name: string, type: string, size: number, text = '') =>
      page.evaluate(
        ({ name, type, size, text }) => {
          const data = new DataTransfer();
          data.items.add(new File([text || new Uint8Array(size)], name, { type }));
          const form = document.querySelector('[data-testid="composer-form"]')!;
          form.dispatchEvent(new DragEvent('dragover', { dataTransfer: data, bubbles: true, cancelable: true }));
          const event = new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true });
          form.dispatchEvent(event);
          return event.defaultPrevented;
        },
        { name, type, size, text },
      );
    expect(await drop('registro del navegador.txt', 'text/plain', 0, 'Error 0xC00D36B4 al iniciar la cámara\n')).toBe(true);
    await page.getByTestId('attachment-ready').filter({ hasText: 'registro del navegador.txt' }).waitFor({ timeout: LIVE_TIMEOUT });
    await page.getByTestId('composer-send').click();
    await page.locator('app-attachment-view').filter({ hasText: 'registro del navegador.txt' }).waitFor({ timeout: LIVE_TIMEOUT });

    // The picker's limit holds for drops too: refused before any upload.
    const uploads: string[] = [];
    page.on('request', (request) => {
      if (request.url().includes('/api/uploads')) uploads.push(request.url());
    });
    expect(await drop('video de la pantalla.pdf', 'application/pdf', 11 * 1024 * 1024)).toBe(true);
    await page.getByRole('alert').filter({ hasText: 'El archivo supera el máximo de' }).waitFor();
    expect(uploads).toEqual([]);
  });

  it('staff "Nueva conversación": the candidate field comes first, takes what is typed at once, and only an explicit pick counts', async () => {
    const { context, page } = await signedInUser(t, 'developer1', { width: 1440, height: 900 });
    await page.waitForURL('**/support/communication');
    await page.getByTestId('new-conversation').click();
    // Typed the moment the dialog opens, before its animation ends.
    await page.keyboard.type('Paola');
    const search = page.getByTestId('candidate-search');
    await page.waitForFunction(() => document.activeElement?.getAttribute('data-testid') === 'candidate-search');
    expect(await search.inputValue()).toBe('Paola');
    expect(await page.getByTestId('new-conversation-subject').inputValue()).toBe('');

    // Matches are offered, but nothing is chosen until one is picked.
    await page.getByTestId('candidate-option').filter({ hasText: CANDIDATE_NAME }).waitFor();
    await page.getByTestId('new-conversation-subject').fill('Reprogramación');
    await page.getByTestId('create-conversation').click();
    await page.getByRole('alert').filter({ hasText: 'Elige un candidato de la lista.' }).waitFor();
    await screenshot(page, 'staff-new-conversation-dialog', dir);

    await search.click();
    await page.getByTestId('candidate-option').filter({ hasText: CANDIDATE_NAME }).click();
    expect(await page.getByTestId('candidate-selected').textContent()).toContain(`${CANDIDATE_NAME} (${CANDIDATE})`);
    await page.getByTestId('create-conversation').click();
    await page.getByTestId('conversation-heading').filter({ hasText: 'Reprogramación' }).waitFor();
    await page.waitForFunction(() => document.activeElement?.getAttribute('data-testid') === 'composer-input');
    await context.close();
  });

  it('the candidate summary follows new messages live (no poll of the conversation)', async () => {
    const { context, page } = await t.newUser({ width: 1440, height: 900 });
    await context.addInitScript((ms) => localStorage.setItem('support-chat.pollIntervalMs', String(ms)), NO_POLLING);
    await signIn(page, 'developer1', `/support/communication?conversacion=${firstId}`);
    await page.getByTestId('message-text').first().waitFor();
    const count = page.getByTestId('summary-message-count');
    const before = Number(await count.textContent());
    const token = await apiLogin(CANDIDATE);
    await sendMessage(token, firstId, '¿Alguien me puede ayudar?');
    await page.getByTestId('message-text').filter({ hasText: '¿Alguien me puede ayudar?' }).waitFor({ timeout: LIVE_TIMEOUT });
    await page.waitForFunction(
      (expected) => document.querySelector('[data-testid="summary-message-count"]')?.textContent?.trim() === String(expected),
      before + 1,
      { timeout: 5_000 },
    );
    await context.close();
  });

  it('offline: a banner, presence unknown; back online, the failed message goes once and the reply arrives', async () => {
    const { context, page } = candidate;
    const agent = await signedInUser(t, 'developer1', { width: 1440, height: 900 }, `/support/communication?conversacion=${firstId}`);
    await page.goto(`/chat-soporte?conversacion=${firstId}`);
    await page.getByTestId('online-dot').waitFor({ timeout: LIVE_TIMEOUT });

    await context.setOffline(true);
    await page.getByTestId('offline-banner').waitFor();
    await page.getByTestId('presence-unknown').waitFor();
    expect(await page.getByTestId('online-dot').count()).toBe(0);

    await composer(page).fill('Escribo esto sin conexión');
    await composer(page).press('Enter');
    const failed = page.getByTestId('pending-message').filter({ hasText: 'Escribo esto sin conexión' });
    await failed.getByText('Sin conexión. Se enviará al volver la conexión.').waitFor();
    await screenshot(page, 'offline', dir);
    const staffToken = await apiLogin('developer1');
    await sendMessage(staffToken, firstId, 'Te respondo mientras estabas sin conexión.');

    await context.setOffline(false);
    await page.getByTestId('offline-banner').waitFor({ state: 'detached' });
    await page.getByTestId('message-text').filter({ hasText: 'Escribo esto sin conexión' }).waitFor({ timeout: LIVE_TIMEOUT });
    await failed.waitFor({ state: 'detached' });
    await page.getByTestId('message-text').filter({ hasText: 'Te respondo mientras estabas sin conexión.' }).waitFor({ timeout: LIVE_TIMEOUT });
    await agent.page.getByTestId('message-text').filter({ hasText: 'Escribo esto sin conexión' }).waitFor({ timeout: LIVE_TIMEOUT });

    const history = await api<{ messages: { content: string | null }[] }>(staffToken, 'GET', `/conversations/${firstId}/messages?per_page=100`);
    expect(history.messages.filter((message) => message.content === 'Escribo esto sin conexión')).toHaveLength(1);
    await agent.context.close();
  });
});

async function expectComposerValue(page: Page, value: string): Promise<void> {
  await page.waitForFunction(
    (expected) => (document.querySelector('[data-testid="composer-input"]') as HTMLTextAreaElement | null)?.value === expected,
    value,
    { timeout: 5_000 },
  );
}

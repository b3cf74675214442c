import { join } from 'node:path';

import type { BrowserContext, Page } from 'playwright-core';

import { ARTIFACTS_DIR, describeWithChromium, LIVE_TIMEOUT, screenshot, signedInUser, useTestBrowser } from './browser';
import { REPO_ROOT } from './e2e-server';
import { box, expectInViewport, expectNoHorizontalOverflow, expectNoInnerOverflow, isPhone, Viewport, VIEWPORTS } from './layout-assertions';
import {
  addLongNamedCandidate,
  apiLogin,
  createConversation,
  LONG_MESSAGE,
  LONG_NAME,
  LONG_NAME_USERNAME,
  LONG_SUBJECT,
  markReadForSoporte1,
  sendMessage,
} from './seed';

jest.setTimeout(180_000);

/** The narrowest a timeline and a composer text box may get and still be usable. */
const minTimeline = (viewport: Viewport) => (isPhone(viewport) ? 340 : 400);
const minComposer = (viewport: Viewport) => (isPhone(viewport) ? 160 : 240);
/** An empty composer is one row: 24 px line, 8 px padding above and below, 1 px borders. */
const ONE_ROW_COMPOSER = 44;

const dir = join(ARTIFACTS_DIR, 'layout');

/** The open conversation: usable timeline and composer, the send button on screen, a one-row composer. */
async function expectUsableConversation(page: Page, viewport: Viewport): Promise<void> {
  await page.getByTestId('composer-input').waitFor();
  await expectNoHorizontalOverflow(page);
  await expectNoInnerOverflow(page.locator('app-conversation-pane .header'));
  expect((await box(page.locator('app-message-timeline'))).width).toBeGreaterThanOrEqual(minTimeline(viewport));
  const composer = await box(page.getByTestId('composer-input'));
  expect(composer.width).toBeGreaterThanOrEqual(minComposer(viewport));
  expect(composer.height).toBeLessThanOrEqual(ONE_ROW_COMPOSER);
  await expectInViewport(page, page.getByTestId('composer-send'));
  // Long words and URLs wrap inside their bubble instead of widening it.
  const texts = page.getByTestId('message-text');
  const timeline = await box(page.locator('app-message-timeline'));
  for (const text of await texts.all()) {
    const b = await box(text);
    expect(b.x + b.width).toBeLessThanOrEqual(timeline.x + timeline.width);
  }
}

/** The list: rows no wider than their column, previews on one line, "Nueva conversación" on screen. */
async function expectUsableList(page: Page): Promise<void> {
  await page.getByTestId('conversation-item').first().waitFor();
  await expectNoHorizontalOverflow(page);
  await expectNoInnerOverflow(page.locator('.chat-list-pane'));
  const pane = await box(page.locator('.chat-list-pane'));
  for (const item of await page.getByTestId('conversation-item').all()) {
    const b = await box(item);
    expect(b.x + b.width).toBeLessThanOrEqual(pane.x + pane.width + 1);
    const preview = item.locator('.preview');
    const lineHeight = await preview.evaluate((element) => parseFloat(getComputedStyle(element).lineHeight));
    expect((await box(preview)).height).toBeLessThanOrEqual(lineHeight + 1);
  }
  await expectInViewport(page, page.getByTestId('new-conversation'));
}

describeWithChromium('layout with long, real content', () => {
  const t = useTestBrowser();
  let conversationId: string;

  beforeAll(async () => {
    addLongNamedCandidate();
    const candidate = await apiLogin(LONG_NAME_USERNAME);
    // Older conversations first, so the long one is on top of every list.
    for (const subject of ['Duda sobre la constancia de acreditación', 'Cambio de fecha de examen']) {
      const id = await createConversation(candidate, subject);
      await sendMessage(candidate, id, `${LONG_MESSAGE} (${subject})`);
    }
    conversationId = await createConversation(candidate, LONG_SUBJECT);
    const staff = await apiLogin('admin1');
    await sendMessage(candidate, conversationId, LONG_MESSAGE);
    await sendMessage(staff, conversationId, 'Hola María de los Ángeles, soy Carlos de soporte. ¿Qué navegador y sistema operativo usas? 🙂');
    await sendMessage(candidate, conversationId, `Chrome 131 en Windows 11. ${LONG_MESSAGE}`);
    await markReadForSoporte1('Guadalupe');
  });

  async function open(username: string, viewport: Viewport): Promise<{ context: BrowserContext; page: Page }> {
    const user = await signedInUser(t, username, viewport);
    return user;
  }

  describe.each(VIEWPORTS)('at %o', (viewport) => {
    const size = `${viewport.width}x${viewport.height}`;

    it('candidate: the list and the open conversation keep their widths', async () => {
      const { context, page } = await open(LONG_NAME_USERNAME, viewport);
      await page.goto('/chat-soporte');
      await expectUsableList(page);
      await screenshot(page, `candidate-${size}-list`, dir);

      await page.getByTestId('conversation-item').first().click();
      await page.getByTestId('conversation-heading').waitFor();
      await expectUsableConversation(page, viewport);
      if (isPhone(viewport)) await expectInViewport(page, page.getByTestId('back-to-list'));
      await screenshot(page, `candidate-${size}-conversation`, dir);
      await context.close();
    });

    it('staff: the inbox and the open conversation keep their widths; the header stays on one line', async () => {
      const { context, page } = await open('admin1', viewport);
      await page.goto('/support/communication');
      await expectUsableList(page);
      // The toolbar holds the brand and the user menu on one line.
      const toolbar = await box(page.locator('.app-toolbar'));
      expect(toolbar.height).toBeLessThanOrEqual(64);
      const trigger = await box(page.locator('.user-menu-trigger'));
      expect(trigger.y + trigger.height).toBeLessThanOrEqual(toolbar.y + toolbar.height);
      await screenshot(page, `staff-${size}-inbox`, dir);

      await page.goto(`/support/communication?conversacion=${conversationId}`);
      await page.getByTestId('conversation-heading').filter({ hasText: LONG_NAME }).waitFor();
      await page.getByTestId('message-text').first().waitFor();
      await expectUsableConversation(page, viewport);
      await screenshot(page, `staff-${size}-conversation`, dir);

      // The candidate's data never squeeze the timeline.
      const summary = page.getByTestId('candidate-summary');
      if (!(await summary.isVisible())) {
        await page.getByRole('button', { name: 'Más acciones' }).click();
        await page.getByRole('menuitem', { name: /Ver datos del candidato/ }).click();
      }
      await summary.waitFor();
      await expectUsableConversation(page, viewport);
      await screenshot(page, `staff-${size}-summary`, dir);
      await context.close();
    });
  });

  it('staff on a phone: the unread total is visible without opening the navigation drawer', async () => {
    const candidate = await apiLogin(LONG_NAME_USERNAME);
    await sendMessage(candidate, conversationId, '¿Siguen ahí? Ya se me acaba el tiempo.');
    const { context, page } = await open('developer1', { width: 390, height: 844 });
    await page.goto('/support/communication');
    const badge = page.getByTestId('nav-toggle-unread');
    await badge.waitFor({ timeout: LIVE_TIMEOUT });
    await expectInViewport(page, badge);
    expect(Number(await badge.textContent())).toBeGreaterThan(0);
    expect(await page.locator('#support-nav').isVisible()).toBe(false);
    await screenshot(page, 'staff-390x844-unread-badge', dir);
    await context.close();
    await markReadForSoporte1('Guadalupe');
  });

  it('the composer returns to one row once a squeeze of its column ends', async () => {
    const { context, page } = await open(LONG_NAME_USERNAME, { width: 1280, height: 800 });
    await page.goto(`/chat-soporte?conversacion=${conversationId}`);
    const input = page.getByTestId('composer-input');
    await input.waitFor();
    // Squeeze the conversation column (no window resize) and type: the text wraps and the box grows.
    await page.locator('.chat-detail-pane').evaluate((element) => ((element as HTMLElement).style.maxWidth = '160px'));
    await input.pressSequentially('Ya probé con otro navegador', { delay: 5 });
    await page.waitForFunction(() => document.querySelector<HTMLElement>('[data-testid="composer-input"]')!.offsetHeight > 60);
    // The column gets its width back: the same short text fits one row again.
    await page.locator('.chat-detail-pane').evaluate((element) => ((element as HTMLElement).style.maxWidth = ''));
    await page
      .waitForFunction((max) => document.querySelector<HTMLElement>('[data-testid="composer-input"]')!.offsetHeight <= max, ONE_ROW_COMPOSER, {
        timeout: 5_000,
      })
      .catch(() => undefined);
    expect((await box(input)).height).toBeLessThanOrEqual(ONE_ROW_COMPOSER);
    await context.close();
  });

  /**
   * The README's screenshots: the real app with long, realistic content (no emoji: the test machine's
   * Chromium has no emoji font). Written to the committed docs/screenshots/ only with
   * UPDATE_DOCS_SCREENSHOTS=1, so ordinary runs never dirty the tree.
   */
  it('README screenshots', async () => {
    const docs = process.env['UPDATE_DOCS_SCREENSHOTS'] === '1' ? join(REPO_ROOT, 'docs/screenshots') : join(ARTIFACTS_DIR, 'readme');
    const candidateToken = await apiLogin(LONG_NAME_USERNAME);
    const staffToken = await apiLogin('admin1');
    const id = await createConversation(candidateToken, 'La cámara no se detecta al iniciar el examen de certificación en administración de proyectos');
    await sendMessage(
      candidateToken,
      id,
      'Buenas tardes. Al dar clic en «Iniciar examen» aparece el error ERR_CAMERA_NOT_FOUND_0xC00D36B4_ENUMERATION_FAILED y el cronómetro sigue corriendo. ' +
        'Ya seguí https://soporte.ejemplo.com/ayuda/examenes/requisitos-tecnicos/camara-y-microfono?origen=portal&paso=3 y sigo igual.',
    );
    await sendMessage(
      staffToken,
      id,
      'Hola, María de los Ángeles. Pausé tu cronómetro. ¿Qué navegador usas y aparece la cámara en la configuración del sistema?',
    );
    await sendMessage(
      candidateToken,
      id,
      'Chrome 131 en Windows 11. En la configuración sí aparece, pero el navegador dice que otra aplicación la está usando.',
    );
    await sendMessage(
      staffToken,
      id,
      'Gracias. Cierra Teams o Zoom si están abiertos y vuelve a entrar: tu intento sigue activo y el tiempo quedó detenido en 1 h 42 min.',
    );
    await sendMessage(candidateToken, id, 'Listo, ya funciona. ¡Muchas gracias por la rapidez!');

    const staff = await open('admin1', { width: 1440, height: 900 });
    await staff.page.goto(`/support/communication?conversacion=${id}`);
    await staff.page.getByTestId('message-text').filter({ hasText: 'ya funciona' }).waitFor();
    await staff.page.getByTestId('candidate-summary').waitFor();
    await staff.page.mouse.move(0, 0);
    await screenshot(staff.page, 'support-communication', docs);
    await staff.context.close();

    const candidate = await open(LONG_NAME_USERNAME, { width: 1440, height: 900 });
    await candidate.page.goto(`/chat-soporte?conversacion=${id}`);
    await candidate.page.getByTestId('message-text').filter({ hasText: 'ya funciona' }).waitFor();
    await candidate.page.mouse.move(0, 0);
    await screenshot(candidate.page, 'candidate-chat', docs);
    await candidate.context.close();

    const phone = await open(LONG_NAME_USERNAME, { width: 390, height: 844 });
    await phone.page.goto(`/chat-soporte?conversacion=${id}`);
    await phone.page.getByTestId('message-text').filter({ hasText: 'ya funciona' }).waitFor();
    await screenshot(phone.page, 'candidate-chat-mobile', docs);
    await phone.page.getByTestId('back-to-list').click();
    await phone.page.getByTestId('conversation-item').first().waitFor();
    await screenshot(phone.page, 'candidate-chat-mobile-list', docs);
    await phone.context.close();
    await markReadForSoporte1('Guadalupe');
  });
});

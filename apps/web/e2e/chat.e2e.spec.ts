import { join } from 'node:path';

import type { BrowserContext, Page } from 'playwright-core';

import { ARTIFACTS_DIR, describeWithChromium, LIVE_TIMEOUT, screenshot, signedInUser, signIn, startConversation, useTestBrowser } from './browser';

jest.setTimeout(120_000);

const XSS = '<img src=x onerror=window.__xss=1>';

/**
 * A candidate and a support agent, each in their own browser context, using the built app as people
 * would: no reloads; everything the other side does arrives by polling.
 */
describeWithChromium('support chat in the browser', () => {
  const t = useTestBrowser();
  let candidate: { context: BrowserContext; page: Page };
  let agent: { context: BrowserContext; page: Page };
  // Every run starts on a fresh database, so the subject needs no unique suffix.
  const subject = 'No puedo iniciar mi examen';

  const inboxItem = (page: Page) => page.locator('[data-testid="conversation-item"]', { hasText: subject });
  const messageText = (page: Page, text: string) => page.locator('[data-testid="message-text"]', { hasText: text });

  async function send(page: Page, text: string): Promise<void> {
    const input = page.getByTestId('composer-input');
    await input.fill(text);
    await input.press('Enter');
  }

  beforeAll(async () => {
    candidate = await t.newUser();
    agent = await t.newUser({ width: 1440, height: 900 });
  });

  it('a candidate cannot open the support workspace', async () => {
    const { context, page } = await signedInUser(t, 'candidato2');
    await page.goto('/support/communication');
    await page.waitForURL('**/sin-acceso');
    expect(await page.locator('app-support-communication-page').count()).toBe(0);
    await context.close();
  });

  it('the candidate starts a conversation and writes; the agent sees it unread, opens it and the badge clears', async () => {
    await signIn(candidate.page, 'candidato1');
    await startConversation(candidate.page, subject);
    await send(candidate.page, 'Hola, al dar clic en «Iniciar examen» me sale un error.\n¿Me pueden ayudar?');
    await messageText(candidate.page, 'me sale un error').waitFor();

    await signIn(agent.page, 'soporte1');
    await agent.page.waitForURL('**/support/communication');
    const item = inboxItem(agent.page);
    await item.waitFor({ timeout: LIVE_TIMEOUT });
    await item.getByTestId('conversation-unread').getByText('1').waitFor({ timeout: LIVE_TIMEOUT });
    await agent.page.getByTestId('communication-unread-badge').locator('.unread-badge').waitFor({ timeout: LIVE_TIMEOUT });

    // Keyboard: focus the list and open the conversation with Enter.
    await item.focus();
    await agent.page.keyboard.press('Enter');
    await agent.page.waitForURL(/conversacion=/);
    await messageText(agent.page, 'me sale un error').waitFor();
    expect(await agent.page.getByTestId('message-sender').first().textContent()).toContain('Ana');
    await item.getByTestId('conversation-unread').locator('.unread-badge').waitFor({ state: 'detached', timeout: LIVE_TIMEOUT });
    await agent.page.getByTestId('communication-unread-badge').locator('.unread-badge').waitFor({ state: 'detached', timeout: LIVE_TIMEOUT });
  });

  it('they exchange messages without reloading, and the candidate badge appears and clears', async () => {
    // The candidate looks elsewhere, so the reply stays unread for them.
    await candidate.page.getByRole('button', { name: /Menú de usuario/ }).click();
    await candidate.page.getByRole('menuitem', { name: /Mi perfil/ }).click();
    await candidate.page.waitForURL('**/perfil');

    await send(agent.page, 'Hola Ana, soy Lucía de soporte. ¿Qué error te aparece?');
    await messageText(agent.page, 'soy Lucía de soporte').waitFor();
    await agent.page.getByTestId('assignee').getByText('Asignada a ti').waitFor();

    await candidate.page.locator('.avatar-dot').waitFor({ timeout: LIVE_TIMEOUT });
    await candidate.page.getByRole('button', { name: /1 mensaje sin leer/ }).click();
    await candidate.page.getByTestId('chat-unread-badge').getByText('1').waitFor();
    await candidate.page.getByTestId('menu-chat-soporte').click();
    await inboxItem(candidate.page).click();
    await messageText(candidate.page, 'soy Lucía de soporte').waitFor();
    await candidate.page.locator('.avatar-dot').waitFor({ state: 'detached', timeout: LIVE_TIMEOUT });

    // Now both are on the conversation: each sees the other's new message appear.
    const typed = 'borrador que no debe perderse';
    await send(candidate.page, 'Dice "sesión expirada".');
    await candidate.page.getByTestId('composer-input').fill(typed);
    await messageText(agent.page, 'sesión expirada').waitFor({ timeout: LIVE_TIMEOUT });
    await send(agent.page, 'Gracias, ya lo revisé: intenta de nuevo.');
    await messageText(candidate.page, 'ya lo revisé').waitFor({ timeout: LIVE_TIMEOUT });
    expect(await candidate.page.getByTestId('composer-input').inputValue()).toBe(typed);
    expect(await candidate.page.getByTestId('live-region').textContent()).toContain('Nuevo mensaje de');
    await candidate.page.getByTestId('composer-input').fill('');
  });

  /** A realistic screenshot to attach: an error dialog rendered by the browser itself. */
  async function errorCapture(): Promise<Buffer> {
    const { context, page } = await t.newUser({ width: 480, height: 300 });
    await page.setContent(`
      <div id="capture" style="width:420px;padding:24px;font:15px system-ui;background:#fff;border:1px solid #ccc;border-radius:12px">
        <div style="color:#b3261e;font-weight:600;font-size:18px;margin-bottom:8px">⚠ Sesión expirada</div>
        <div style="color:#333">No fue posible iniciar el examen. Código: EXAM-401</div>
        <div style="margin-top:16px;text-align:right"><span style="background:#005cbb;color:#fff;padding:6px 14px;border-radius:16px">Aceptar</span></div>
      </div>`);
    const png = await page.locator('#capture').screenshot();
    await context.close();
    return png;
  }

  it('an attachment is uploaded with progress and shown as a thumbnail on both sides', async () => {
    const png = await errorCapture();
    await candidate.page.locator('input[type="file"]').setInputFiles({ name: 'captura de error.png', mimeType: 'image/png', buffer: png });
    await candidate.page.getByTestId('attachment-ready').waitFor();
    await send(candidate.page, 'Te mando la captura.');
    for (const page of [candidate.page, agent.page]) {
      const image = page.locator('app-attachment-view img[alt="captura de error.png"]');
      await image.waitFor({ timeout: LIVE_TIMEOUT });
      await page.waitForFunction(
        (element) => (element as HTMLImageElement).complete && (element as HTMLImageElement).naturalWidth > 0,
        await image.elementHandle(),
      );
      expect(await image.getAttribute('src')).toMatch(new RegExp(`^${t.baseUrl}/api/uploads/`));
    }
    await send(agent.page, 'Gracias por la captura. Ya restablecí tu sesión; vuelve a intentarlo.');
    await messageText(candidate.page, 'restablecí tu sesión').waitFor({ timeout: LIVE_TIMEOUT });

    // Screenshots of this conversation as test artifacts (the README's come from layout.e2e.spec.ts).
    const docs = join(ARTIFACTS_DIR, 'chat');
    await agent.page.mouse.move(0, 0);
    await screenshot(agent.page, 'support-communication', docs);
    await screenshot(candidate.page, 'candidate-chat', docs);
    const narrow = await signedInUser(t, 'candidato1', { width: 390, height: 780 }, candidate.page.url().replace(t.baseUrl, ''));
    await narrow.page.getByTestId('back-to-list').waitFor();
    await messageText(narrow.page, 'restablecí tu sesión').waitFor();
    await screenshot(narrow.page, 'candidate-chat-mobile', docs);
    await narrow.page.getByTestId('back-to-list').click();
    await inboxItem(narrow.page).waitFor();
    expect(await inboxItem(narrow.page).evaluate((element) => element === document.activeElement)).toBe(true);
    await screenshot(narrow.page, 'candidate-chat-mobile-list', docs);
    await narrow.context.close();
  });

  it('status changes show on both sides; a closed conversation disables the composer with an explanation', async () => {
    await agent.page.getByTestId('status-resolved').click();
    await candidate.page.getByTestId('conversation-pane-status').getByText('Resuelta').waitFor({ timeout: LIVE_TIMEOUT });
    await candidate.page
      .getByTestId('system-message')
      .filter({ hasText: /resuelta/i })
      .first()
      .waitFor();

    await candidate.page.getByTestId('reopen').click();
    await candidate.page.getByTestId('conversation-pane-status').getByText('Abierta').waitFor();
    await agent.page.getByTestId('conversation-pane-status').getByText('Abierta').waitFor({ timeout: LIVE_TIMEOUT });

    await candidate.page.getByTestId('resolve').click();
    await agent.page.getByTestId('conversation-pane-status').getByText('Resuelta').waitFor({ timeout: LIVE_TIMEOUT });
    await agent.page.getByTestId('status-open').click();
    await candidate.page.getByTestId('conversation-pane-status').getByText('Abierta').waitFor({ timeout: LIVE_TIMEOUT });
  });

  it('never executes markup in messages, and the API refuses javascript: attachment URLs', async () => {
    await send(candidate.page, XSS);
    for (const page of [candidate.page, agent.page]) {
      await messageText(page, 'onerror=window.__xss=1').waitFor({ timeout: LIVE_TIMEOUT });
      expect(await page.locator('img[src="x"]').count()).toBe(0);
      expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
    }

    const result = await candidate.page.evaluate(async () => {
      const session = JSON.parse(localStorage.getItem('support-chat.session') ?? '{}') as { accessToken: string };
      const conversationId = new URL(location.href).searchParams.get('conversacion');
      const response = await fetch(`/api/support/chat/conversations/${conversationId}/messages`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${session.accessToken}` },
        body: JSON.stringify({ attachment: { url: 'javascript:window.__xss=2', name: 'x.png', mime_type: 'image/png', size_bytes: 10 } }),
      });
      return { status: response.status, body: (await response.json()) as { code: string } };
    });
    expect(result).toEqual({ status: 400, body: expect.objectContaining({ code: 'attachment_url_invalid' }) });
    expect(await candidate.page.locator('a[href^="javascript:"]').count()).toBe(0);
    expect(await candidate.page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
  });

  it('closing the conversation disables the candidate composer; screenshots of both pages', async () => {
    await send(agent.page, 'Quedó resuelto. Cierro la conversación; escríbenos si necesitas algo más.');
    await messageText(candidate.page, 'Cierro la conversación').waitFor({ timeout: LIVE_TIMEOUT });
    await screenshot(candidate.page, 'candidate-chat');
    await screenshot(agent.page, 'support-communication');

    await agent.page.getByTestId('status-closed').click();
    await candidate.page.getByTestId('composer-disabled').waitFor({ timeout: LIVE_TIMEOUT });
    expect(await candidate.page.getByTestId('composer-input').isDisabled()).toBe(true);
    await screenshot(candidate.page, 'candidate-chat-closed');

    await screenshot(agent.page, 'support-communication-closed');
  });
});

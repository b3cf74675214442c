import { readFileSync } from 'node:fs';

import { describeWithChromium, LIVE_TIMEOUT, screenshot, signedInUser, useTestBrowser } from './browser';
import { api, apiLogin, createConversation, sendMessage } from './seed';

jest.setTimeout(120_000);

/**
 * Issue 18: the demo supervisor `gerente1` reads every conversation without being able to change
 * anything, and audits the team's actions (filter, CSV export).
 */
describeWithChromium('supervisor (gerente1) in the browser', () => {
  const t = useTestBrowser();
  const subject = 'Supervisión: examen bloqueado';
  let conversationId: string;
  let supportToken: string;

  beforeAll(async () => {
    const candidateToken = await apiLogin('candidato2');
    supportToken = await apiLogin('soporte1');
    conversationId = await createConversation(candidateToken, subject);
    await sendMessage(candidateToken, conversationId, 'Mi examen se bloqueó en la pregunta 12');
    await sendMessage(supportToken, conversationId, 'Lo revisamos enseguida');
    await sendMessage(candidateToken, conversationId, 'Gracias, sigo esperando');
    await api(supportToken, 'PATCH', `/conversations/${conversationId}`, { priority: 'high' });
  });

  const unreadOf = async (token: string) => (await api<{ unread_count: number }>(token, 'GET', '/unread-count')).unread_count;

  it('reads a conversation but cannot write, change its status or assignment, and moves nobody’s unread count', async () => {
    const supportUnread = await unreadOf(supportToken);
    const { context, page } = await signedInUser(t, 'gerente1', { width: 1440, height: 900 });
    await page.waitForURL('**/support/communication');
    await page.getByTestId('supervision-note').getByText('Modo supervisión: solo lectura').waitFor();
    expect(await page.getByTestId('new-conversation').count()).toBe(0);

    await page.goto(`/support/communication?conversacion=${conversationId}`);
    await page.locator('[data-testid="message-text"]', { hasText: 'sigo esperando' }).waitFor({ timeout: LIVE_TIMEOUT });
    await page.getByTestId('read-only-note').getByText('Modo supervisión: solo lectura').waitFor();
    expect(await page.getByTestId('composer-input').count()).toBe(0);
    expect(await page.getByTestId('assign-me').count()).toBe(0);
    expect(await page.getByTestId('status-closed').count()).toBe(0);
    await screenshot(page, 'supervisor-read-only');

    // Even a request made by hand from this session is refused by the server.
    const refused = await page.evaluate(async (id) => {
      const session = JSON.parse(localStorage.getItem('support-chat.session') ?? '{}') as { accessToken?: string };
      const response = await fetch(`/api/support/chat/conversations/${id}/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${session.accessToken}` },
        body: JSON.stringify({ content: 'no debería llegar' }),
      });
      return { status: response.status, body: (await response.json()) as { code: string } };
    }, conversationId);
    expect(refused).toEqual({ status: 403, body: expect.objectContaining({ code: 'supervisor_read_only' }) });

    const history = await api<{ messages: { content: string }[] }>(supportToken, 'GET', `/conversations/${conversationId}/messages`);
    expect(history.messages.map((message) => message.content)).not.toContain('no debería llegar');
    expect(await unreadOf(supportToken)).toBe(supportUnread);
    await context.close();
  });

  it('sees the audit page, filters it and downloads the CSV', async () => {
    const { context, page } = await signedInUser(t, 'gerente1', { width: 1440, height: 900 });
    await page.getByTestId('nav-audit').click();
    await page.waitForURL('**/support/auditoria');
    const rows = page.getByTestId('audit-row');
    await rows.first().waitFor({ timeout: LIVE_TIMEOUT });
    await page.getByTestId('audit-action').getByText('Cambio de prioridad').first().waitFor();

    await page.getByTestId('audit-filter-conversation').fill(conversationId);
    await page.getByTestId('audit-filter-conversation').press('Tab');
    await page.waitForFunction(
      () => [...document.querySelectorAll('[data-testid="audit-action"]')].every((cell) => cell.textContent?.trim() !== 'Conversación abierta por soporte'),
      undefined,
      { timeout: LIVE_TIMEOUT },
    );
    // This conversation has two staff actions: the first reply's assignment and the priority change.
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="audit-row"]').length === 2, undefined, { timeout: LIVE_TIMEOUT });
    expect((await page.getByTestId('audit-action').allTextContents()).map((text) => text.trim()).sort()).toEqual(['Asignación', 'Cambio de prioridad']);
    await screenshot(page, 'supervisor-audit');

    const exportResponse = page.waitForResponse((response) => response.url().includes('/audit-events/export'));
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('audit-export').click()]);
    expect((await exportResponse).status()).toBe(200);
    expect(download.suggestedFilename()).toBe('auditoria-chat-soporte.csv');
    const csv = readFileSync((await download.path())!, 'utf8');
    const lines = csv
      .replace(/^\uFEFF/, '')
      .split('\r\n')
      .filter(Boolean);
    expect(lines[0]).toBe('fecha_utc,usuario_id,usuario,rol,accion,conversacion_id,antes,despues');
    expect(lines).toHaveLength(3);
    expect(lines.slice(1).every((line) => line.includes(conversationId))).toBe(true);
    expect(lines.some((line) => line.includes('conversation.priority_changed') && line.includes('""priority"":""high""'))).toBe(true);
    await context.close();
  });

  it('a support agent (not admin) gets no audit page', async () => {
    const { context, page } = await signedInUser(t, 'soporte1');
    expect(await page.getByTestId('nav-audit').count()).toBe(0);
    await page.goto('/support/auditoria');
    await page.waitForURL('**/support/communication');
    await context.close();
  });
});

import type { Page } from 'playwright-core';

import { describeWithChromium, screenshot, signedInUser, startConversation, useTestBrowser } from './browser';

jest.setTimeout(120_000);

/** The timeline as the reader sees it: separators by their text, messages by text (G when grouped). */
function outline(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll('.messages > li')].map((node) => {
      if (node.classList.contains('divider')) return `[${node.textContent?.trim()}]`;
      const text = node.querySelector('[data-testid="message-text"]')?.textContent?.trim() ?? node.textContent?.trim() ?? '';
      return `${text}${node.classList.contains('grouped') ? ' G' : ''}`;
    }),
  );
}

describeWithChromium('timeline: days, grouping, «Mensajes nuevos»', () => {
  const t = useTestBrowser();

  it('the agent opens a conversation with unread messages: separator before the first unread, one name for a run of messages', async () => {
    const { page: candidate } = await signedInUser(t, 'candidato2');
    const conversationId = await startConversation(candidate, `Separadores ${Date.now()}`);
    const input = candidate.getByTestId('composer-input');
    for (const text of ['Hola', 'Tengo un problema con mi examen', 'No puedo ver mis resultados']) {
      await input.fill(text);
      await input.press('Enter');
      await candidate.locator('[data-testid="message-text"]', { hasText: text }).waitFor();
    }

    const { page: agent } = await signedInUser(t, 'soporte1', { width: 1440, height: 900 });
    await agent.goto(`/support/communication?conversacion=${conversationId}`);
    await agent.getByTestId('unread-separator').waitFor();
    expect(await outline(agent)).toEqual(['[Hoy]', '[Mensajes nuevos]', 'Hola', 'Tengo un problema con mi examen G', 'No puedo ver mis resultados G']);
    // Name and time once for the run.
    expect(await agent.getByTestId('message-sender').allTextContents()).toEqual(['José Luis Ramírez Ortega']);
    // The separator is on screen, so there is nothing to jump to.
    await agent.getByTestId('jump-to-unread').waitFor({ state: 'detached' });
    await screenshot(agent, 'timeline-unread-separator');

    // Opened again after reading: no "Mensajes nuevos" any more.
    await agent.reload();
    await agent.locator('[data-testid="message-text"]', { hasText: 'resultados' }).waitFor();
    expect(await agent.getByTestId('unread-separator').count()).toBe(0);
  });

  it('with more unread messages than fit on screen, "Ir al primer mensaje no leído" brings the separator into view', async () => {
    const { page: candidate } = await signedInUser(t, 'candidato1');
    const conversationId = await startConversation(candidate, `Muchos mensajes ${Date.now()}`);
    // 24 messages through the API (the candidate's own session), then the agent answers and the candidate writes 12 more.
    const send = (count: number, prefix: string) =>
      candidate.evaluate(
        async ({ id, count, prefix }) => {
          const { accessToken } = JSON.parse(localStorage.getItem('support-chat.session')!) as { accessToken: string };
          for (let i = 1; i <= count; i++) {
            const response = await fetch(`/api/support/chat/conversations/${id}/messages`, {
              method: 'POST',
              headers: { Authorization: `Bearer ${accessToken}`, 'Content-Type': 'application/json' },
              body: JSON.stringify({ content: `${prefix} ${i}: detalle del problema con el examen`, client_message_id: crypto.randomUUID() }),
            });
            if (!response.ok) throw new Error(`send failed: ${response.status}`);
          }
        },
        { id: conversationId, count, prefix },
      );
    await send(6, 'Antes');

    const { page: agent } = await signedInUser(t, 'soporte1', { width: 1280, height: 720 });
    await agent.goto(`/support/communication?conversacion=${conversationId}`);
    await agent.locator('[data-testid="message-text"]', { hasText: 'Antes 6:' }).waitFor();
    await agent.getByTestId('composer-input').fill('Te leo, cuéntame más.');
    await agent.getByTestId('composer-input').press('Enter');
    await agent.locator('[data-testid="message-text"]', { hasText: 'cuéntame más' }).waitFor();
    await agent.goto('/support/communication');
    await send(20, 'Después');

    await agent.goto(`/support/communication?conversacion=${conversationId}`);
    await agent.locator('[data-testid="message-text"]', { hasText: 'Después 20:' }).waitFor();
    const separator = agent.getByTestId('unread-separator');
    const scroller = agent.locator('app-message-timeline .scroller');
    const inView = async () => {
      const [box, view] = [await separator.boundingBox(), await scroller.boundingBox()];
      return !!box && !!view && box.y >= view.y && box.y + box.height <= view.y + view.height;
    };
    // The separator sits just above "Después 1" (the team had answered the earlier ones), off screen.
    expect(await agent.evaluate(() => document.querySelector('[data-testid="unread-separator"]')?.nextElementSibling?.textContent)).toContain('Después 1:');
    expect(await inView()).toBe(false);
    const jump = agent.getByTestId('jump-to-unread');
    await jump.click();
    await agent.waitForFunction(() => document.activeElement?.getAttribute('data-testid') === 'unread-separator');
    expect(await inView()).toBe(true);
    // Only the timeline moved: the page itself did not scroll, the conversation's header is still there.
    expect(
      await agent.evaluate(() => [...document.querySelectorAll('*')].filter((node) => node.scrollTop > 0 && !node.closest('app-message-timeline')).length),
    ).toBe(0);
    expect((await agent.getByTestId('conversation-heading').boundingBox())!.y).toBeGreaterThanOrEqual(0);
    await jump.waitFor({ state: 'detached' });
    await screenshot(agent, 'timeline-jump-to-unread');
  });
});

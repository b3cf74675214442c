import type { Page } from 'playwright-core';

import { describeWithChromium, launchBrowser, screenshot, signIn, startConversation, TestBrowser } from './browser';

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
  let t: TestBrowser;

  beforeAll(async () => {
    t = await launchBrowser();
  });

  afterAll(async () => {
    await t?.close();
  });

  it('the agent opens a conversation with unread messages: separator before the first unread, one name for a run of messages', async () => {
    const { page: candidate } = await t.newUser();
    await signIn(candidate, 'candidato2');
    const conversationId = await startConversation(candidate, `Separadores ${Date.now()}`);
    const input = candidate.getByTestId('composer-input');
    for (const text of ['Hola', 'Tengo un problema con mi examen', 'No puedo ver mis resultados']) {
      await input.fill(text);
      await input.press('Enter');
      await candidate.locator('[data-testid="message-text"]', { hasText: text }).waitFor();
    }

    const { page: agent } = await t.newUser({ width: 1440, height: 900 });
    await signIn(agent, 'soporte1');
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
});

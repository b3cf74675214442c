import { describeWithChromium, LIVE_TIMEOUT, signedInUser, startConversation, useTestBrowser } from './browser';

jest.setTimeout(120_000);

describeWithChromium('read receipts', () => {
  const t = useTestBrowser();

  it('the candidate sees «Visto» once the agent has read, live and after a reload', async () => {
    const { page: candidate } = await signedInUser(t, 'candidato1');
    const conversationId = await startConversation(candidate, `Visto ${Date.now()}`);
    await candidate.getByTestId('composer-input').fill('¿Ya vieron mi mensaje?');
    await candidate.getByTestId('composer-input').press('Enter');
    const receipt = candidate.locator('[data-testid="message"]', { hasText: 'vieron mi mensaje' }).getByTestId('receipt');
    await receipt.waitFor();
    expect(await receipt.getAttribute('data-state')).toBe('sent');

    const { page: agent } = await signedInUser(t, 'soporte1', { width: 1440, height: 900 });
    await agent.goto(`/support/communication?conversacion=${conversationId}`);
    await agent.locator('[data-testid="message-text"]', { hasText: 'vieron mi mensaje' }).waitFor();

    await candidate.waitForFunction(() => document.querySelector('[data-testid="receipt"][data-state="seen"]')?.textContent?.includes('Visto'), undefined, {
      timeout: LIVE_TIMEOUT,
    });
    await candidate.reload();
    await receipt.waitFor();
    expect(await receipt.getAttribute('data-state')).toBe('seen');
    expect((await receipt.textContent())?.trim()).toBe('Visto');
    // The agent's own view: the candidate's message has no receipt (not the agent's own).
    expect(await agent.locator('[data-testid="message"]', { hasText: 'vieron mi mensaje' }).getByTestId('receipt').count()).toBe(0);
  });
});

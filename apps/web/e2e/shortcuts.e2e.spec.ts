import { describeWithChromium, LIVE_TIMEOUT, screenshot, signedInUser, startConversation, useTestBrowser } from './browser';

jest.setTimeout(120_000);

describeWithChromium('staff keyboard shortcuts', () => {
  const t = useTestBrowser();

  it('moves through the inbox, focuses search and composer, and lists the keys from "?" and the user menu', async () => {
    const { page: candidate } = await signedInUser(t, 'candidato2');
    const first = await startConversation(candidate, `Atajos uno ${Date.now()}`);
    const second = await startConversation(candidate, `Atajos dos ${Date.now()}`);

    const { page: agent } = await signedInUser(t, 'soporte1', { width: 1440, height: 900 });
    await agent.goto('/support/communication');
    await agent.getByTestId('conversation-item').first().waitFor({ timeout: LIVE_TIMEOUT });
    expect(await agent.getByTestId('conversation-item').count()).toBeGreaterThanOrEqual(2);
    const selected = () => new URL(agent.url()).searchParams.get('conversacion');

    await agent.keyboard.press('j');
    await agent.getByTestId('conversation-heading').waitFor();
    const top = selected();
    expect([first, second]).toContain(top);
    await agent.keyboard.press('j');
    await agent.waitForURL((url) => url.searchParams.get('conversacion') !== top);
    const next = selected();
    await agent.keyboard.press('k');
    await agent.waitForURL((url) => url.searchParams.get('conversacion') === top);

    // r: the composer; then Alt+↓ still moves on from inside it, and typed letters stay in it.
    await agent.getByTestId('conversation-heading').waitFor();
    await agent.keyboard.press('r');
    expect(await agent.getByTestId('composer-input').evaluate((element) => element === document.activeElement)).toBe(true);
    await agent.keyboard.type('jk');
    expect(await agent.getByTestId('composer-input').inputValue()).toBe('jk');
    expect(selected()).toBe(top);
    await agent.getByTestId('composer-input').fill('');
    await agent.keyboard.press('Alt+ArrowDown');
    await agent.waitForURL((url) => url.searchParams.get('conversacion') === next);

    // s: the search box (and "s" is not typed into it).
    await agent.locator('body').click({ position: { x: 5, y: 300 } });
    await agent.keyboard.press('s');
    expect(await agent.getByTestId('inbox-search').evaluate((element) => element === document.activeElement)).toBe(true);
    expect(await agent.getByTestId('inbox-search').inputValue()).toBe('');

    // ?: the help dialog; Escape closes it.
    await agent.locator('body').click({ position: { x: 5, y: 300 } });
    await agent.keyboard.press('Shift+?');
    const table = agent.getByTestId('shortcuts-table');
    await table.waitFor();
    expect(await table.textContent()).toContain('Conversación siguiente');
    await screenshot(agent, 'keyboard-shortcuts');
    await agent.keyboard.press('Escape');
    await table.waitFor({ state: 'detached' });

    // The same list from the user menu.
    await agent.locator('.user-menu-trigger').click();
    await agent.getByTestId('open-shortcuts').click();
    await table.waitFor();
    await agent.keyboard.press('Escape');
    await table.waitFor({ state: 'detached' });
  });
});

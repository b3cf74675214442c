import type { Page } from 'playwright-core';

import { describeWithChromium, LIVE_TIMEOUT, screenshot, signedInUser, startConversation, useTestBrowser } from './browser';
import { addCandidate, markReadForSoporte1 } from './seed';

jest.setTimeout(180_000);

const CANDIDATE = 'candidata.respuestas';
const CANDIDATE_NAME = 'Inés Quintana Robles';

/**
 * Issue 16, part 1 in the browser: an admin creates a label and a team quick reply on the management
 * page; an agent opens the `/` picker in the composer, filters it by typing, inserts the reply with its
 * variables filled in, edits it and sends it; the agent labels the conversation (menu and `l`), the
 * inbox shows the label and filters by it; the candidate never sees the label. At 1440 and 390 px.
 */
describeWithChromium('quick replies and labels', () => {
  const t = useTestBrowser();
  const stamp = Date.now().toString(36);
  const labelName = `Pago ${stamp}`;
  const shortcut = `saludo${stamp}`;

  beforeAll(() => addCandidate(CANDIDATE, CANDIDATE_NAME));
  afterAll(() => markReadForSoporte1(CANDIDATE_NAME));

  async function openPicker(agent: Page, typed: string): Promise<void> {
    const composer = agent.getByTestId('composer-input');
    await composer.click();
    await composer.pressSequentially(typed);
    await agent.getByTestId('quick-reply-picker').waitFor();
  }

  it('admin creates a label and a team reply; the agent inserts the reply with "/", edits and sends it, and labels the conversation', async () => {
    // The admin, on the management page (reached from the support navigation).
    const { page: admin } = await signedInUser(t, 'admin1', { width: 1440, height: 900 });
    await admin.goto('/support/communication');
    await admin.getByTestId('nav-quick-replies').click();
    await admin.waitForURL(/\/support\/respuestas-rapidas/);
    await admin.getByTestId('label-name').fill(labelName);
    await admin.getByTestId('label-create').click();
    await admin.getByTestId('label-item').filter({ hasText: labelName }).waitFor();
    await admin.getByTestId('scope-team').click();
    await admin.getByTestId('quick-reply-title').fill(`Saludo ${stamp}`);
    await admin.getByTestId('quick-reply-shortcut').fill(shortcut);
    await admin.getByTestId('quick-reply-body').fill('Hola {{candidato.nombre}}, soy {{agente.nombre}}. Sobre «{{conversacion.asunto}}»:');
    await admin.getByTestId('quick-reply-save').click();
    await admin
      .getByTestId('quick-reply-item')
      .filter({ hasText: `Saludo ${stamp}` })
      .waitFor();
    // An unknown variable is refused when saving, with the server's Spanish message.
    await admin.getByTestId('quick-reply-title').fill('Con error');
    await admin.getByTestId('quick-reply-body').fill('Hola {{candidato.correo}}');
    await admin.getByTestId('quick-reply-save').click();
    await admin.getByTestId('quick-reply-error').filter({ hasText: 'Variable desconocida: {{candidato.correo}}' }).waitFor();
    await screenshot(admin, 'quick-replies-management-1440');

    // The candidate opens a conversation.
    const { page: candidate } = await signedInUser(t, CANDIDATE, { width: 390, height: 844 });
    const subject = `Cobro doble ${stamp}`;
    const conversationId = await startConversation(candidate, subject);

    // The agent: "/" and part of the shortcut filter the picker; Enter inserts the filled-in text.
    const { page: agent } = await signedInUser(t, 'soporte1', { width: 1440, height: 900 });
    await agent.goto(`/support/communication?conversacion=${conversationId}`);
    await agent.getByTestId('conversation-heading').filter({ hasText: subject }).waitFor({ timeout: LIVE_TIMEOUT });
    await openPicker(agent, `/${shortcut.slice(0, -2)}`);
    const options = agent.getByTestId('quick-reply-option');
    await options.first().waitFor();
    expect(await options.count()).toBe(1);
    expect(await options.first().textContent()).toContain(`Hola ${CANDIDATE_NAME}, soy Lucía Fernández Ruiz.`);
    await screenshot(agent, 'quick-reply-picker-1440');
    await agent.keyboard.press('Enter');
    await agent.getByTestId('quick-reply-picker').waitFor({ state: 'detached' });
    const composer = agent.getByTestId('composer-input');
    const inserted = `Hola ${CANDIDATE_NAME}, soy Lucía Fernández Ruiz. Sobre «${subject}»:`;
    expect(await composer.inputValue()).toBe(inserted);
    // Still editable before sending.
    await agent.keyboard.type(' ya revisé tu pago.');
    await agent.keyboard.press('Enter');
    const sent = `${inserted} ya revisé tu pago.`;
    await agent.getByTestId('message').filter({ hasText: sent }).waitFor({ timeout: LIVE_TIMEOUT });
    expect(await composer.inputValue()).toBe('');

    // Esc closes the picker and keeps what was typed; a query with no match says so.
    await openPicker(agent, '/zzzz');
    expect(await agent.getByTestId('quick-reply-picker').textContent()).toContain('Ninguna respuesta rápida coincide');
    await agent.keyboard.press('Escape');
    await agent.getByTestId('quick-reply-picker').waitFor({ state: 'detached' });
    expect(await composer.inputValue()).toBe('/zzzz');
    await composer.fill('');

    // Labels: "l" opens the conversation's label menu (outside the composer).
    await agent.getByTestId('conversation-heading').click();
    await agent.keyboard.press('l');
    await agent.getByTestId('label-option').filter({ hasText: labelName }).click();
    await agent.getByTestId('conversation-labels').getByTestId('label-chip').filter({ hasText: labelName }).waitFor();
    await agent.keyboard.press('Escape');
    const item = agent.locator(`[data-testid="conversation-item"][data-conversation-id="${conversationId}"]`);
    await item.getByTestId('label-chip').filter({ hasText: labelName }).waitFor();

    // The inbox filters by the label: only labelled conversations remain, ours among them.
    await agent.getByTestId('filter-label').click();
    await agent.locator('mat-option').filter({ hasText: labelName }).click();
    await agent.waitForFunction(
      (name) => {
        const items = [...document.querySelectorAll('[data-testid="conversation-item"]')];
        return items.length > 0 && items.every((element) => element.textContent?.includes(name));
      },
      labelName,
      { timeout: LIVE_TIMEOUT },
    );
    await item.waitFor();
    await screenshot(agent, 'labels-inbox-filter-1440');

    // The candidate gets the reply, and never any label.
    await candidate.getByTestId('message').filter({ hasText: 'ya revisé tu pago.' }).waitFor({ timeout: LIVE_TIMEOUT });
    expect(await candidate.locator('body').textContent()).not.toContain(labelName);
    await candidate.reload();
    await candidate.getByTestId('message').filter({ hasText: 'ya revisé tu pago.' }).waitFor({ timeout: LIVE_TIMEOUT });
    expect(await candidate.locator('body').textContent()).not.toContain(labelName);
    expect(await candidate.getByTestId('label-chip').count()).toBe(0);
    await screenshot(candidate, 'labels-candidate-390');
  });

  it('works at 390 px: the "/" shortcut opens the picker in the open conversation, and labels show in the pane', async () => {
    const { page: candidate } = await signedInUser(t, CANDIDATE, { width: 390, height: 844 });
    await candidate.goto('/chat-soporte');
    await candidate.getByTestId('conversation-item').first().waitFor({ timeout: LIVE_TIMEOUT });
    await candidate.getByTestId('conversation-item').first().click();
    await candidate.waitForURL(/conversacion=/);
    const conversationId = new URL(candidate.url()).searchParams.get('conversacion')!;

    const { page: agent } = await signedInUser(t, 'soporte1', { width: 390, height: 844 });
    await agent.goto(`/support/communication?conversacion=${conversationId}`);
    await agent.getByTestId('conversation-heading').waitFor({ timeout: LIVE_TIMEOUT });
    await agent.getByTestId('conversation-labels').getByTestId('label-chip').filter({ hasText: labelName }).waitFor();
    await agent.getByTestId('conversation-heading').click();
    await agent.keyboard.press('/');
    await agent.getByTestId('quick-reply-picker').waitFor();
    expect(await agent.getByTestId('composer-input').inputValue()).toBe('/');
    await agent.keyboard.type(shortcut.slice(0, 4));
    await agent.getByTestId('quick-reply-option').first().waitFor();
    await screenshot(agent, 'quick-reply-picker-390');
    await agent.keyboard.press('Tab');
    expect(await agent.getByTestId('composer-input').inputValue()).toContain(`Hola ${CANDIDATE_NAME}`);
    // The picker fits the narrow screen: nothing scrolls sideways.
    expect(await agent.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
  });
});

import type { Page } from 'playwright-core';

import { describeWithChromium, LIVE_TIMEOUT, signedInUser, startConversation, useTestBrowser } from './browser';
import { addCandidate, markReadForSoporte1 } from './seed';

jest.setTimeout(180_000);

const CANDIDATE = 'candidata.notas';
const CANDIDATE_NAME = 'Norma Notas Internas';

/**
 * Issue 16 part 2 in the browser: an internal note has its own look for staff and never shows on the
 * candidate's page (open at the same time, and after a reload); a transfer with a note notifies the
 * colleague's open tab live; escalation to `coordinador1` and return, with the neutral line for the candidate.
 */
describeWithChromium('internal notes, transfer and escalation in the browser', () => {
  const t = useTestBrowser();

  beforeAll(() => addCandidate(CANDIDATE, CANDIDATE_NAME));
  afterAll(() => markReadForSoporte1(CANDIDATE_NAME));

  async function openAsStaff(username: string, conversationId: string): Promise<Page> {
    const { page } = await signedInUser(t, username);
    await page.goto(`/support/communication?conversacion=${conversationId}`);
    await page.getByTestId('handoff-bar').waitFor({ timeout: LIVE_TIMEOUT });
    return page;
  }

  async function candidateWithConversation(subject: string): Promise<{ page: Page; conversationId: string }> {
    const { page } = await signedInUser(t, CANDIDATE);
    const conversationId = await startConversation(page, subject);
    const input = page.getByTestId('composer-input');
    await input.fill('Me cobraron dos veces el examen');
    await input.press('Enter');
    await page.locator('[data-testid="message-text"]', { hasText: 'dos veces' }).waitFor();
    return { page, conversationId };
  }

  it('a note looks distinct for staff and never reaches the candidate, live or after a reload', async () => {
    const { page: candidate, conversationId } = await candidateWithConversation(`Notas ${Date.now()}`);
    const agent = await openAsStaff('soporte1', conversationId);
    await agent.locator('[data-testid="message-text"]', { hasText: 'dos veces' }).waitFor({ timeout: LIVE_TIMEOUT });

    // The shortcut "n" opens the note form.
    await agent.locator('body').press('n');
    await agent.getByTestId('handoff-note-text').fill('NOTA-INTERNA: revisar el cargo duplicado con finanzas');
    await agent.getByTestId('handoff-submit').click();
    const note = agent.getByTestId('internal-note').filter({ hasText: 'cargo duplicado' });
    await note.waitFor({ timeout: LIVE_TIMEOUT });
    await expectDistinctLook(agent);

    const agentInput = agent.getByTestId('composer-input');
    await agentInput.fill('Ya lo estamos revisando');
    await agentInput.press('Enter');
    await candidate.locator('[data-testid="message-text"]', { hasText: 'Ya lo estamos revisando' }).waitFor({ timeout: LIVE_TIMEOUT });
    expect(await candidate.getByText('NOTA-INTERNA').count()).toBe(0);
    expect(await candidate.getByTestId('internal-note').count()).toBe(0);

    await candidate.reload();
    await candidate.locator('[data-testid="message-text"]', { hasText: 'Ya lo estamos revisando' }).waitFor({ timeout: LIVE_TIMEOUT });
    expect(await candidate.getByText('NOTA-INTERNA').count()).toBe(0);
    expect(await candidate.getByTestId('conversation-item').filter({ hasText: 'NOTA-INTERNA' }).count()).toBe(0);
  });

  it('transfer with a note notifies the colleague live; escalate to coordinador1 and return', async () => {
    const { page: candidate, conversationId } = await candidateWithConversation(`Turnar ${Date.now()}`);
    const admin = await openAsStaff('admin1', conversationId);
    const coordinator = await openAsStaff('coordinador1', conversationId);
    const agent = await openAsStaff('soporte1', conversationId);

    await agent.locator('body').press('t');
    await agent.getByTestId('staff-option-admin1').locator('input').check();
    await agent.getByTestId('handoff-note-text').fill('NOTA-INTERNA: cliente molesto, trato prioritario');
    await agent.getByTestId('handoff-submit').click();
    await agent.getByTestId('current-handler').filter({ hasText: 'Carlos Méndez Soto' }).waitFor({ timeout: LIVE_TIMEOUT });
    await admin.getByText('te transfirió una conversación').waitFor({ timeout: LIVE_TIMEOUT });
    await admin.getByTestId('internal-note').filter({ hasText: 'cliente molesto' }).waitFor({ timeout: LIVE_TIMEOUT });

    await admin.getByTestId('handoff-escalate').click();
    await admin.getByTestId('staff-option-coordinador1').locator('input').check();
    await admin.getByTestId('handoff-submit').click();
    await admin.getByTestId('tier-coordinator').waitFor({ timeout: LIVE_TIMEOUT });
    await coordinator.getByText('turnó una conversación a coordinación').waitFor({ timeout: LIVE_TIMEOUT });
    await candidate.getByTestId('system-message').filter({ hasText: 'Tu conversación fue turnada a un coordinador.' }).waitFor({ timeout: LIVE_TIMEOUT });

    await coordinator.getByTestId('tier-coordinator').waitFor({ timeout: LIVE_TIMEOUT });
    await coordinator.getByTestId('handoff-return').click();
    await coordinator.getByTestId('handoff-submit').click();
    await coordinator.getByTestId('handoff-escalate').waitFor({ timeout: LIVE_TIMEOUT });
    await candidate.getByTestId('system-message').filter({ hasText: 'Tu conversación regresó al equipo de soporte.' }).waitFor({ timeout: LIVE_TIMEOUT });
    expect(await candidate.getByText('NOTA-INTERNA').count()).toBe(0);
  });
});

/** The note is not a chat bubble: its own background and a dashed border. */
async function expectDistinctLook(page: Page): Promise<void> {
  const look = await page
    .getByTestId('internal-note')
    .first()
    .evaluate((element) => {
      const style = getComputedStyle(element);
      return { border: style.borderTopStyle, background: style.backgroundColor };
    });
  const bubble = await page
    .locator('[data-testid="message"] .bubble')
    .first()
    .evaluate((element) => getComputedStyle(element).backgroundColor);
  expect(look.border).toBe('dashed');
  expect(look.background).not.toBe(bubble);
}

import type { Page } from 'playwright-core';

import { describeWithChromium, LIVE_TIMEOUT, signedInUser, startConversation, useTestBrowser } from './browser';

jest.setTimeout(120_000);

/** Full names of the demo users (apps/api/src/demo/demo-users.ts), as the typing indicator shows them. */
const CANDIDATE_NAME = 'José Luis Ramírez Ortega';
const AGENT_NAME = 'Lucía Fernández Ruiz';

/**
 * Typing indicator and online dot of the conversation header (Socket.IO), between a candidate and a
 * support agent in separate browser contexts. Nobody sends a message here, so the other browser tests'
 * unread counts are left alone.
 */
describeWithChromium('typing indicator and online dot in the browser', () => {
  const t = useTestBrowser();
  const subject = 'Duda sobre mi constancia';

  const onlineDot = (page: Page) => page.getByTestId('conversation-heading').getByTestId('online-dot');
  const typingIndicator = (page: Page) => page.getByTestId('typing-indicator');

  it('each side sees the other typing and online, until they stop typing or close the page', async () => {
    const candidate = await signedInUser(t, 'candidato2');
    const conversationId = await startConversation(candidate.page, subject);
    const conversationUrl = `/support/communication?conversacion=${conversationId}`;

    // Alone in the conversation: nobody else is online.
    expect(await onlineDot(candidate.page).count()).toBe(0);

    const agent = await signedInUser(t, 'soporte1', { width: 1440, height: 900 });
    await agent.page.goto(conversationUrl);
    await agent.page.getByTestId('conversation-heading').filter({ hasText: subject }).waitFor();

    // Both have joined: each header shows the other one online.
    await onlineDot(agent.page).waitFor({ timeout: LIVE_TIMEOUT });
    await onlineDot(candidate.page).waitFor({ timeout: LIVE_TIMEOUT });

    // The candidate types (without sending): the agent sees it, the candidate does not see their own typing.
    await candidate.page.getByTestId('composer-input').pressSequentially('Hola, necesito ayuda con');
    const candidateTyping = typingIndicator(agent.page);
    await candidateTyping.filter({ hasText: `${CANDIDATE_NAME} está escribiendo…` }).waitFor({ timeout: LIVE_TIMEOUT });
    expect(await typingIndicator(candidate.page).count()).toBe(0);
    // The candidate stopped typing: the indicator goes away by itself.
    await candidateTyping.waitFor({ state: 'detached', timeout: LIVE_TIMEOUT });
    expect(await candidate.page.getByTestId('composer-input').inputValue()).toBe('Hola, necesito ayuda con');

    // And the other way round.
    await agent.page.getByTestId('composer-input').pressSequentially('Hola José Luis');
    const agentTyping = typingIndicator(candidate.page);
    await agentTyping.filter({ hasText: `${AGENT_NAME} está escribiendo…` }).waitFor({ timeout: LIVE_TIMEOUT });
    expect(await typingIndicator(agent.page).count()).toBe(0);
    await agentTyping.waitFor({ state: 'detached', timeout: LIVE_TIMEOUT });

    // The agent closes the page: the candidate no longer sees them online; they come back, and so does the dot.
    await agent.page.close();
    await onlineDot(candidate.page).waitFor({ state: 'detached', timeout: LIVE_TIMEOUT });
    const agentAgain = await agent.context.newPage();
    await agentAgain.goto(conversationUrl);
    await agentAgain.getByTestId('conversation-heading').filter({ hasText: subject }).waitFor();
    await onlineDot(agentAgain).waitFor({ timeout: LIVE_TIMEOUT });
    await onlineDot(candidate.page).waitFor({ timeout: LIVE_TIMEOUT });

    // The candidate closes the page: the agent no longer sees them online.
    await candidate.context.close();
    await onlineDot(agentAgain).waitFor({ state: 'detached', timeout: LIVE_TIMEOUT });
    await agent.context.close();
  });
});

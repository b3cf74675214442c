import type { Page } from 'playwright-core';

import { describeWithChromium, LIVE_TIMEOUT, signIn, startConversation, useTestBrowser } from './browser';

jest.setTimeout(120_000);

interface Frame {
  transport: 'sse' | 'socket';
  name: string;
  data: any;
}

/**
 * Every realtime frame the page receives, whatever opened it: SSE messages and Socket.IO event packets
 * (`42[name, data]`), read from Chromium's network layer (CDP), so nothing in the app is instrumented.
 */
async function recordFrames(page: Page): Promise<Frame[]> {
  const frames: Frame[] = [];
  const cdp = await page.context().newCDPSession(page);
  cdp.on('Network.eventSourceMessageReceived', (event: { eventName: string; data: string }) => {
    frames.push({ transport: 'sse', name: event.eventName, data: JSON.parse(event.data) });
  });
  cdp.on('Network.webSocketFrameReceived', (event: { response: { payloadData: string } }) => {
    const packet = /^42(\[[\s\S]*\])$/.exec(event.response.payloadData);
    if (!packet) return;
    const [name, data] = JSON.parse(packet[1]) as [string, unknown];
    frames.push({ transport: 'socket', name, data });
  });
  await cdp.send('Network.enable');
  return frames;
}

const waitFor = async (condition: () => boolean, what: string) => {
  const deadline = Date.now() + LIVE_TIMEOUT;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
};

/**
 * Issue 15: a tab gets each realtime event once (not over both its SSE stream and its socket), and
 * typing and presence of a conversation reach only the tabs viewing it.
 */
describeWithChromium('each realtime event reaches a tab once', () => {
  const t = useTestBrowser();

  it('a message, typing and presence: once per tab that should see them, never in a tab elsewhere', async () => {
    const candidate = await t.newUser();
    const candidateFrames = await recordFrames(candidate.page);
    await signIn(candidate.page, 'candidato2');
    const conversationId = await startConversation(candidate.page, `Una vez por pestaña ${Date.now()}`);

    // Staff with the conversation open, and staff on the workspace without it.
    const viewer = await t.newUser({ width: 1440, height: 900 });
    const viewerFrames = await recordFrames(viewer.page);
    await signIn(viewer.page, 'admin1');
    await viewer.page.goto(`/support/communication?conversacion=${conversationId}`);
    await viewer.page.getByTestId('conversation-heading').waitFor();
    const bystander = await t.newUser({ width: 1440, height: 900 });
    const bystanderFrames = await recordFrames(bystander.page);
    await signIn(bystander.page, 'developer1');
    await bystander.page.goto('/support/communication');
    await waitFor(() => bystanderFrames.some((frame) => frame.name === 'ready'), 'the bystander stream');

    // Both sides of the conversation see each other online (presence), then the candidate types and sends.
    await candidate.page.getByTestId('conversation-heading').getByTestId('online-dot').waitFor({ timeout: LIVE_TIMEOUT });
    await candidate.page.getByTestId('composer-input').pressSequentially('Hola, ¿me ayudan?');
    await viewer.page.getByTestId('typing-indicator').waitFor({ timeout: LIVE_TIMEOUT });
    await candidate.page.getByTestId('composer-input').press('Enter');
    const sent = (frame: Frame) => frame.name === 'message.created' && frame.data.conversation_id === conversationId;
    await waitFor(() => [candidateFrames, viewerFrames, bystanderFrames].every((frames) => frames.some(sent)), 'the message in every tab');

    const ofConversation = (frames: Frame[], name: string) => frames.filter((frame) => frame.name === name && frame.data.conversation_id === conversationId);
    const messageIds = (frames: Frame[]) => ofConversation(frames, 'message.created').map((frame) => frame.data.message.id as string);
    const transports = (frames: Frame[], name: string) => [...new Set(ofConversation(frames, name).map((frame) => frame.transport))];

    // The message: exactly one frame in each tab.
    for (const frames of [candidateFrames, viewerFrames, bystanderFrames]) {
      expect(messageIds(frames)).toHaveLength(1);
    }
    // Typing and presence: in the viewing tab over one transport only (each event once)...
    expect(ofConversation(viewerFrames, 'typing').length).toBeGreaterThan(0);
    expect(transports(viewerFrames, 'typing')).toHaveLength(1);
    expect(ofConversation(viewerFrames, 'presence').length).toBeGreaterThan(0);
    expect(transports(viewerFrames, 'presence')).toHaveLength(1);
    expect(transports(candidateFrames, 'presence')).toHaveLength(1);
    // ...never in a tab that does not show the conversation, and never the typist's own typing.
    expect(ofConversation(bystanderFrames, 'typing')).toEqual([]);
    expect(ofConversation(bystanderFrames, 'presence')).toEqual([]);
    expect(ofConversation(candidateFrames, 'typing')).toEqual([]);

    for (const user of [candidate, viewer, bystander]) await user.context.close();
  });
});

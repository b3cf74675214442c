import { readFileSync } from 'node:fs';

import { describeWithChromium, LIVE_TIMEOUT, signedInUser, startConversation, useTestBrowser } from './browser';
import { api, apiLogin } from './seed';

jest.setTimeout(120_000);

describeWithChromium('issue 17: transcript download and the e-mail opt-out', () => {
  const t = useTestBrowser();

  it('candidate and staff download the conversation as printable HTML, times in the browser zone', async () => {
    const subject = `Transcripción ${Date.now()}`;
    const { page: candidate } = await signedInUser(t, 'candidato1');
    const conversationId = await startConversation(candidate, subject);
    await candidate.getByTestId('composer-input').fill('Mi examen <no> carga');
    await candidate.getByTestId('composer-input').press('Enter');
    await candidate.locator('[data-testid="message-text"]', { hasText: 'Mi examen' }).waitFor();

    const [download] = await Promise.all([candidate.waitForEvent('download'), candidate.getByTestId('download-transcript').click()]);
    expect(download.suggestedFilename()).toMatch(new RegExp(`^conversacion-${conversationId.slice(0, 8)}-\\d{4}-\\d{2}-\\d{2}\\.html$`));
    const html = readFileSync((await download.path())!, 'utf8');
    expect(html).toContain(subject);
    expect(html).toContain('Mi examen &lt;no&gt; carga');
    expect(html).toContain('Ana María López Hernández');
    // The test browser runs in America/Mexico_City (see browser.ts).
    expect(html).toContain('<dt>Zona horaria</dt><dd>America/Mexico_City</dd>');

    const { page: agent } = await signedInUser(t, 'soporte1', { width: 1440, height: 900 });
    await agent.goto(`/support/communication?conversacion=${conversationId}`);
    await agent.getByTestId('conversation-heading').filter({ hasText: subject }).waitFor({ timeout: LIVE_TIMEOUT });
    const [staffDownload] = await Promise.all([agent.waitForEvent('download'), agent.getByTestId('download-transcript').click()]);
    expect(readFileSync((await staffDownload.path())!, 'utf8')).toContain('Mi examen &lt;no&gt; carga');
  });

  it('a candidate turns the e-mail off in their profile and it stays off; staff see no such toggle', async () => {
    const { page } = await signedInUser(t, 'candidato2');
    await page.goto('/perfil');
    const toggle = page.getByTestId('email-when-away').getByRole('switch');
    await toggle.waitFor();
    expect(await toggle.getAttribute('aria-checked')).toBe('true');
    const saved = page.waitForResponse((response) => response.url().endsWith('/api/support/chat/me/preferences') && response.request().method() === 'PUT');
    await toggle.click();
    expect((await saved).status()).toBe(200);
    expect(await toggle.getAttribute('aria-checked')).toBe('false');

    await page.reload();
    await page.getByTestId('email-when-away').getByRole('switch').waitFor();
    expect(await page.getByTestId('email-when-away').getByRole('switch').getAttribute('aria-checked')).toBe('false');
    const token = await apiLogin('candidato2');
    expect(await api<{ email_when_away: boolean }>(token, 'GET', '/me/preferences')).toEqual({ email_when_away: false });
    // Back on, so the shared server's other tests see the default.
    await page.getByTestId('email-when-away').getByRole('switch').click();
    await page.waitForFunction(() => document.querySelector('[data-testid="email-when-away"] [role="switch"]')?.getAttribute('aria-checked') === 'true');

    const { page: agent } = await signedInUser(t, 'soporte1');
    await agent.goto('/support/perfil');
    await agent.getByRole('heading', { name: 'Mi perfil' }).waitFor();
    await agent.getByText('Rol').waitFor();
    expect(await agent.getByTestId('email-when-away').count()).toBe(0);
  });
});

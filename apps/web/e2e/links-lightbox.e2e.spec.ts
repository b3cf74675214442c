import { describeWithChromium, LIVE_TIMEOUT, screenshot, signedInUser, signIn, startConversation, useTestBrowser } from './browser';

jest.setTimeout(120_000);

describeWithChromium('links and images in messages', () => {
  const t = useTestBrowser();

  it('an https link opens in a new tab without opener or referrer; a hostile payload neither runs nor links; an image opens in a lightbox', async () => {
    const { page: candidate } = await signedInUser(t, 'candidato1');
    const conversationId = await startConversation(candidate, `Enlaces ${Date.now()}`);
    // Any dialog (alert) fails the test: see newUser().
    const hostile = 'La guía: https://ayuda.example.mx/guia?paso=2 <img src=x onerror=alert(1)> javascript:alert(2) "><script>alert(3)</script>';
    await candidate.getByTestId('composer-input').fill(hostile);
    await candidate.getByTestId('composer-input').press('Enter');
    await candidate.locator('[data-testid="message-text"]', { hasText: 'La guía' }).waitFor();
    const png = await candidate.screenshot({ clip: { x: 0, y: 0, width: 800, height: 500 } });
    await candidate.locator('input[type="file"]').setInputFiles({ name: 'pantalla.png', mimeType: 'image/png', buffer: png });
    await candidate.getByTestId('attachment-ready').waitFor();
    await candidate.getByTestId('composer-input').press('Enter');

    const { context, page: agent } = await t.newUser({ width: 1440, height: 900 });
    await context.route('https://ayuda.example.mx/**', (route) => route.fulfill({ contentType: 'text/html', body: '<title>Guía</title><p>Guía</p>' }));
    await signIn(agent, 'soporte1');
    await agent.goto(`/support/communication?conversacion=${conversationId}`);
    const text = agent.locator('[data-testid="message-text"]', { hasText: 'La guía' });
    await text.waitFor({ timeout: LIVE_TIMEOUT });
    expect(await text.textContent()).toBe(hostile);
    expect(await text.locator('img, script').count()).toBe(0);
    const links = text.locator('a');
    expect(await links.count()).toBe(1);
    const link = links.first();
    expect([await link.getAttribute('href'), await link.getAttribute('target'), await link.getAttribute('rel')]).toEqual([
      'https://ayuda.example.mx/guia?paso=2',
      '_blank',
      'noopener noreferrer',
    ]);
    const [popup] = await Promise.all([agent.waitForEvent('popup'), link.click()]);
    await popup.waitForLoadState();
    expect(await popup.evaluate(() => [window.opener === null, document.referrer])).toEqual([true, '']);
    await popup.close();

    const thumbnail = agent.getByTestId('attachment-thumbnail');
    await thumbnail.waitFor({ timeout: LIVE_TIMEOUT });
    await thumbnail.click();
    const image = agent.getByTestId('lightbox-image');
    await image.waitFor();
    await agent.waitForFunction(
      (element) => (element as HTMLImageElement).complete && (element as HTMLImageElement).naturalWidth > 0,
      await image.elementHandle(),
    );
    const box = await image.boundingBox();
    // Shown at (up to) its own size, larger than the thumbnail, inside the viewport.
    expect(box!.width).toBeGreaterThan((await thumbnail.locator('img').boundingBox())!.width * 2);
    expect(box!.x).toBeGreaterThanOrEqual(0);
    expect(box!.x + box!.width).toBeLessThanOrEqual(1440);
    await screenshot(agent, 'image-lightbox');
    await agent.keyboard.press('Escape');
    await image.waitFor({ state: 'detached' });
    expect(await thumbnail.evaluate((element) => element === document.activeElement)).toBe(true);
  });
});

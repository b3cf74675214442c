import { describeWithChromium, screenshot, signedInUser, useTestBrowser } from './browser';
import { addCandidate, apiLogin, createConversation, markReadForSoporte1, sendMessage } from './seed';

jest.setTimeout(180_000);

/** A word no other test writes: letters only (searchable), with an accent the searcher leaves out. */
const tag = Array.from({ length: 6 }, () => String.fromCharCode(97 + Math.floor(Math.random() * 26))).join('');
const WORD = `murciélago${tag}`;
const TYPED = `murcielago${tag}`;

describeWithChromium('search over message text (issue 16)', () => {
  const t = useTestBrowser();
  let ownConversation: string;
  let otherConversation: string;

  beforeAll(async () => {
    addCandidate('busqueda.uno', 'Berenice Búsqueda Uno');
    addCandidate('busqueda.dos', 'Bruno Búsqueda Dos');
    const uno = await apiLogin('busqueda.uno');
    const dos = await apiLogin('busqueda.dos');
    ownConversation = await createConversation(uno, `Constancia ${tag}`);
    // The match is the 5th of 45 messages: the conversation opens far above its newest page.
    for (let i = 1; i <= 45; i++) {
      await sendMessage(uno, ownConversation, i === 5 ? `En la constancia dice <b>${WORD}</b> en lugar de mi nombre` : `Mensaje ${i} de relleno`);
    }
    otherConversation = await createConversation(dos, `Otra ${tag}`);
    await sendMessage(dos, otherConversation, `Yo también vi ${WORD} en mi constancia`);
  });

  afterAll(() => markReadForSoporte1('Búsqueda'));

  it('staff find a word typed without its accent, see the highlighted snippet and open the conversation at that message', async () => {
    const { page } = await signedInUser(t, 'soporte1', { width: 1440, height: 900 });
    await page.goto('/support/communication');
    await page.getByTestId('message-search').fill(TYPED);
    const results = page.getByTestId('message-search-result');
    await results.nth(1).waitFor();
    expect(await results.count()).toBe(2);
    // Newest match first; the snippet shows the text as text (no HTML) with the match in <mark>.
    expect(await results.nth(0).getAttribute('data-conversation')).toBe(otherConversation);
    const own = page.locator(`[data-testid="message-search-result"][data-conversation="${ownConversation}"]`);
    expect(await own.locator('mark').allTextContents()).toEqual([WORD]);
    expect(await own.getByTestId('message-search-snippet').textContent()).toContain(`<b>${WORD}</b>`);
    expect(await own.locator('b').count()).toBe(0);
    await screenshot(page, 'message-search-staff');

    await own.click();
    await page.waitForURL((url) => url.searchParams.get('conversacion') === ownConversation && url.searchParams.get('mensaje') === '5');
    const focused = page.locator('[data-testid="message"][data-focused="true"]');
    await focused.waitFor();
    expect(await focused.getAttribute('data-seq')).toBe('5');
    expect(await focused.locator('[data-testid="message-text"]').textContent()).toContain(WORD);
    // Scrolled into the timeline's view, not left at the bottom.
    const visible = await focused.evaluate((node) => {
      const scroller = node.closest('.scroller')!.getBoundingClientRect();
      const box = node.getBoundingClientRect();
      return box.top >= scroller.top && box.bottom <= scroller.bottom;
    });
    expect(visible).toBe(true);
    // Older messages are above it, and the newer ones follow (caught up after the window).
    await page.locator('[data-testid="message-text"]', { hasText: 'Mensaje 1 de relleno' }).waitFor({ state: 'attached' });
    await page.locator('[data-testid="message-text"]', { hasText: 'Mensaje 45 de relleno' }).waitFor({ state: 'attached', timeout: 30_000 });
    expect(
      await focused.evaluate(
        (node) => node.closest('.scroller')!.scrollTop < node.closest('.scroller')!.scrollHeight - node.closest('.scroller')!.clientHeight - 50,
      ),
    ).toBe(true);
    await screenshot(page, 'message-search-opened-at-message');
  });

  it('a candidate searching finds only their own conversations', async () => {
    const { page } = await signedInUser(t, 'busqueda.uno', { width: 1280, height: 800 });
    await page.goto('/chat-soporte');
    await page.getByTestId('message-search').fill(TYPED.toUpperCase());
    await page.getByTestId('message-search-result').first().waitFor();
    await page.getByTestId('message-search-status').filter({ hasText: '1 conversación' }).waitFor();
    expect(await page.getByTestId('message-search-result').evaluateAll((nodes) => nodes.map((node) => node.getAttribute('data-conversation')))).toEqual([
      ownConversation,
    ]);
    await page.getByTestId('message-search-result').first().click();
    await page.locator('[data-testid="message"][data-focused="true"][data-seq="5"]').waitFor();

    await page.getByTestId('message-search').fill('palabrainexistentezz');
    await page.getByTestId('message-search-status').filter({ hasText: 'Ningún mensaje coincide.' }).waitFor();
  });
});

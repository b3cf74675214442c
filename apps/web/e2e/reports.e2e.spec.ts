import { readFileSync } from 'node:fs';

import { describeWithChromium, LIVE_TIMEOUT, screenshot, signedInUser, useTestBrowser } from './browser';
import { apiLogin, createConversation, sendMessage } from './seed';

jest.setTimeout(120_000);

/** Issue 18: the demo supervisor `gerente1` reads the reports (charts and tables) and exports CSV, wide and narrow. */
describeWithChromium('reports (gerente1) in the browser', () => {
  const t = useTestBrowser();

  beforeAll(async () => {
    const candidateToken = await apiLogin('candidato1');
    const supportToken = await apiLogin('soporte1');
    const conversationId = await createConversation(candidateToken, 'Reportes: constancia');
    await sendMessage(candidateToken, conversationId, 'Necesito mi constancia');
    await sendMessage(supportToken, conversationId, 'Te la envío hoy');
  });

  it.each([
    ['wide', { width: 1440, height: 900 }],
    ['narrow', { width: 390, height: 844 }],
  ] as const)('opens the reports page (%s), sees the charts and the summary table, exports the CSV', async (name, viewport) => {
    const { context, page } = await signedInUser(t, 'gerente1', viewport);
    if (name === 'wide') {
      await page.getByTestId('nav-reports').click();
    } else {
      await page.goto('/support/reportes');
    }
    await page.waitForURL('**/support/reportes');
    const table = page.getByTestId('summary-table');
    await table.waitFor({ timeout: LIVE_TIMEOUT });
    await page.getByTestId('chart-volume').locator('canvas').waitFor();
    await page.getByTestId('chart-response').locator('canvas').waitFor();
    await page.getByTestId('chart-csat').locator('canvas').waitFor();
    // Agent rows: at least the one who answered today.
    expect(await table.locator('tbody tr').count()).toBeGreaterThan(0);
    // The canvas was drawn (Chart.js sized it).
    const width = await page
      .getByTestId('chart-volume')
      .locator('canvas')
      .evaluate((canvas: HTMLCanvasElement) => canvas.width);
    expect(width).toBeGreaterThan(100);
    // Nothing overflows the page sideways (tables scroll inside their card).
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1)).toBe(true);
    await screenshot(page, `reports-${name}`);

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-summary').click()]);
    expect(download.suggestedFilename()).toMatch(/^reporte-resumen-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}\.csv$/);
    const lines = readFileSync((await download.path())!, 'utf8')
      .replace(/^\uFEFF/, '')
      .split('\r\n')
      .filter(Boolean);
    expect(lines[0]).toMatch(/^grupo,nombre,abiertas,resueltas,/);
    expect(lines.length).toBeGreaterThan(1);
    await context.close();
  });
});

import { join } from 'node:path';

import type { Page } from 'playwright-core';

import { AxeFinding, seriousViolations } from './axe';
import { ARTIFACTS_DIR, describeWithChromium, screenshot, signedInUser, useTestBrowser } from './browser';
import { addCandidate, apiLogin, createConversation, markReadForSoporte1, sendMessage } from './seed';

jest.setTimeout(240_000);

const dir = join(ARTIFACTS_DIR, 'a11y');
const VIEWPORTS = [
  { name: 'desktop', width: 1440, height: 900 },
  { name: 'phone', width: 390, height: 844 },
] as const;

/**
 * axe-core on every page state people meet (sign-in, both shells, dialogs and menus open, phone and
 * desktop): no critical and no serious violation. Each state's findings are collected, so one run
 * lists all of them.
 */
describeWithChromium('accessibility (axe-core)', () => {
  const t = useTestBrowser();
  let conversationId: string;

  beforeAll(async () => {
    addCandidate('candidata.accesible', 'Renata Olvera Cisneros');
    const token = await apiLogin('candidata.accesible');
    conversationId = await createConversation(token, 'No veo el botón para subir mi identificación');
    await sendMessage(token, conversationId, 'Hola, en el paso 3 no aparece el botón para subir mi INE. Uso https://examenes.ejemplo.com en Chrome.');
    await sendMessage(await apiLogin('admin1'), conversationId, 'Hola Renata, ¿puedes mandarme una captura de esa pantalla?');
    await sendMessage(token, conversationId, 'Claro, enseguida.');
  });

  afterAll(async () => {
    await markReadForSoporte1('Renata');
  });

  describe.each(VIEWPORTS)('$name', (viewport) => {
    const findings: Record<string, AxeFinding[]> = {};

    async function check(page: Page, state: string): Promise<void> {
      // Let transitions (menus, dialogs) finish so axe sees the final colours.
      await page.waitForTimeout(400);
      findings[state] = await seriousViolations(page);
      await screenshot(page, `${viewport.name}-${state}`, dir);
    }

    afterAll(() => {
      // Printed so a failing run says what to fix.
      const failing = Object.entries(findings).filter(([, list]) => list.length > 0);
      if (failing.length > 0) console.log(JSON.stringify(Object.fromEntries(failing), null, 2));
    });

    it('sign-in page', async () => {
      const { context, page } = await t.newUser(viewport);
      await page.goto('/login');
      await page.locator('input[autocomplete="username"]').waitFor();
      await check(page, 'login');
      await context.close();
      expect(findings['login']).toEqual([]);
    });

    it('candidate: list, conversation, user menu, new-conversation dialog', async () => {
      const { context, page } = await signedInUser(t, 'candidata.accesible', viewport);
      await page.goto('/chat-soporte');
      await page.getByTestId('conversation-item').first().waitFor();
      await check(page, 'candidate-list');

      await page.goto(`/chat-soporte?conversacion=${conversationId}`);
      await page.getByTestId('message-text').first().waitFor();
      // An attachment sent (a download chip in the timeline) and another ready to send (a remove button).
      const file = page.locator('input[type="file"]');
      await file.setInputFiles({ name: 'pasos seguidos.txt', mimeType: 'text/plain', buffer: Buffer.from('1. Entré\n2. Elegí examen\n3. Sin botón\n') });
      await page.getByTestId('attachment-ready').waitFor();
      await page.getByTestId('composer-send').click();
      await page.locator('app-attachment-view a.chip').last().waitFor();
      await file.setInputFiles({ name: 'captura.txt', mimeType: 'text/plain', buffer: Buffer.from('Paso 3 sin botón\n') });
      await page.getByTestId('attachment-ready').waitFor();
      await check(page, 'candidate-conversation');

      await page.getByRole('button', { name: /Menú de usuario/ }).click();
      await page.getByRole('menuitem', { name: /Mi perfil/ }).waitFor();
      await check(page, 'candidate-user-menu');
      await page.keyboard.press('Escape');

      if (viewport.name === 'phone') {
        await page.getByTestId('back-to-list').click();
        await page.getByTestId('conversation-item').first().waitFor();
      }
      await page.getByTestId('new-conversation').click();
      await page.getByTestId('new-conversation-subject').waitFor();
      await check(page, 'candidate-new-conversation');
      await context.close();
      for (const state of ['candidate-list', 'candidate-conversation', 'candidate-user-menu', 'candidate-new-conversation'])
        expect([state, findings[state]]).toEqual([state, []]);
    });

    it('candidate without conversations: the first-message form', async () => {
      addCandidate('candidato.sin.conversaciones', 'Héctor Salas Ibarra');
      const { context, page } = await signedInUser(t, 'candidato.sin.conversaciones', viewport);
      await page.goto('/chat-soporte');
      await page.getByTestId('first-message-text').waitFor();
      await check(page, 'candidate-first-message');
      await context.close();
      expect(findings['candidate-first-message']).toEqual([]);
    });

    it('staff: inbox, conversation, menus, candidate data, new-conversation dialog, navigation drawer', async () => {
      const { context, page } = await signedInUser(t, 'admin1', viewport);
      await page.waitForURL('**/support/communication');
      await page.getByTestId('conversation-item').first().waitFor();
      await check(page, 'staff-inbox');

      if (viewport.name === 'phone') {
        await page.getByRole('button', { name: /Abrir navegación/ }).click();
        await page.getByTestId('nav-communication').waitFor();
        await check(page, 'staff-drawer');
        await page.keyboard.press('Escape');
        await page.getByTestId('nav-communication').waitFor({ state: 'hidden' });
      }

      await page.getByTestId('new-conversation').click();
      await page.getByTestId('candidate-search').waitFor();
      await page.keyboard.type('Renata');
      await page.getByTestId('candidate-option').first().waitFor();
      await check(page, 'staff-new-conversation');
      await page.keyboard.press('Escape');
      await page.keyboard.press('Escape');
      await page.getByTestId('candidate-search').waitFor({ state: 'detached' });

      await page.goto(`/support/communication?conversacion=${conversationId}`);
      await page.getByTestId('message-text').first().waitFor();
      await check(page, 'staff-conversation');

      await page.getByRole('button', { name: 'Más acciones' }).click();
      await page.getByRole('menuitem', { name: /datos del candidato/ }).waitFor();
      await check(page, 'staff-more-actions');
      await page.getByRole('menuitem', { name: /datos del candidato/ }).click();
      await page.getByTestId('candidate-summary').waitFor();
      await check(page, 'staff-candidate-data');

      await page.getByRole('button', { name: /Menú de usuario/ }).click();
      await page.getByRole('menuitem', { name: /Mi perfil/ }).waitFor();
      await check(page, 'staff-user-menu');
      await context.close();
      const states = ['staff-inbox', 'staff-new-conversation', 'staff-conversation', 'staff-more-actions', 'staff-candidate-data', 'staff-user-menu'];
      if (viewport.name === 'phone') states.push('staff-drawer');
      for (const state of states) expect([state, findings[state]]).toEqual([state, []]);
    });
  });
});

import { join } from 'node:path';

import type { BrowserContext, Locator, Page } from 'playwright-core';

import { ARTIFACTS_DIR, describeWithChromium, LIVE_TIMEOUT, screenshot, signedInUser, useTestBrowser } from './browser';
import {
  box,
  expectControlsUsable,
  expectFitsContainer,
  expectFitsViewport,
  expectNoClippedSidewaysScroll,
  expectNoHorizontalOverflow,
  expectNoInnerOverflow,
  expectTableScrollsInside,
  expectTextFits,
  isPhone,
  Viewport,
  VIEWPORTS,
} from './layout-assertions';
import {
  addLongNamedCandidate,
  addUser,
  api,
  apiLogin,
  createConversation,
  LONG_MESSAGE,
  LONG_NAME_USERNAME,
  LONG_SUBJECT,
  markReadForSoporte1,
  sendMessage,
} from './seed';

jest.setTimeout(300_000);

const dir = join(ARTIFACTS_DIR, 'support-desk-layout');
const stamp = Date.now().toString(36);
/** A searchable word (letters only) no other test writes. */
const WORD = `hipopotamo${stamp.replace(/[^a-z]/g, '')}`;

/** 60+ characters, with the accents and hyphens of real names. */
const longStaffName = (i: number) => `Juan Carlos Maximiliano Hernández-Bustamante de la Santísima Trinidad Ochoa ${String(i).padStart(2, '0')}`;
const LONG_COORDINATOR = 'María Guadalupe Coordinadora de Atención Especializada Villaseñor-Ortiz';
const AGENTS = 12;
/** Label names at the 50-character limit, some with one unbroken word. */
const labelName = (i: number) =>
  (i % 2 === 0 ? `Reembolso_pendiente_de_validación_por_finanzas_${i}${stamp}` : `Problema con la cámara durante el examen ${i} ${stamp}`).slice(0, 50);
const LABELS = 8;
const QUICK_REPLY_BODY =
  'Hola {{candidato.nombre}}, soy {{agente.nombre}}. Sobre «{{conversacion.asunto}}»: revisamos tu caso y el error ' +
  'ERR_CAMERA_NOT_FOUND_0xC00D36B4_ENUMERATION_FAILED_RETRY_LATER_PLEASE_CONTACT_SUPPORT suele deberse a que otra aplicación usa la cámara. ' +
  'Sigue los pasos de https://soporte.ejemplo.com/ayuda/examenes/requisitos-tecnicos/camara-y-microfono?origen=portal&paso=3&referencia=respuesta-rapida ' +
  'y, si el problema continúa, responde a este mensaje con una captura de pantalla de la configuración de privacidad de tu sistema operativo 🙂. '.repeat(3);
const NOTE =
  `Nota para @agente.largo.01 y @coordinadora.larga: el candidato reporta ERR_CAMERA_NOT_FOUND_0xC00D36B4_ENUMERATION_FAILED_RETRY_LATER_PLEASE_CONTACT_SUPPORT ` +
  'desde hace tres intentos; ya se pausó el cronómetro. Revisar https://soporte.ejemplo.com/interno/casos/examenes/camara?id=0000123456789 antes de responder.';
/** 500 characters in the business-hours automatic reply: what the audit trail shows as before/after. */
const AUTO_REPLY =
  `Gracias por escribirnos. Nuestro horario es {horario}. Te responderemos {proxima_apertura}. ${'Mientras tanto, revisa https://soporte.ejemplo.com/ayuda/preguntas-frecuentes?seccion=examenes '.repeat(6)}`.slice(
    0,
    500,
  );
const ALWAYS_OPEN = {
  time_zone: 'America/Mexico_City',
  weekly_hours: 'mon-sun 00:00-24:00',
  holidays: [] as string[],
  auto_reply_enabled: true,
  auto_reply_text: 'Gracias por escribirnos. Nuestro horario es {horario}. Te responderemos {proxima_apertura}.',
};

/**
 * The support-desk screens added after the first layout test, at the four widths, with long real content:
 * quick replies and the "/" picker, labels, the hand-off bar and its pickers, notes, message search, the
 * satisfaction survey, business hours, audit, reports, the supervisor's and the coordinator's views.
 */
describeWithChromium('support-desk screens with long, real content', () => {
  const t = useTestBrowser();
  let mainId: string;
  let escalatedId: string;
  let csatId: string;

  beforeAll(async () => {
    addLongNamedCandidate();
    const candidate = await apiLogin(LONG_NAME_USERNAME);
    const admin = await apiLogin('admin1');

    // Many agents with long names, each answering one conversation: a report with many rows.
    const agentIds: string[] = [];
    for (let i = 1; i <= AGENTS; i++) {
      const username = `agente.largo.${String(i).padStart(2, '0')}`;
      agentIds.push(addUser(username, longStaffName(i), 'soporte'));
      const id = await createConversation(candidate, `${LONG_SUBJECT} (${i})`);
      await sendMessage(candidate, id, `${LONG_MESSAGE} ${WORD} intento ${i}`);
      await sendMessage(await apiLogin(username), id, `Hola, soy ${longStaffName(i)}. Ya revisamos tu caso ${WORD} y te escribimos en unos minutos.`);
    }
    addUser('coordinadora.larga', LONG_COORDINATOR, 'coordinator');

    // Labels at the length limit, all on the main conversation.
    const labelIds: string[] = [];
    for (let i = 1; i <= LABELS; i++) {
      const created = await api<{ label: { id: string } }>(admin, 'POST', '/labels', { name: labelName(i), color: i % 2 ? '#1e88e5' : '#c62828' });
      labelIds.push(created.label.id);
    }
    for (let i = 1; i <= 4; i++) {
      await api(admin, 'POST', '/quick-replies', {
        scope: 'team',
        title: `Cámara no detectada durante el examen de certificación: pasos completos de diagnóstico ${i}`.slice(0, 100),
        shortcut: `camara${i}${stamp}`.slice(0, 32),
        body: QUICK_REPLY_BODY,
      });
    }

    mainId = await createConversation(candidate, LONG_SUBJECT);
    await sendMessage(candidate, mainId, `${LONG_MESSAGE} ${WORD}`);
    await sendMessage(admin, mainId, 'Hola María de los Ángeles, soy Carlos de soporte. ¿Qué navegador y sistema operativo usas? 🙂');
    await sendMessage(candidate, mainId, `Chrome 131 en Windows 11. ${LONG_MESSAGE}`);
    for (const id of labelIds) await api(admin, 'PUT', `/conversations/${mainId}/labels/${id}`, {});
    await api(admin, 'POST', `/conversations/${mainId}/notes`, { content: NOTE });
    await api(admin, 'POST', `/conversations/${mainId}/transfer`, { assigned_support_user_id: agentIds[0], note: NOTE });

    // Escalated to coordination (the coordinator's view) and resolved (the candidate's survey).
    escalatedId = await createConversation(candidate, `${LONG_SUBJECT} — turnada`);
    await sendMessage(candidate, escalatedId, LONG_MESSAGE);
    await sendMessage(admin, escalatedId, 'Lo turno a coordinación para que autoricen la reprogramación.');
    await api(admin, 'POST', `/conversations/${escalatedId}/escalate`, { note: NOTE });
    csatId = await createConversation(candidate, `${LONG_SUBJECT} — resuelta`);
    await sendMessage(candidate, csatId, LONG_MESSAGE);
    await sendMessage(admin, csatId, 'Listo, ya puedes volver a entrar al examen; el tiempo quedó detenido.');
    await api(admin, 'PATCH', `/conversations/${csatId}/status`, { status: 'resolved' });

    // A long automatic reply: the business-hours page shows it and the audit trail records it before and after.
    await api(admin, 'PUT', '/settings/business-hours', { ...ALWAYS_OPEN, auto_reply_text: AUTO_REPLY, holidays: ['2026-12-25', '2027-01-01', '2027-02-05'] });
    await api(admin, 'PUT', '/settings/business-hours', { ...ALWAYS_OPEN, auto_reply_text: `${AUTO_REPLY.slice(0, 480)} (revisado)` });
  });

  afterAll(async () => {
    await api(await apiLogin('admin1'), 'PUT', '/settings/business-hours', ALWAYS_OPEN);
    await markReadForSoporte1('Guadalupe');
  });

  async function open(username: string, viewport: Viewport, path: string): Promise<{ context: BrowserContext; page: Page }> {
    const user = await signedInUser(t, username, viewport);
    await user.page.goto(path);
    return user;
  }

  /** What every screen owes: no sideways page scroll, controls on screen and uncovered, text in its box. */
  async function expectScreenHolds(page: Page, controls: Locator, texts: Locator): Promise<void> {
    await expectNoHorizontalOverflow(page);
    await expectControlsUsable(page, controls);
    await expectTextFits(texts);
    await expectNoHorizontalOverflow(page);
    await expectNoClippedSidewaysScroll(page);
    const header = page.locator('app-conversation-pane .header');
    if (await header.isVisible()) await expectNoInnerOverflow(header);
  }

  /** Header, labels and hand-off bar leave the timeline a usable share of the window's height. */
  async function expectTimelineKeepsHeight(page: Page, viewport: Viewport): Promise<void> {
    expect((await box(page.locator('app-message-timeline'))).height).toBeGreaterThanOrEqual(viewport.height * 0.25);
  }

  describe.each(VIEWPORTS)('at %o', (viewport) => {
    const size = `${viewport.width}x${viewport.height}`;
    const phone = isPhone(viewport);

    it('quick replies and label management (admin)', async () => {
      const { context, page } = await open('admin1', viewport, '/support/respuestas-rapidas');
      await page.getByTestId('quick-reply-item').first().waitFor({ timeout: LIVE_TIMEOUT });
      await page.getByTestId('label-item').first().waitFor();
      await expectScreenHolds(
        page,
        page.locator(
          '[data-testid="label-name"], [data-testid="label-color"], [data-testid="label-create"], [data-testid="quick-reply-title"], ' +
            '[data-testid="quick-reply-shortcut"], [data-testid="quick-reply-body"], [data-testid="quick-reply-save"], [data-testid="quick-reply-item"] button, [data-testid="label-item"] button',
        ),
        page.locator('app-quick-replies-and-labels-page'),
      );
      await screenshot(page, `quick-replies-${size}`, dir);
      await context.close();
    });

    it('the "/" picker in the composer', async () => {
      const { context, page } = await open('admin1', viewport, `/support/communication?conversacion=${mainId}`);
      const composer = page.getByTestId('composer-input');
      await composer.waitFor({ timeout: LIVE_TIMEOUT });
      await composer.click();
      await composer.pressSequentially('/camara');
      const picker = page.getByTestId('quick-reply-picker');
      await picker.getByTestId('quick-reply-option').first().waitFor();
      await screenshot(page, `quick-reply-picker-${size}`, dir);
      await expectFitsViewport(page, picker);
      await expectScreenHolds(page, page.getByTestId('composer-send'), picker);
      await context.close();
    });

    it('labels: chips in the list and the conversation, and the labels menu', async () => {
      const { context, page } = await open('admin1', viewport, phone ? '/support/communication' : `/support/communication?conversacion=${mainId}`);
      const item = page.locator(`[data-testid="conversation-item"][data-conversation-id="${mainId}"]`);
      if (phone) {
        await item.getByTestId('label-chip').first().waitFor({ timeout: LIVE_TIMEOUT });
        await expectScreenHolds(page, page.getByTestId('new-conversation'), page.locator('.chat-list-pane'));
        await screenshot(page, `labels-list-${size}`, dir);
        await item.click();
      } else {
        await item.getByTestId('label-chip').first().waitFor({ timeout: LIVE_TIMEOUT });
      }
      const labels = page.getByTestId('conversation-labels');
      await labels.getByTestId('label-chip').first().waitFor({ timeout: LIVE_TIMEOUT });
      await expectScreenHolds(
        page,
        page.locator('[data-testid="labels-menu-button"], [data-testid="composer-send"]'),
        page.locator('.chat-list-pane:visible, app-conversation-pane'),
      );
      await screenshot(page, `labels-conversation-${size}`, dir);
      await expectTimelineKeepsHeight(page, viewport);
      await page.getByTestId('labels-menu-button').click();
      const menu = page.locator('.mat-mdc-menu-panel');
      await menu.getByTestId('label-option').first().waitFor();
      await expectFitsViewport(page, menu);
      await expectTextFits(menu);
      await expectNoHorizontalOverflow(page);
      await screenshot(page, `labels-menu-${size}`, dir);
      await context.close();
    });

    it('hand-off: the bar, the transfer and escalation pickers with long names, notes in the timeline', async () => {
      const { context, page } = await open('admin1', viewport, `/support/communication?conversacion=${mainId}`);
      const bar = page.getByTestId('handoff-bar');
      await bar.waitFor({ timeout: LIVE_TIMEOUT });
      await page.getByTestId('internal-note').first().waitFor({ timeout: LIVE_TIMEOUT });
      await expectScreenHolds(
        page,
        page.locator('[data-testid="handoff-note"], [data-testid="handoff-transfer"], [data-testid="handoff-escalate"], [data-testid="composer-send"]'),
        page.locator('[data-testid="handoff-bar"], [data-testid="internal-note"]'),
      );
      await screenshot(page, `handoff-bar-${size}`, dir);
      await expectTimelineKeepsHeight(page, viewport);

      for (const mode of ['transfer', 'escalate'] as const) {
        await page.getByTestId(`handoff-${mode}`).click();
        const panel = page.getByTestId('handoff-panel');
        await panel.locator('label').first().waitFor();
        if (mode === 'transfer') await page.getByTestId('staff-option-agente.largo.02').waitFor({ timeout: LIVE_TIMEOUT });
        else await page.getByTestId('staff-option-coordinadora.larga').waitFor({ timeout: LIVE_TIMEOUT });
        await expectScreenHolds(page, panel.locator('textarea, button, input[type="radio"]'), panel);
        await screenshot(page, `handoff-${mode}-picker-${size}`, dir);
        await panel.getByRole('button', { name: 'Cancelar' }).click();
        await panel.waitFor({ state: 'detached' });
      }
      await context.close();
    });

    it('message search results with long snippets', async () => {
      const { context, page } = await open('admin1', viewport, '/support/communication');
      await page.getByTestId('message-search').fill(WORD);
      const results = page.getByTestId('message-search-results');
      await results.getByTestId('message-search-result').nth(3).waitFor({ timeout: LIVE_TIMEOUT });
      await expectScreenHolds(page, page.getByTestId('message-search'), page.locator('app-message-search'));
      await screenshot(page, `message-search-${size}`, dir);
      await context.close();
    });

    it('the satisfaction survey (candidate)', async () => {
      const { context, page } = await open(LONG_NAME_USERNAME, viewport, `/chat-soporte?conversacion=${csatId}`);
      const survey = page.getByTestId('rating-survey');
      await survey.waitFor({ timeout: LIVE_TIMEOUT });
      await page.getByTestId('rate-4').click();
      await page.getByTestId('rating-comment').fill('Muy amables 🙂 '.repeat(10));
      await expectScreenHolds(
        page,
        page.locator('[data-testid^="rate-"], [data-testid="rating-comment"], [data-testid="rating-submit"], [data-testid="composer-send"]'),
        survey,
      );
      await screenshot(page, `csat-survey-${size}`, dir);
      await context.close();
    });

    it('business hours (admin)', async () => {
      const { context, page } = await open('admin1', viewport, '/support/horario');
      await page.getByTestId('settings-save').waitFor({ timeout: LIVE_TIMEOUT });
      await page.getByTestId('settings-auto-reply-text').waitFor();
      await expectScreenHolds(
        page,
        page.locator('app-business-hours-page :is(input, textarea, button, mat-select, mat-checkbox, mat-slide-toggle)'),
        page.locator('app-business-hours-page'),
      );
      await screenshot(page, `business-hours-${size}`, dir);
      await context.close();
    });

    it('audit (long before/after values)', async () => {
      const { context, page } = await open('admin1', viewport, '/support/auditoria');
      await page.getByTestId('audit-row').first().waitFor({ timeout: LIVE_TIMEOUT });
      await page.getByTestId('audit-row').filter({ hasText: 'preguntas-frecuentes' }).first().waitFor();
      await expectTableScrollsInside(page, page.getByTestId('audit-table'));
      await expectScreenHolds(page, page.locator('[data-testid^="audit-filter-"], [data-testid="audit-export"]'), page.locator('app-audit-page'));
      await screenshot(page, `audit-${size}`, dir);
      await context.close();
    });

    it('reports (gerente1): charts fit their cards, tables scroll inside them', async () => {
      const { context, page } = await open('gerente1', viewport, '/support/reportes');
      const summary = page.getByTestId('summary-table');
      await summary.waitFor({ timeout: LIVE_TIMEOUT });
      await summary
        .locator('tbody tr')
        .nth(AGENTS - 1)
        .waitFor({ timeout: LIVE_TIMEOUT });
      await page.getByTestId('live-table').waitFor();
      for (const chart of ['chart-volume', 'chart-response', 'chart-csat']) {
        const canvas = page.getByTestId(chart).locator('canvas');
        await canvas.waitFor();
        await expectFitsContainer(canvas, page.getByTestId(chart));
        await expectFitsContainer(page.getByTestId(chart), page.getByTestId(chart).locator('xpath=ancestor::section[1]'));
      }
      for (const table of ['summary-table', 'live-table']) await expectTableScrollsInside(page, page.getByTestId(table));
      await expectScreenHolds(
        page,
        page.locator(
          '[data-testid="report-from"], [data-testid="report-to"], [data-testid="report-group"], [data-testid="export-summary"], [data-testid="export-volume"]',
        ),
        page.locator('app-reports-page'),
      );
      await screenshot(page, `reports-${size}`, dir);
      await context.close();
    });

    it('the supervisor’s read-only workspace (gerente1)', async () => {
      const { context, page } = await open('gerente1', viewport, `/support/communication?conversacion=${mainId}`);
      await page.getByTestId('read-only-note').waitFor({ timeout: LIVE_TIMEOUT });
      await page.getByTestId('message-text').first().waitFor();
      await expectScreenHolds(
        page,
        page.locator('[data-testid="read-only-note"], [data-testid="download-transcript"]:visible'),
        page.locator('app-conversation-pane'),
      );
      await screenshot(page, `supervisor-${size}`, dir);
      await context.close();
    });

    it('the coordinator (coordinador1): an escalated conversation and its return', async () => {
      const { context, page } = await open('coordinador1', viewport, `/support/communication?conversacion=${escalatedId}`);
      await page.getByTestId('tier-coordinator').first().waitFor({ timeout: LIVE_TIMEOUT });
      await page.getByTestId('handoff-return').waitFor();
      await expectScreenHolds(
        page,
        page.locator('[data-testid="handoff-note"], [data-testid="handoff-transfer"], [data-testid="handoff-return"], [data-testid="composer-send"]'),
        page.locator('app-conversation-pane'),
      );
      await page.getByTestId('handoff-return').click();
      const panel = page.getByTestId('handoff-panel');
      await page.getByTestId('staff-option-agente.largo.03').waitFor({ timeout: LIVE_TIMEOUT });
      await expectScreenHolds(page, panel.locator('textarea, button, input[type="radio"]'), panel);
      await screenshot(page, `coordinator-${size}`, dir);
      await context.close();
    });
  });
});

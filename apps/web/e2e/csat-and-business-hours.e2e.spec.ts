import { api, apiLogin, createConversation, sendMessage } from './seed';
import { describeWithChromium, signedInUser, useTestBrowser } from './browser';

jest.setTimeout(120_000);

const ALWAYS_OPEN = {
  time_zone: 'America/Mexico_City',
  weekly_hours: 'mon-sun 00:00-24:00',
  holidays: [] as string[],
  auto_reply_enabled: true,
  auto_reply_text: 'Gracias por escribirnos. Nuestro horario es {horario}. Te responderemos {proxima_apertura}.',
};

describeWithChromium('issue 17: satisfaction survey and business hours', () => {
  const t = useTestBrowser();

  it('the candidate rates the conversation after staff resolve it, and staff see the rating and comment', async () => {
    const candidateToken = await apiLogin('candidato2');
    const staffToken = await apiLogin('soporte1');
    const subject = `Encuesta ${Date.now()}`;
    const conversationId = await createConversation(candidateToken, subject);
    await sendMessage(candidateToken, conversationId, 'No veo mi constancia');
    await sendMessage(staffToken, conversationId, 'Ya la puedes descargar');
    await api(staffToken, 'PATCH', `/conversations/${conversationId}/status`, { status: 'resolved' });

    const { page: candidate } = await signedInUser(t, 'candidato2');
    await candidate.goto(`/chat-soporte?conversacion=${conversationId}`);
    await candidate.getByTestId('rating-survey').waitFor();
    await candidate.getByTestId('rate-4').click();
    await candidate.getByTestId('rating-comment').fill('Rápido y amable');
    await candidate.getByTestId('rating-submit').click();
    await candidate.getByTestId('rating-thanks').filter({ hasText: '4/5' }).waitFor();
    // Rating is never required to keep writing: the composer is still there.
    await candidate.getByTestId('composer-input').waitFor();

    const { page: agent } = await signedInUser(t, 'soporte1', { width: 1440, height: 900 });
    await agent.goto(`/support/communication?conversacion=${conversationId}`);
    await agent.getByTestId('staff-rating').filter({ hasText: 'Calificación del candidato: 4/5' }).waitFor();
    expect(await agent.getByTestId('staff-rating-comment').textContent()).toContain('Rápido y amable');
    await agent.getByTestId('list-rating').filter({ hasText: '★ 4/5' }).first().waitFor();
  });

  it('outside business hours the candidate page says so before writing, and the first message gets the automatic reply', async () => {
    const adminToken = await apiLogin('admin1');
    const candidateToken = await apiLogin('candidato1');
    const conversationId = await createConversation(candidateToken, `Fuera de horario ${Date.now()}`);
    // Closed today (a holiday on today's date in Mexico City): the schedule acts without waiting for the night.
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'America/Mexico_City' }).format(new Date());
    await api(adminToken, 'PUT', '/settings/business-hours', { ...ALWAYS_OPEN, weekly_hours: 'mon-fri 09:00-18:00', holidays: [today] });
    try {
      const { page: candidate } = await signedInUser(t, 'candidato1');
      await candidate.goto(`/chat-soporte?conversacion=${conversationId}`);
      const notice = candidate.getByTestId('out-of-hours-notice');
      await notice.waitFor();
      expect(await notice.textContent()).toMatch(/Nuestro horario es de lunes a viernes de 9:00 a 18:00 .*Te responderemos a partir de/);

      const input = candidate.getByTestId('composer-input');
      await input.fill('¿Me pueden ayudar?');
      await input.press('Enter');
      await candidate.getByText('Gracias por escribirnos. Nuestro horario es de lunes a viernes de 9:00 a 18:00').first().waitFor();

      // Staff see that it arrived outside hours.
      const { page: agent } = await signedInUser(t, 'soporte1', { width: 1440, height: 900 });
      await agent.goto(`/support/communication?conversacion=${conversationId}`);
      await agent.getByTestId('outside-hours').first().waitFor();
    } finally {
      await api(adminToken, 'PUT', '/settings/business-hours', ALWAYS_OPEN);
    }
  });
});

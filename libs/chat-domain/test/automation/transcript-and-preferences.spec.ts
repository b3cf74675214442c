import { useChatTestApp } from '../../src/testing/use-chat-test-app';
import { formatBytes, validTimeZone } from '../../src/transcript/transcript.service';

const chatUrl = '/api/support/chat';

describe('conversation transcript (issue 17)', () => {
  const { ctx, chat } = useChatTestApp();

  async function conversationWithHistory() {
    const conversation = await chat.newConversation('candidate1', { subject: 'Examen <bloqueado>' });
    await chat.send('candidate1', conversation.id, 'Hola, mi examen no <script>alert(1)</script> carga');
    await chat.send('support1', conversation.id, {
      content: 'Adjunto la guía',
      attachment: { url: 'https://files.example.com/guia.pdf', name: 'guía de acceso.pdf', mime_type: 'application/pdf', size_bytes: 1_572_864 },
    });
    await ctx.as('support1').patch(`${chatUrl}/conversations/${conversation.id}/status`).send({ status: 'resolved' }).expect(200);
    return conversation.id;
  }

  it('downloads as a self-contained printable HTML attachment with names, times in the viewer zone, escaped content and attachments listed', async () => {
    const id = await conversationWithHistory();
    const response = await ctx.as('candidate1').get(`${chatUrl}/conversations/${id}/transcript?tz=Asia/Tokyo`).expect(200);
    expect(response.headers['content-type']).toMatch(/^text\/html; charset=utf-8/);
    expect(response.headers['content-disposition']).toMatch(/^attachment; filename="conversacion-[0-9a-f]{8}-\d{4}-\d{2}-\d{2}\.html"$/);
    const html = response.text;
    expect(html).toContain('<title>Conversación con soporte: Examen &lt;bloqueado&gt;</title>');
    expect(html).toContain('@media print');
    expect(html).toContain('Carla Candidata');
    expect(html).toContain('Sofía Soporte');
    expect(html).toContain('Hola, mi examen no &lt;script&gt;alert(1)&lt;/script&gt; carga');
    expect(html).not.toContain('<script>');
    expect(html).toContain('Archivo adjunto: guía de acceso.pdf (1.5 MB)');
    expect(html).toContain('Sofía Soporte marcó la conversación como resuelta.');
    expect(html).toContain('<dt>Zona horaria</dt><dd>Asia/Tokyo</dd>');

    // The same message time, formatted in two zones 15 hours apart.
    const time = /<time datetime="([^"]+)">([^<]+)<\/time>/.exec(html)!;
    const expected = new Intl.DateTimeFormat('es-MX', { timeZone: 'Asia/Tokyo', dateStyle: 'medium', timeStyle: 'short' }).format(new Date(time[1]));
    expect(time[2]).toBe(expected);
    const mexico = (await ctx.as('support1').get(`${chatUrl}/conversations/${id}/transcript?tz=America/Mexico_City`).expect(200)).text;
    expect(mexico).toContain(
      new Intl.DateTimeFormat('es-MX', { timeZone: 'America/Mexico_City', dateStyle: 'medium', timeStyle: 'short' }).format(new Date(time[1])),
    );
  });

  it('candidates get only their own conversations (404 otherwise); staff and supervisors get any', async () => {
    const id = await conversationWithHistory();
    const refused = await ctx.as('candidate2').get(`${chatUrl}/conversations/${id}/transcript`).expect(404);
    expect(refused.body).toMatchObject({ code: 'conversation_not_found' });
    await ctx.as('admin1').get(`${chatUrl}/conversations/${id}/transcript`).expect(200);
    await ctx.as(null).get(`${chatUrl}/conversations/${id}/transcript`).expect(401);
    // A role in none of the lists is refused; a read-only supervisor reads it like staff.
    await ctx.as('guest1').get(`${chatUrl}/conversations/${id}/transcript`).expect(403);
    await ctx.as('manager1').get(`${chatUrl}/conversations/${id}/transcript`).expect(200);
  });

  it('refuses an unknown time zone with 400 invalid_time_zone and a Spanish message', async () => {
    const id = await conversationWithHistory();
    const response = await ctx.as('candidate1').get(`${chatUrl}/conversations/${id}/transcript?tz=Marte/Olympus`).expect(400);
    expect(response.body).toMatchObject({ code: 'invalid_time_zone', error: expect.stringContaining('no es válida') });
  });

  it('validates zones with Intl and formats sizes for people', () => {
    expect(validTimeZone(undefined)).toBe('America/Mexico_City');
    expect(validTimeZone('Europe/Madrid')).toBe('Europe/Madrid');
    expect(() => validTimeZone('nada')).toThrow(/no es válida/);
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(2048)).toBe('2 KB');
    expect(formatBytes(null)).toBe('tamaño desconocido');
  });
});

describe('chat preferences (GET/PUT /me/preferences)', () => {
  const { ctx } = useChatTestApp();

  it('defaults to e-mail when away on, saves the opt-out per user, and validates the body', async () => {
    expect((await ctx.as('candidate1').get(`${chatUrl}/me/preferences`).expect(200)).body).toEqual({ email_when_away: true });
    expect((await ctx.as('candidate1').put(`${chatUrl}/me/preferences`).send({ email_when_away: false }).expect(200)).body).toEqual({ email_when_away: false });
    expect((await ctx.as('candidate1').get(`${chatUrl}/me/preferences`).expect(200)).body).toEqual({ email_when_away: false });
    expect((await ctx.as('candidate2').get(`${chatUrl}/me/preferences`).expect(200)).body).toEqual({ email_when_away: true });
    expect((await ctx.as('candidate1').put(`${chatUrl}/me/preferences`).send({ email_when_away: true }).expect(200)).body).toEqual({ email_when_away: true });

    const invalid = await ctx.as('candidate1').put(`${chatUrl}/me/preferences`).send({ email_when_away: 'sí' }).expect(400);
    expect(invalid.body.code).toBe('validation_failed');
    const unknown = await ctx.as('candidate1').put(`${chatUrl}/me/preferences`).send({ email_when_away: true, extra: 1 }).expect(400);
    expect(unknown.body.code).toBe('unknown_field');
    await ctx.as(null).get(`${chatUrl}/me/preferences`).expect(401);
  });
});

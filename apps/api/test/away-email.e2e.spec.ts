import type { AddressInfo } from 'node:net';

import { AwayEmailJob } from '@support-chat/chat-domain';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

import { createTestApp, TestApp } from './test-app';

interface ReceivedMail {
  envelopeTo: string[];
  raw: string;
}

/** A real SMTP server on a random local port, keeping every message it receives. */
async function startSmtpServer(port = 0): Promise<{ port: number; received: ReceivedMail[]; close(): Promise<void> }> {
  const received: ReceivedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        received.push({ envelopeTo: session.envelope.rcptTo.map((rcpt) => rcpt.address), raw: Buffer.concat(chunks).toString('utf8') });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const address = server.server.address() as AddressInfo;
  return { port: address.port, received, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

jest.setTimeout(60_000);

const MINUTE = 60_000;
const minutesFromNow = (minutes: number) => new Date(Date.now() + minutes * MINUTE);
const chatUrl = '/api/support/chat';

/** E-mail when away (issue 17) through the demo host's nodemailer notifier, against a real SMTP server. */
describe('e-mail when away, over real SMTP', () => {
  let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
  let t: TestApp;

  beforeEach(async () => {
    smtp = await startSmtpServer();
    t = await createTestApp({
      env: {
        SMTP_URL: `smtp://127.0.0.1:${smtp.port}`,
        SMTP_FROM: 'Soporte Demo <soporte@demo.test>',
        SUPPORT_CHAT_PUBLIC_URL: 'https://examenes.example.com/',
      },
    });
  });
  afterEach(async () => {
    await t?.close();
    await smtp?.close();
  });

  async function conversationWithReply(reply = 'Hola Ana, ya reiniciamos tu examen. <b>Inténtalo</b> de nuevo.') {
    const created = await t.as('candidato1').post(`${chatUrl}/conversations`).send({ subject: 'No puedo iniciar el examen' }).expect(201);
    const id = created.body.conversation.id as string;
    await t.as('candidato1').post(`${chatUrl}/conversations/${id}/messages`).send({ content: 'Se queda en blanco' }).expect(201);
    await t.as('soporte1').post(`${chatUrl}/conversations/${id}/messages`).send({ content: reply }).expect(201);
    return id;
  }

  it('sends one e-mail with the reply, a Spanish body and the link back, once per window, even when the job runs again', async () => {
    const id = await conversationWithReply();
    const job = t.app.get(AwayEmailJob);

    // Not yet: the reply is younger than SUPPORT_CHAT_EMAIL_AWAY_AFTER (10 min by default).
    expect(await job.runOnce(minutesFromNow(5))).toBe(0);
    expect(smtp.received).toHaveLength(0);

    expect(await job.runOnce(minutesFromNow(11))).toBe(1);
    expect(smtp.received).toHaveLength(1);
    const mail = await simpleParser(smtp.received[0].raw);
    expect(smtp.received[0].envelopeTo).toEqual(['ana.lopez@example.com']);
    expect(mail.to).toMatchObject({ value: [{ address: 'ana.lopez@example.com', name: 'Ana María López Hernández' }] });
    expect(mail.from).toMatchObject({ value: [{ address: 'soporte@demo.test', name: 'Soporte Demo' }] });
    expect(mail.subject).toBe('Soporte te respondió: No puedo iniciar el examen');
    const link = `https://examenes.example.com/chat-soporte?conversacion=${id}`;
    expect(mail.text).toContain('Hola, Ana María López Hernández:');
    expect(mail.text).toContain('El equipo de soporte respondió en «No puedo iniciar el examen» y todavía no has leído la respuesta.');
    expect(mail.text).toContain('Lucía Fernández Ruiz escribió:');
    expect(mail.text).toContain('Hola Ana, ya reiniciamos tu examen. <b>Inténtalo</b> de nuevo.');
    expect(mail.text).toContain(link);
    expect(mail.html).toContain(`<a href="${link}">Abrir la conversación</a>`);
    // The reply is text, never markup: escaped in the HTML body.
    expect(mail.html).toContain('&lt;b&gt;Inténtalo&lt;/b&gt;');
    expect(mail.html).not.toContain('<b>Inténtalo</b>');

    // The job retried (same moment, later, by a restarted instance): nothing is sent twice for this window.
    expect(await job.runOnce(minutesFromNow(11))).toBe(0);
    expect(await job.runOnce(minutesFromNow(30))).toBe(0);
    await t.as('soporte1').post(`${chatUrl}/conversations/${id}/messages`).send({ content: 'Otra cosa más' }).expect(201);
    expect(await job.runOnce(minutesFromNow(45))).toBe(0);
    expect(smtp.received).toHaveLength(1);
  });

  it('two instances running the job at once send a single e-mail', async () => {
    await conversationWithReply();
    const second = await createTestApp({ env: { ...t.config.env, DATABASE_URL: t.databaseUrl } });
    try {
      const now = minutesFromNow(11);
      const [a, b] = await Promise.all([t.app.get(AwayEmailJob).runOnce(now), second.app.get(AwayEmailJob).runOnce(now)]);
      expect(a + b).toBe(1);
      expect(smtp.received).toHaveLength(1);
    } finally {
      await second.close();
    }
  });

  it('a new window opens once the candidate has read: a later unread reply gets its own e-mail', async () => {
    const id = await conversationWithReply();
    const job = t.app.get(AwayEmailJob);
    expect(await job.runOnce(minutesFromNow(11))).toBe(1);
    await t.as('candidato1').post(`${chatUrl}/conversations/${id}/read`).send({}).expect(200);
    await t.as('soporte1').post(`${chatUrl}/conversations/${id}/messages`).send({ content: '¿Pudiste entrar?' }).expect(201);
    expect(await job.runOnce(minutesFromNow(25))).toBe(1);
    expect(smtp.received).toHaveLength(2);
    const second = await simpleParser(smtp.received[1].raw);
    expect(second.text).toContain('¿Pudiste entrar?');
    expect(second.text).not.toContain('ya reiniciamos tu examen');
  });

  it('sends nothing for system lines, when the candidate read the reply, or when they turned it off in their profile', async () => {
    // Only a status line is unread.
    const created = await t.as('candidato1').post(`${chatUrl}/conversations`).send({ subject: 'Solo estado' }).expect(201);
    await t.as('soporte1').patch(`${chatUrl}/conversations/${created.body.conversation.id}/status`).send({ status: 'resolved' }).expect(200);
    // Read in time.
    const read = await conversationWithReply('Respuesta leída');
    await t.as('candidato1').post(`${chatUrl}/conversations/${read}/read`).send({}).expect(200);
    // Candidato2 opted out.
    await t.as('candidato2').put(`${chatUrl}/me/preferences`).send({ email_when_away: false }).expect(200);
    const other = await t.as('candidato2').post(`${chatUrl}/conversations`).send({ subject: 'Sin correos' }).expect(201);
    await t.as('soporte1').post(`${chatUrl}/conversations/${other.body.conversation.id}/messages`).send({ content: 'Hola José' }).expect(201);

    expect(await t.app.get(AwayEmailJob).runOnce(minutesFromNow(11))).toBe(0);
    expect(smtp.received).toHaveLength(0);
  });

  it('sends nothing while the candidate has a tab open (a recent request, polling included)', async () => {
    await t.close();
    t = await createTestApp({ env: { SMTP_URL: `smtp://127.0.0.1:${smtp.port}`, SUPPORT_CHAT_EMAIL_AWAY_ACTIVE_WINDOW: '1h' } });
    await conversationWithReply();
    await t.as('candidato1').get(`${chatUrl}/conversations`).expect(200); // a polling tab
    expect(await t.app.get(AwayEmailJob).runOnce(minutesFromNow(11))).toBe(0);
    expect(smtp.received).toHaveLength(0);
    // Once the tab has been gone for longer than the window, the e-mail goes.
    expect(await t.app.get(AwayEmailJob).runOnce(minutesFromNow(70))).toBe(1);
    expect(smtp.received).toHaveLength(1);
  });

  it('a failed send is retried on a later run and then sent once', async () => {
    await conversationWithReply();
    const port = smtp.port;
    await smtp.close();
    const job = t.app.get(AwayEmailJob);
    expect(await job.runOnce(minutesFromNow(11))).toBe(0); // the server is down: marked failed
    smtp = await startSmtpServer(port);
    expect(await job.runOnce(minutesFromNow(12))).toBe(1);
    expect(await job.runOnce(minutesFromNow(13))).toBe(0);
    expect(smtp.received).toHaveLength(1);
  });
});

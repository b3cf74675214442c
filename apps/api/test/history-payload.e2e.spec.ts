import { randomUUID } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';

import { createTestApp, TestApp } from './test-app';

/** The benchmark's message texts (bench/seed.ts): Spanish, accents and the odd emoji. */
const PHRASES = [
  'Hola, no puedo iniciar el examen, me aparece un error al cargar la página.',
  'Buenas tardes, ¿me ayudan a cambiar la fecha de mi evaluación?',
  'Ya subí mi identificación pero sigue apareciendo como pendiente 🙁',
  'Gracias, ya quedó resuelto 👍',
  'Le comparto la captura de pantalla del error.',
  'Con gusto, ¿me confirma su número de folio, por favor?',
  'Revisamos su caso y el acceso ya está habilitado. Intente de nuevo.',
  'Su certificado se enviará a su correo en las próximas 48 horas.',
  '¿El examen se puede presentar desde el celular o solo desde computadora?',
  'Perfecto, quedo atento. ¡Muchas gracias por la ayuda! 🎉',
  'Por favor limpie la caché del navegador y vuelva a iniciar sesión.',
  'Se reprogramó su evaluación para el lunes a las 10:00 (hora del centro).',
];
/** What the original implementation sends for a page of the same 50 messages (issue 19). */
const ORIGINAL_PAGE_BYTES = 13_800;

function fetchRaw(base: string, path: string, headers: Record<string, string>): Promise<{ headers: Record<string, unknown>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${base}${path}`, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

describe('history page payload (issue 19): senders once per page, nothing repeated, compressed', () => {
  let t: TestApp;
  let base: string;
  let conversationId: string;
  let candidateId: string;
  let agentId: string;
  const page = (as: 'candidato1' | 'soporte1') => t.as(as).get(`/api/support/chat/conversations/${conversationId}/messages?page=1&per_page=50`).expect(200);

  beforeAll(async () => {
    t = await createTestApp({ env: { SUPPORT_CHAT_RATE_LIMIT_MESSAGES_PER_MINUTE: '1000' } });
    await t.app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    conversationId = (await t.as('candidato1').post('/api/support/chat/conversations').send({ subject: 'No puedo iniciar el examen' }).expect(201)).body
      .conversation.id as string;
    // 50 messages, candidate and agent taking turns, one of them an attachment (2% in the benchmark's data).
    for (let i = 0; i < 50; i++) {
      const as = i % 2 === 0 ? 'candidato1' : 'soporte1';
      const body =
        i === 25
          ? {
              content: PHRASES[4],
              attachment: { url: 'https://storage.example.com/capturas/error.png', name: 'error.png', mime_type: 'image/png', size_bytes: 184_320 },
            }
          : { content: PHRASES[i % PHRASES.length] };
      const sent = await t
        .as(as)
        .post(`/api/support/chat/conversations/${conversationId}/messages`)
        .send({ ...body, client_message_id: randomUUID() })
        .expect(201);
      if (i === 0) candidateId = sent.body.message.sender_user_id as string;
      if (i === 1) agentId = sent.body.message.sender_user_id as string;
    }
  });

  afterAll(() => t?.close());

  it('names each sender once in `users` and leaves out what the page already says or what is empty', async () => {
    const { body } = await page('soporte1');
    expect(Object.keys(body.users).sort()).toEqual([candidateId, agentId].sort());
    expect(body.users[agentId]).toEqual({ full_name: expect.any(String), role: 'soporte' });
    expect(body.users[candidateId]).toMatchObject({ role: 'candidato' });
    expect(body).toMatchObject({ conversation_id: conversationId, page: 1, per_page: 50, total: 50, pages: 1, has_older: false, has_newer: false });
    expect(body.messages).toHaveLength(50);
    const [first, second] = body.messages;
    expect(first).toEqual({ id: expect.any(String), seq: 1, sender_user_id: candidateId, content: PHRASES[0], created_at: expect.any(String) });
    expect(second).toEqual({ id: expect.any(String), seq: 2, sender_user_id: agentId, content: PHRASES[1], created_at: expect.any(String) });
    expect(body.messages[25]).toMatchObject({ message_type: 'attachment', attachment: { name: 'error.png', mime_type: 'image/png', size_bytes: 184_320 } });
    for (const message of body.messages) {
      expect(message).not.toHaveProperty('conversation_id');
      expect(message).not.toHaveProperty('sender');
      // The sender's idempotency key: answered by the send and the event, not repeated in history.
      expect(message).not.toHaveProperty('client_message_id');
      expect(Object.values(message)).not.toContain(null);
    }
  });

  it('a page of 50 messages is no larger than the original implementation sends for them', async () => {
    for (const as of ['soporte1', 'candidato1'] as const) {
      const response = await page(as);
      expect(Buffer.byteLength(response.text)).toBeLessThanOrEqual(ORIGINAL_PAGE_BYTES);
    }
  });

  it('the page goes gzip-compressed when the client accepts it', async () => {
    const token = await t.loginAs('soporte1');
    const path = `/api/support/chat/conversations/${conversationId}/messages?page=1&per_page=50`;
    const auth = { Authorization: `Bearer ${token}` };
    const gzip = await fetchRaw(base, path, { ...auth, 'Accept-Encoding': 'gzip' });
    const plain = await fetchRaw(base, path, { ...auth, 'Accept-Encoding': 'identity' });
    expect(gzip.headers['content-encoding']).toBe('gzip');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(gzip.body.length).toBeLessThan(plain.body.length / 2);
    expect(JSON.parse(gunzipSync(gzip.body).toString())).toEqual(JSON.parse(plain.body.toString()));
  });
});

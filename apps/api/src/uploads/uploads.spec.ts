import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { createTestApp, type TestApp } from '../../test/test-app';

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64');

/** `POST /api/uploads` and `GET /api/uploads/:id/:name` through the real host, then into the chat. */
describe('uploads (demo host)', () => {
  let t: TestApp;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'uploads-spec-'));
    t = await createTestApp({
      env: {
        UPLOADS_DIR: dir,
        PUBLIC_BASE_URL: 'http://localhost:3000',
        SUPPORT_CHAT_ATTACHMENT_MAX_BYTES: '2048',
        SUPPORT_CHAT_ATTACHMENT_URL_PREFIXES: 'http://localhost:3000/api/uploads/',
        SUPPORT_CHAT_ALLOW_INSECURE_ATTACHMENT_PREFIXES: 'true',
      },
    });
  });
  afterAll(async () => {
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const upload = (user: string | null, bytes: Buffer, filename: string) => t.as(user).post('/api/uploads').attach('file', bytes, { filename });

  it('stores a file, detects its type from the bytes and returns chat attachment metadata', async () => {
    const response = await upload('candidato1', PNG, 'mi captura.pdf').expect(201);
    expect(response.body).toEqual({
      url: expect.stringMatching(/^http:\/\/localhost:3000\/api\/uploads\/[0-9a-f-]{36}\/mi%20captura\.pdf\.png$/),
      name: 'mi captura.pdf.png',
      mime_type: 'image/png',
      size_bytes: PNG.length,
    });

    const path = new URL(response.body.url).pathname;
    const file = await t.http.get(path).expect(200);
    expect(file.headers['content-type']).toBe('image/png');
    expect(file.headers['x-content-type-options']).toBe('nosniff');
    expect(file.headers['content-disposition']).toMatch(/^inline; filename="mi captura.pdf.png"; filename\*=UTF-8''mi%20captura\.pdf\.png$/);
    expect(Buffer.compare(file.body as Buffer, PNG)).toBe(0);

    // The metadata goes to the chat as is (http accepted only under the configured demo prefix).
    const conversation = await t.as('candidato1').post('/api/support/chat/conversations').send({ subject: 'Adjunto' }).expect(201);
    const sent = await t
      .as('candidato1')
      .post(`/api/support/chat/conversations/${conversation.body.conversation.id}/messages`)
      .send({ attachment: response.body })
      .expect(201);
    expect(sent.body.message.attachment).toEqual(response.body);
  });

  it('serves non-images as downloads', async () => {
    const response = await upload('soporte1', Buffer.from('<b>hola</b>'), 'nota.html').expect(201);
    expect(response.body).toMatchObject({ name: 'nota.html.txt', mime_type: 'text/plain' });
    const file = await t.http.get(new URL(response.body.url).pathname).expect(200);
    expect(file.headers['content-type']).toMatch(/^text\/plain/);
    expect(file.headers['content-disposition']).toMatch(/^attachment;/);
    expect(file.headers['content-security-policy']).toContain('sandbox');
  });

  it('refuses types outside the whitelist, whatever the name says', async () => {
    const response = await upload('candidato1', Buffer.from([0x4d, 0x5a, 0x90, 0, 3, 0, 0, 0, 4, 0, 0, 0, 0xff, 0xff, 0, 0]), 'foto.png').expect(400);
    expect(response.body.code).toBe('attachment_mime_not_allowed');
  });

  it('refuses files over SUPPORT_CHAT_ATTACHMENT_MAX_BYTES', async () => {
    const big = Buffer.concat([PNG, Buffer.alloc(4096)]);
    const response = await upload('candidato1', big, 'grande.png').expect(413);
    expect(response.body.code).toMatch(/attachment_too_large|payload_too_large/);
  });

  it('refuses a declared Content-Length over the limit before reading the body', async () => {
    const response = await t
      .as('candidato1')
      .post('/api/uploads')
      .set('Content-Type', 'multipart/form-data; boundary=x')
      .set('Content-Length', String(10 * 1024 * 1024))
      .send('--x--');
    expect(response.status).toBe(413);
    expect(response.body.code).toBe('attachment_too_large');
  });

  it('needs a signed-in chat user', async () => {
    expect((await upload(null, PNG, 'a.png')).status).toBe(401);
    expect((await upload('gerente1', PNG, 'a.png').expect(403)).body.code).toBe('forbidden_role');
  });

  it('asks for the file field', async () => {
    expect((await t.as('candidato1').post('/api/uploads').field('x', '1')).status).toBe(400);
    const empty = await t.as('candidato1').post('/api/uploads').set('Content-Type', 'multipart/form-data; boundary=x').send('--x--\r\n');
    expect(empty.status).toBe(400);
  });

  it('answers 404 for unknown or malformed ids and never escapes the directory', async () => {
    await t.http.get('/api/uploads/00000000-0000-4000-8000-000000000000/a.png').expect(404);
    await t.http.get('/api/uploads/..%2F..%2Fetc/passwd').expect(404);
    expect(readdirSync(dir).every((name) => /^[0-9a-f-]{36}(\.json)?$/.test(name))).toBe(true);
  });
});

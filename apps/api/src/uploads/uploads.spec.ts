import { mkdtempSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
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

describe('uploads: streamed to disk, rate-limited per user', () => {
  let t: TestApp;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'uploads-limits-'));
    t = await createTestApp({ env: { UPLOADS_DIR: dir, UPLOAD_RATE_LIMIT_PER_MINUTE: '2', SUPPORT_CHAT_ATTACHMENT_MAX_BYTES: String(1024 * 1024) } });
  });
  afterAll(async () => {
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const partFiles = () => readdirSync(dir).filter((name) => name.endsWith('.part'));

  it('writes the file to disk while it arrives (not held in memory), and leaves no temporary file behind', async () => {
    const token = await t.loginAs('soporte1');
    const server = t.app.getHttpServer().listen(0);
    try {
      const { port } = server.address() as AddressInfo;
      const boundary = 'frontera';
      const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="grande.png"\r\nContent-Type: image/png\r\n\r\n`);
      const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
      const content = Buffer.concat([PNG, Buffer.alloc(512 * 1024, 1)]);
      const half = 256 * 1024;
      const response = new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = httpRequest(
          {
            port,
            method: 'POST',
            path: '/api/uploads',
            headers: {
              Authorization: `Bearer ${token}`,
              'Content-Type': `multipart/form-data; boundary=${boundary}`,
              'Content-Length': head.length + content.length + tail.length,
            },
          },
          (res) => {
            let body = '';
            res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
          },
        );
        req.on('error', reject);
        req.write(Buffer.concat([head, content.subarray(0, half)]));
        // The first half is on disk before the rest has been sent.
        void (async () => {
          for (let i = 0; i < 200 && !partFiles().some((name) => statSync(join(dir, name)).size >= half); i++) await sleep(25);
          req.end(Buffer.concat([content.subarray(half), tail]));
        })();
      });
      const onDiskMidway = await (async () => {
        for (let i = 0; i < 200; i++) {
          if (partFiles().some((name) => statSync(join(dir, name)).size >= half)) return true;
          await sleep(25);
        }
        return false;
      })();
      const { status, body } = await response;
      expect(onDiskMidway).toBe(true);
      expect(status).toBe(201);
      expect(JSON.parse(body)).toMatchObject({ mime_type: 'image/png', size_bytes: content.length });
      expect(partFiles()).toEqual([]);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('deletes the partial file when the client aborts mid-upload or a body without Content-Length passes the limit', async () => {
    const server = t.app.getHttpServer().listen(0);
    const { port } = server.address() as AddressInfo;
    const head = Buffer.from(`--b\r\nContent-Disposition: form-data; name="file"; filename="g.png"\r\nContent-Type: image/png\r\n\r\n`);
    const send = async (user: string, declaredLength: number | undefined) => {
      const req = httpRequest({
        port,
        method: 'POST',
        path: '/api/uploads',
        headers: {
          Authorization: `Bearer ${await t.loginAs(user)}`,
          'Content-Type': 'multipart/form-data; boundary=b',
          ...(declaredLength === undefined ? {} : { 'Content-Length': declaredLength }),
        },
      });
      const status = new Promise<number>((resolve) => {
        req.on('response', (res) => resolve(res.resume().statusCode ?? 0));
        req.on('error', () => resolve(0));
      });
      req.write(Buffer.concat([head, PNG, Buffer.alloc(256 * 1024, 1)]));
      return { req, status };
    };
    const partialOnDisk = async () => {
      for (let i = 0; i < 80 && !partFiles().some((name) => statSync(join(dir, name)).size > 0); i++) await sleep(25);
      return partFiles().length;
    };
    const partsGone = async () => {
      for (let i = 0; i < 80 && partFiles().length > 0; i++) await sleep(25);
      return partFiles();
    };
    try {
      const aborted = await send('soporte1', 900 * 1024);
      expect(await partialOnDisk()).toBe(1);
      aborted.req.destroy();
      expect(await partsGone()).toEqual([]);

      const chunked = await send('developer1', undefined);
      expect(await partialOnDisk()).toBe(1);
      chunked.req.end(Buffer.alloc(1024 * 1024, 1));
      expect(await chunked.status).toBe(413);
      expect(await partsGone()).toEqual([]);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('answers a relative URL without PUBLIC_BASE_URL, whatever Host the client sends', async () => {
    const response = await t.as('developer1').post('/api/uploads').set('Host', 'evil.example').attach('file', PNG, { filename: 'a.png' }).expect(201);
    expect(response.body.url).toMatch(/^\/api\/uploads\/[0-9a-f-]{36}\/a\.png$/);
    expect(JSON.stringify(response.body)).not.toContain('evil.example');
    await t.http.get(response.body.url).expect(200);
  });

  it('deletes a refused file at once', async () => {
    await t
      .as('candidato2')
      .post('/api/uploads')
      .attach('file', Buffer.from([0x4d, 0x5a, 0x90, 0, 3, 0, 0, 0]), { filename: 'x.exe' })
      .expect(400);
    expect(partFiles()).toEqual([]);
  });

  it('limits uploads per user per minute with 429 rate_limited and Retry-After, before reading the body; other users keep their own budget', async () => {
    const upload = (user: string) => t.as(user).post('/api/uploads').attach('file', PNG, { filename: 'a.png' });
    await upload('candidato1').expect(201);
    await upload('candidato1').expect(201);
    const stored = readdirSync(dir).length;
    const limited = await upload('candidato1').expect(429);
    expect(limited.body).toEqual({ error: expect.stringContaining('demasiados archivos'), code: 'rate_limited' });
    expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(readdirSync(dir).length).toBe(stored);
    await upload('admin1').expect(201);
  });
});

describe('uploads: temporary files of interrupted uploads', () => {
  it('are deleted at start-up once older than an hour; recent ones (an upload in progress elsewhere) and other files stay', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'uploads-stale-'));
    const stale = '0b8a6f9e-5d1c-4c2e-9f3a-1e2d3c4b5a69.part';
    const recent = '1c9b7a0f-6e2d-4d3f-8a4b-2f3e4d5c6b7a.part';
    const other = 'notas.part';
    for (const name of [stale, recent, other]) writeFileSync(join(dir, name), 'x');
    const twoHoursAgo = new Date(Date.now() - 2 * 60 * 60_000);
    for (const name of [stale, other]) utimesSync(join(dir, name), twoHoursAgo, twoHoursAgo);
    const t = await createTestApp({ env: { UPLOADS_DIR: dir } });
    try {
      expect(readdirSync(dir).sort()).toEqual([recent, other].sort());
    } finally {
      await t.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { IncomingHttpHeaders, request as httpRequest } from 'node:http';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';

import type { Request, Response } from 'express';

import { precompressDirectory } from '../../../scripts/precompress-web';
import { shouldCompress } from '../src/app.factory';
import { createTestApp, TestApp } from './test-app';

interface Raw {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** The bytes as they came over the wire (supertest would decode them). */
function fetchRaw(base: string, path: string, headers: Record<string, string> = {}): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${base}${path}`, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

function decode(raw: Raw): Buffer {
  switch (raw.headers['content-encoding']) {
    case 'br':
      return brotliDecompressSync(raw.body);
    case 'gzip':
      return gunzipSync(raw.body);
    default:
      return raw.body;
  }
}

describe('compression: the built web app pre-compressed, JSON above 1 KB, SSE untouched', () => {
  let t: TestApp;
  let web: string;
  let base: string;
  const bundle = `export const texts = ${JSON.stringify(Array.from({ length: 400 }, (_, i) => `Mensaje de ejemplo número ${i} para el chat de soporte`))};\n`;
  const styles = `${Array.from({ length: 200 }, (_, i) => `.c${i} { color: #0b5cad; margin: ${i}px; }`).join('\n')}\n`;

  beforeAll(async () => {
    web = mkdtempSync(join(tmpdir(), 'support-chat-web-'));
    writeFileSync(join(web, 'index.html'), '<!doctype html><html lang="es-MX"><head><title>Soporte</title></head><body><app-root></app-root></body></html>');
    writeFileSync(join(web, 'main-ABCDEFGH.js'), bundle);
    writeFileSync(join(web, 'styles-ABCDEFGH.css'), styles);
    const written = precompressDirectory(web);
    expect(written.map((result) => result.file).sort()).toEqual(['main-ABCDEFGH.js', 'styles-ABCDEFGH.css']);
    t = await createTestApp({ env: { SERVE_WEB: 'true', WEB_DIST_DIR: web } });
    await t.app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await t?.close();
    rmSync(web, { recursive: true, force: true });
  });

  it.each([
    ['br, gzip', 'br'],
    ['gzip', 'gzip'],
    ['gzip;q=1, br;q=0.5', 'gzip'],
  ])('Accept-Encoding "%s": the bundle comes as %s, decodes to the same bytes, with Vary and its own type', async (accept, encoding) => {
    const raw = await fetchRaw(base, '/main-ABCDEFGH.js', { 'Accept-Encoding': accept });
    expect(raw.status).toBe(200);
    expect(raw.headers['content-encoding']).toBe(encoding);
    expect(raw.headers.vary).toMatch(/Accept-Encoding/i);
    expect(raw.headers['content-type']).toMatch(/^(application|text)\/javascript/);
    expect(raw.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(Number(raw.headers['content-length'])).toBe(raw.body.length);
    expect(raw.body.length).toBeLessThan(Buffer.byteLength(bundle) / 3);
    expect(decode(raw).toString()).toBe(bundle);
    // The copy written at build time, byte for byte: nothing was compressed for this request.
    expect(raw.body.equals(readFileSync(join(web, `main-ABCDEFGH.js.${encoding === 'br' ? 'br' : 'gz'}`)))).toBe(true);
  });

  it('without an accepted encoding: the file itself, still with Vary', async () => {
    const raw = await fetchRaw(base, '/styles-ABCDEFGH.css', { 'Accept-Encoding': 'identity' });
    expect(raw.status).toBe(200);
    expect(raw.headers['content-encoding']).toBeUndefined();
    expect(raw.headers.vary).toMatch(/Accept-Encoding/i);
    expect(raw.headers['content-type']).toMatch(/^text\/css/);
    expect(raw.body.toString()).toBe(styles);
  });

  it('never serves a file outside the web app, and client routes still get index.html', async () => {
    const traversal = await fetchRaw(base, '/..%2f..%2fpackage.json', { 'Accept-Encoding': 'br' });
    expect(traversal.body.toString()).not.toContain('"name"');
    const route = await fetchRaw(base, '/chat-soporte', { 'Accept-Encoding': 'br, gzip' });
    expect(route.status).toBe(200);
    expect(decode(route).toString()).toContain('<app-root>');
  });

  it('JSON above 1 KB is compressed (and decodes to the same answer); small JSON is not', async () => {
    const token = await t.loginAs('candidato1');
    for (let i = 0; i < 8; i++) {
      await t
        .as('candidato1')
        .post('/api/support/chat/conversations')
        .send({ subject: `Consulta larga número ${i} sobre la constancia del examen` })
        .expect(201);
    }
    const auth = { Authorization: `Bearer ${token}` };
    const gzip = await fetchRaw(base, '/api/support/chat/conversations', { ...auth, 'Accept-Encoding': 'gzip' });
    const br = await fetchRaw(base, '/api/support/chat/conversations', { ...auth, 'Accept-Encoding': 'br' });
    const plain = await fetchRaw(base, '/api/support/chat/conversations', { ...auth, 'Accept-Encoding': 'identity' });
    expect(plain.body.length).toBeGreaterThan(1024);
    expect([gzip.headers['content-encoding'], br.headers['content-encoding'], plain.headers['content-encoding']]).toEqual(['gzip', 'br', undefined]);
    expect(gzip.body.length).toBeLessThan(plain.body.length);
    expect(JSON.parse(decode(gzip).toString())).toEqual(JSON.parse(plain.body.toString()));
    expect(JSON.parse(decode(br).toString())).toEqual(JSON.parse(plain.body.toString()));

    const small = await fetchRaw(base, '/api/support/chat/unread-count', { ...auth, 'Accept-Encoding': 'gzip, br' });
    expect(small.status).toBe(200);
    expect(small.body.length).toBeLessThan(1024);
    expect(small.headers['content-encoding']).toBeUndefined();
  });

  it('the SSE stream is never compressed and delivers each event as it happens', async () => {
    const ticket = (await t.as('candidato2').post('/api/support/chat/events/ticket').send({}).expect(201)).body.ticket as string;
    const conversation = (await t.as('candidato2').post('/api/support/chat/conversations').send({ subject: 'SSE' }).expect(201)).body.conversation.id as string;
    const controller = new AbortController();
    const stream = await fetch(`${base}/api/support/chat/events?ticket=${ticket}`, { headers: { 'Accept-Encoding': 'gzip, br' }, signal: controller.signal });
    try {
      expect(stream.status).toBe(200);
      expect(stream.headers.get('content-encoding')).toBeNull();
      const reader = stream.body!.getReader();
      let received = '';
      const until = async (pattern: RegExp) => {
        while (!pattern.test(received)) {
          const { value, done } = await reader.read();
          if (done) throw new Error(`stream ended before ${pattern}: ${received}`);
          received += new TextDecoder().decode(value);
        }
      };
      await until(/event: ready/);
      await t
        .as('soporte1')
        .post(`/api/support/chat/conversations/${conversation}/messages`)
        .send({ content: 'Hola desde soporte', client_message_id: randomUUID() })
        .expect(201);
      // Arrives while the response is still open: nothing waits in a compressor's buffer.
      await until(/Hola desde soporte/);
    } finally {
      controller.abort();
    }
  });

  it('shouldCompress refuses event streams even without `no-transform`, and answers that carry tokens', () => {
    const res = (type: string) => ({ getHeader: (name: string) => (name.toLowerCase() === 'content-type' ? type : undefined) }) as unknown as Response;
    const req = (url: string) => ({ headers: {}, url, originalUrl: url }) as Request;
    expect(shouldCompress(req('/api/support/chat/events?ticket=x'), res('text/event-stream'))).toBe(false);
    expect(shouldCompress(req('/api/auth/login'), res('application/json; charset=utf-8'))).toBe(false);
    expect(shouldCompress(req('/api/support/chat/events/ticket'), res('application/json; charset=utf-8'))).toBe(false);
    expect(shouldCompress(req('/api/support/chat/conversations'), res('application/json; charset=utf-8'))).toBe(true);
  });
});

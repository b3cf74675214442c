/**
 * Production defaults and HTTP-layer hardening of the demo host (issue 13): each test fails without its fix.
 */
import { gzipSync } from 'node:zlib';

import { createTestApp, DEMO_PASSWORD, TestApp } from './test-app';

describe('demo accounts in production', () => {
  it('are not created when NODE_ENV=production and DEMO_USERS is unset', async () => {
    const t = await createTestApp({ env: { NODE_ENV: 'production', DEMO_USERS: undefined, LOG_LEVEL: 'silent' } });
    try {
      expect(await t.users.findByUsername('admin1')).toBeNull();
      await t.http.post('/api/auth/login').send({ username: 'admin1', password: DEMO_PASSWORD }).expect(401);
    } finally {
      await t.close();
    }
  });

  it('are still created when DEMO_USERS=true is set explicitly in production', async () => {
    const t: TestApp = await createTestApp({ env: { NODE_ENV: 'production', DEMO_USERS: 'true', LOG_LEVEL: 'silent' } });
    try {
      await t.http.post('/api/auth/login').send({ username: 'admin1', password: DEMO_PASSWORD }).expect(200);
    } finally {
      await t.close();
    }
  });
});

/** Sends a Buffer as it is (superagent would JSON-encode it under a JSON content type). */
const raw = (body: unknown): string => body as string;

describe('request bodies that used to reach a 500', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('refuses deeply nested JSON with 400 json_too_deep before parsing, on the login route and on chat routes', async () => {
    // ~300 KB of nesting, as in the issue: a 500 from class-transformer's stack before the fix.
    const deep = (n: number) => `${'['.repeat(n)}${']'.repeat(n)}`;
    const login = await t.http
      .post('/api/auth/login')
      .set('Content-Type', 'application/json')
      .send(`{"username":${deep(150_000)},"password":"x"}`)
      .expect(400);
    expect(login.body).toEqual({ error: expect.stringContaining('anidamiento'), code: 'json_too_deep' });

    const created = await t.as('candidato1').post('/api/support/chat/conversations').send({}).expect(201);
    const id = (created.body as { conversation: { id: string } }).conversation.id;
    const read = await t
      .as('candidato1')
      .post(`/api/support/chat/conversations/${id}/read`)
      .set('Content-Type', 'application/json')
      .send(`{"last_message_id":${deep(150_000)}}`)
      .expect(400);
    expect(read.body.code).toBe('json_too_deep');
  });

  it('counts only structure: brackets inside strings and escaped quotes do not count, and UTF-16 cannot hide nesting', async () => {
    const brackets = '[{'.repeat(100);
    const ok = await t
      .as('candidato1')
      .post('/api/support/chat/conversations')
      .send({ subject: `${brackets}\\"` })
      .expect(201);
    expect(ok.body.conversation.subject).toBe(`${brackets}\\"`);
    // In UTF-16 an escaped quote is `5c 00 22 00`: a byte-wise scan would lose track of the string.
    const utf16 = Buffer.from(`{"username":"\\"","password":${'['.repeat(100)}${']'.repeat(100)}}`, 'utf16le');
    const response = await t.http.post('/api/auth/login').set('Content-Type', 'application/json; charset=utf-16le').serialize(raw).send(utf16).expect(400);
    expect(response.body.code).toBe('json_too_deep');
    // Big-endian UTF-16 without a BOM under `charset=utf-16`: the parser detects big-endian from the bytes,
    // and so must the scan (a little-endian reading saw no brackets at all, and the body reached a 500).
    const bigEndian = Buffer.from(`{"username":${'['.repeat(150_000)}${']'.repeat(150_000)},"password":"x"}`, 'utf16le').swap16();
    const unmarked = await t.http.post('/api/auth/login').set('Content-Type', 'application/json; charset=utf-16').serialize(raw).send(bigEndian).expect(400);
    expect(unmarked.body.code).toBe('json_too_deep');
  });

  it('refuses a body with too many values with 400 json_too_many_values before transforming it, on the login route and on chat routes', async () => {
    // ~1 MB, one object of 90,000 members: class-transformer held the event loop for tens of seconds on it.
    const members = (n: number) => `{${Array.from({ length: n }, (_, i) => `"${i.toString(36)}":1`).join(',')}}`;
    const login = await t.http
      .post('/api/auth/login')
      .set('Content-Type', 'application/json')
      .send(`{"username":${members(90_000)},"password":"x"}`)
      .expect(400);
    expect(login.body).toEqual({ error: expect.stringContaining('demasiados elementos'), code: 'json_too_many_values' });
    const list = await t
      .as('candidato1')
      .post('/api/support/chat/events/ticket')
      .set('Content-Type', 'application/json')
      .send(`{"since":[${Array(300_000).fill('1').join(',')}]}`)
      .expect(400);
    expect(list.body.code).toBe('json_too_many_values');
  });

  it('accepts the nesting real bodies have', async () => {
    await t.http.post('/api/auth/login').send({ username: 'candidato1', password: DEMO_PASSWORD }).expect(200);
  });

  it('answers a body that is not the gzip its Content-Encoding claims with 400 invalid_content_encoding', async () => {
    const response = await t.http
      .post('/api/auth/login')
      .set('Content-Type', 'application/json')
      .set('Content-Encoding', 'gzip')
      .send('{"username":"candidato1","password":"x"}')
      .expect(400);
    expect(response.body).toEqual({ error: expect.stringContaining('Content-Encoding'), code: 'invalid_content_encoding' });
    // An encoding or charset the parser does not support: 415 with a code that says which.
    const encoding = await t.http.post('/api/auth/login').set('Content-Type', 'application/json').set('Content-Encoding', 'compress').send('{}').expect(415);
    expect(encoding.body.code).toBe('unsupported_content_encoding');
    const charset = await t.http.post('/api/auth/login').set('Content-Type', 'application/json; charset=latin1').send('{}').expect(415);
    expect(charset.body.code).toBe('unsupported_charset');
    // A real gzip body still works.
    const gzipped = gzipSync(JSON.stringify({ username: 'candidato1', password: DEMO_PASSWORD }));
    const ok = await t.http.post('/api/auth/login').set('Content-Type', 'application/json').set('Content-Encoding', 'gzip').serialize(raw).send(gzipped);
    expect(ok.status).toBe(200);
  });
});

describe('Swagger UI and the OpenAPI document', () => {
  it('are off by default when NODE_ENV=production', async () => {
    const t = await createTestApp({ env: { NODE_ENV: 'production', API_DOCS: undefined, LOG_LEVEL: 'silent' } });
    try {
      expect(t.config.apiDocs).toBe(false);
      await t.http.get('/api/docs').expect(404);
      await t.http.get('/api/docs/openapi.json').expect(404);
    } finally {
      await t.close();
    }
  });

  it('are served in production with API_DOCS=true', async () => {
    const t = await createTestApp({ env: { NODE_ENV: 'production', API_DOCS: 'true', LOG_LEVEL: 'silent' } });
    try {
      await t.http.get('/api/docs').expect(200).expect('Content-Type', /html/);
      await t.http.get('/api/docs/openapi.json').expect(200);
    } finally {
      await t.close();
    }
  });
});

describe('login limit per client address and TRUST_PROXY', () => {
  const attempt = (t: TestApp, forwardedFor: string) =>
    t.http.post('/api/auth/login').set('X-Forwarded-For', forwardedFor).send({ username: 'candidato1', password: 'incorrecta' });

  it('ignores X-Forwarded-For without TRUST_PROXY: a client cannot pick a fresh bucket', async () => {
    const t = await createTestApp({ env: { LOGIN_RATE_LIMIT_PER_MINUTE: '2' } });
    try {
      await attempt(t, '203.0.113.1').expect(401);
      await attempt(t, '203.0.113.2').expect(401);
      expect((await attempt(t, '203.0.113.3').expect(429)).body.code).toBe('rate_limited');
    } finally {
      await t.close();
    }
  });

  it('keys on the forwarded client address with TRUST_PROXY: clients behind the proxy no longer share one bucket', async () => {
    const t = await createTestApp({ env: { LOGIN_RATE_LIMIT_PER_MINUTE: '2', TRUST_PROXY: 'loopback' } });
    try {
      await attempt(t, '203.0.113.1').expect(401);
      await attempt(t, '203.0.113.1').expect(401);
      await attempt(t, '203.0.113.1').expect(429);
      await attempt(t, '203.0.113.2').expect(401);
      // A client cannot hide behind an address of its own in front of the trusted hop.
      await attempt(t, '198.51.100.7, 203.0.113.1').expect(429);
      // Nor behind the next address of its IPv6 network: @nestjs/throttler keys IPv6 by its /64 (a client
      // normally holds a whole one); this guards that default.
      await attempt(t, '2001:db8:1:2::1').expect(401);
      await attempt(t, '2001:db8:1:2::2').expect(401);
      await attempt(t, '2001:db8:1:2:ffff:ffff:ffff:3').expect(429);
      await attempt(t, '2001:db8:1:3::1').expect(401);
    } finally {
      await t.close();
    }
  });
});

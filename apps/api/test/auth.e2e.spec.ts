import { createHmac } from 'node:crypto';

import { JWT_AUDIENCE, JWT_ISSUER } from '../src/auth/jwt.strategy';
import { createTestApp, DEMO_PASSWORD, TEST_JWT_SECRET, TestApp } from './test-app';

/** Hand-made JWTs, to test what the server accepts without going through its own signer. */
function b64(value: object): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}
function jwt(payload: object, { secret = TEST_JWT_SECRET, alg = 'HS256' }: { secret?: string; alg?: string } = {}): string {
  const head = `${b64({ alg, typ: 'JWT' })}.${b64(payload)}`;
  if (alg === 'none') return `${head}.`;
  const hash = alg === 'HS512' ? 'sha512' : 'sha256';
  return `${head}.${createHmac(hash, secret).update(head).digest('base64url')}`;
}
const now = () => Math.floor(Date.now() / 1000);

describe('POST /api/auth/login and GET /api/auth/me', () => {
  let t: TestApp;
  let candidateId: string;

  beforeAll(async () => {
    t = await createTestApp();
    candidateId = (await t.users.findByUsername('candidato1'))!.id;
  });
  afterAll(() => t.close());

  const claims = (extra: object = {}) => ({ sub: candidateId, iss: JWT_ISSUER, aud: JWT_AUDIENCE, iat: now(), exp: now() + 600, ...extra });

  it('logs in with the demo password and returns a token and the profile', async () => {
    const response = await t.http.post('/api/auth/login').send({ username: 'candidato1', password: DEMO_PASSWORD }).expect(200);
    expect(response.body).toMatchObject({
      access_token: expect.stringMatching(/^[\w-]+\.[\w-]+\.[\w-]+$/),
      token_type: 'Bearer',
      expires_in: 8 * 3600,
      user: { id: candidateId, username: 'candidato1', role: 'candidato', full_name: 'Ana María López Hernández', is_active: true },
    });
    expect(JSON.stringify(response.body)).not.toMatch(/password|scrypt/i);
    const [header, payload] = response.body.access_token
      .split('.')
      .slice(0, 2)
      .map((part: string) => JSON.parse(Buffer.from(part, 'base64url').toString()));
    expect(header.alg).toBe('HS256');
    expect(payload).toMatchObject({ sub: candidateId, iss: JWT_ISSUER, aud: JWT_AUDIENCE });
    expect(payload.exp - payload.iat).toBe(8 * 3600);
  });

  it('gives the same 401 invalid_credentials for a wrong password and for an unknown user', async () => {
    const wrong = await t.http.post('/api/auth/login').send({ username: 'candidato1', password: 'Demo1234' }).expect(401);
    const unknown = await t.http.post('/api/auth/login').send({ username: 'nadie', password: DEMO_PASSWORD }).expect(401);
    expect(wrong.body).toEqual({ error: 'Usuario o contraseña incorrectos.', code: 'invalid_credentials' });
    expect(unknown.body).toEqual(wrong.body);
  });

  it('refuses an inactive user with 401 user_inactive, at login and with a token issued before', async () => {
    const user = await t.createUser({ username: 'inactiva', fullName: 'Inés Inactiva', email: 'ines@example.com', role: 'candidato' });
    const token = await t.loginAs('inactiva');
    await t.users.setActive(user.id, false);
    const login = await t.http.post('/api/auth/login').send({ username: 'inactiva', password: DEMO_PASSWORD }).expect(401);
    expect(login.body).toMatchObject({ code: 'user_inactive' });
    const me = await t.withToken(token).get('/api/auth/me').expect(401);
    expect(me.body).toMatchObject({ code: 'user_inactive' });
    // A wrong password on an inactive account does not reveal that the account exists.
    await t.http
      .post('/api/auth/login')
      .send({ username: 'inactiva', password: 'wrong' })
      .expect(401, { error: 'Usuario o contraseña incorrectos.', code: 'invalid_credentials' });
  });

  it('refuses at once a deactivated user whose token was already verified (and remembered) on host and chat routes', async () => {
    const user = await t.createUser({ username: 'recordada', fullName: 'Rosa Recordada', email: 'rosa@example.com', role: 'candidato' });
    const token = await t.loginAs('recordada');
    // Both guards have now seen (and remembered) the verified token.
    await t.withToken(token).get('/api/auth/me').expect(200);
    await t.withToken(token).get('/api/support/chat/unread-count').expect(200);
    await t.users.setActive(user.id, false);
    const me = await t.withToken(token).get('/api/auth/me').expect(401);
    expect(me.body).toMatchObject({ code: 'user_inactive' });
    const chat = await t.withToken(token).get('/api/support/chat/unread-count').expect(401);
    expect(chat.body).toMatchObject({ code: 'user_inactive' });
    await t.users.setActive(user.id, true);
    await t.withToken(token).get('/api/auth/me').expect(200);
  });

  it('does not let a remembered token vouch for a tampered copy of it', async () => {
    const token = jwt(claims());
    await t.withToken(token).get('/api/auth/me').expect(200);
    const [head, , signature] = token.split('.');
    const otherUser = (await t.users.findByUsername('soporte1'))!.id;
    await t
      .withToken(`${head}.${b64(claims({ sub: otherUser }))}.${signature}`)
      .get('/api/auth/me')
      .expect(401);
    await t.withToken(`${token}x`).get('/api/auth/me').expect(401);
    await t.withToken(token).get('/api/auth/me').expect(200);
  });

  it('returns the current user from /me', async () => {
    const response = await t.as('soporte1').get('/api/auth/me').expect(200);
    expect(response.body).toMatchObject({ username: 'soporte1', role: 'soporte', email: 'lucia.fernandez@example.com' });
    expect(response.body).not.toHaveProperty('password_hash');
  });

  it('accepts a well-formed token signed by the server secret', async () => {
    await t.withToken(jwt(claims())).get('/api/auth/me').expect(200);
  });

  it.each([
    ['no token', null],
    ['garbage', 'not-a-jwt'],
    ['alg none', jwt(claims(), { alg: 'none' })],
    ['alg HS512 (not pinned)', jwt(claims(), { alg: 'HS512' })],
    ['a wrong signature', jwt(claims(), { secret: 'another-secret-another-secret-another!!' })],
    ['an expired token', jwt(claims({ iat: now() - 7200, exp: now() - 3600 }))],
    ['no exp claim', jwt(claims({ exp: undefined }))],
    ['a wrong audience', jwt(claims({ aud: 'someone-else' }))],
    ['a wrong issuer', jwt(claims({ iss: 'someone-else' }))],
    ['an unknown user', jwt(claims({ sub: '00000000-0000-4000-8000-000000000000' }))],
  ])('rejects %s with 401 in the common error shape', async (_label, token) => {
    const agent = token === null ? t.http : t.withToken(token);
    const response = await agent.get('/api/auth/me').expect(401);
    expect(response.body).toEqual({ error: expect.any(String), code: 'unauthenticated' });
  });

  it('tolerates a few seconds of clock skew but not more', async () => {
    await t
      .withToken(jwt(claims({ exp: now() - 5 })))
      .get('/api/auth/me')
      .expect(200);
    await t
      .withToken(jwt(claims({ exp: now() - 120 })))
      .get('/api/auth/me')
      .expect(401);
  });
});

describe('login rate limit', () => {
  it('answers 429 rate_limited with Retry-After once an IP exceeds LOGIN_RATE_LIMIT_PER_MINUTE', async () => {
    const t = await createTestApp({ env: { LOGIN_RATE_LIMIT_PER_MINUTE: '3' } });
    try {
      for (let attempt = 0; attempt < 3; attempt++) {
        await t.http.post('/api/auth/login').send({ username: 'candidato1', password: 'wrong' }).expect(401);
      }
      const limited = await t.http.post('/api/auth/login').send({ username: 'candidato1', password: DEMO_PASSWORD }).expect(429);
      expect(limited.body).toEqual({ error: expect.any(String), code: 'rate_limited' });
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
      // Other endpoints are not limited.
      await t.http.get('/api/health').expect(200);
    } finally {
      await t.close();
    }
  });
});

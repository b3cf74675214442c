import { randomUUID } from 'node:crypto';
import { spawnSync } from 'node:child_process';

import { Redis } from 'ioredis';

import { createTestApp, DEMO_PASSWORD, TestApp } from './test-app';

const REDIS_URL = 'redis://127.0.0.1:6379';
const REDIS_UP =
  spawnSync(
    process.execPath,
    [
      '-e',
      "const s=require('net').connect(6379,'127.0.0.1');s.setTimeout(800,()=>process.exit(1));s.on('error',()=>process.exit(1));s.on('connect',()=>process.exit(0));",
    ],
    {
      stdio: 'ignore',
      timeout: 3000,
    },
  ).status === 0;
if (!REDIS_UP) console.warn('SKIPPED login rate limit across instances: no Redis answers on 127.0.0.1:6379.');

const login = (t: TestApp, username: string, password: string) => t.http.post('/api/auth/login').send({ username, password });

describe('login limits per account', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ env: { LOGIN_RATE_LIMIT_PER_MINUTE: '1000', LOGIN_RATE_LIMIT_PER_ACCOUNT_PER_HOUR: '3' } });
  });
  afterAll(() => t.close());

  it('refuses a fourth attempt on one account with 429 rate_limited (Spanish, Retry-After), even with the right password; other accounts are unaffected', async () => {
    for (let i = 0; i < 3; i++) await login(t, 'candidato1', 'incorrecta').expect(401);
    const limited = await login(t, 'candidato1', DEMO_PASSWORD).expect(429);
    expect(limited.body).toEqual({ error: expect.stringMatching(/para esta cuenta/), code: 'rate_limited' });
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(60);
    await login(t, 'candidato2', DEMO_PASSWORD).expect(200);
  });
});

describe('chat limits configured through the host environment', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ env: { SUPPORT_CHAT_RATE_LIMIT_MESSAGES_PER_MINUTE: '2', SUPPORT_CHAT_MAX_OPEN_CONVERSATIONS_PER_CANDIDATE: '1' } });
  });
  afterAll(() => t.close());

  it('applies SUPPORT_CHAT_RATE_LIMIT_MESSAGES_PER_MINUTE and SUPPORT_CHAT_MAX_OPEN_CONVERSATIONS_PER_CANDIDATE', async () => {
    const created = await t.as('candidato1').post('/api/support/chat/conversations').send({}).expect(201);
    const id = (created.body as { conversation: { id: string } }).conversation.id;
    const second = await t.as('candidato1').post('/api/support/chat/conversations').send({}).expect(409);
    expect(second.body.code).toBe('open_conversation_limit');
    await t.as('candidato1').post(`/api/support/chat/conversations/${id}/messages`).send({ content: 'uno' }).expect(201);
    await t.as('candidato1').post(`/api/support/chat/conversations/${id}/messages`).send({ content: 'dos' }).expect(201);
    const limited = await t.as('candidato1').post(`/api/support/chat/conversations/${id}/messages`).send({ content: 'tres' }).expect(429);
    expect(limited.body).toEqual({ error: expect.any(String), code: 'rate_limited' });
    expect(limited.headers['retry-after']).toMatch(/^\d+$/);
  });
});

(REDIS_UP ? describe : describe.skip)('login limit shared by two instances through Redis', () => {
  const prefix = `support-chat-test-${randomUUID()}`;
  afterAll(async () => {
    const redis = new Redis(REDIS_URL);
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
  });

  it('counts attempts on one account made through either instance', async () => {
    const env = { REDIS_URL, REDIS_KEY_PREFIX: prefix, LOGIN_RATE_LIMIT_PER_MINUTE: '1000', LOGIN_RATE_LIMIT_PER_ACCOUNT_PER_HOUR: '2' };
    const a = await createTestApp({ env });
    // One database, as instances of one deployment share: the account (keyed by its id) is the same.
    const b = await createTestApp({ env: { ...env, DATABASE_URL: a.databaseUrl } });
    try {
      await login(a, 'admin1', 'incorrecta').expect(401);
      await login(b, 'admin1', 'incorrecta').expect(401);
      await login(a, 'admin1', DEMO_PASSWORD).expect(429);
      await login(b, 'admin1', DEMO_PASSWORD).expect(429);
    } finally {
      await b.close();
      await a.close();
    }
  });
});

/**
 * Production defaults and HTTP-layer hardening of the demo host (issue 13): each test fails without its fix.
 */
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

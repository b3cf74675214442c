import express from 'express';

import { ApiConfigError, loadApiConfig } from './api-config';

describe('loadApiConfig', () => {
  it('has the documented defaults', () => {
    const config = loadApiConfig({});
    expect(config).toMatchObject({
      port: 3000,
      databaseUrl: 'sqlite:./data/support-chat.sqlite',
      demoUsers: true,
      bodyLimit: '1mb',
      jwtExpiresInSeconds: 8 * 3600,
      jwtSecretGenerated: true,
    });
    expect(config.jwtSecret.length).toBeGreaterThanOrEqual(32);
  });

  it('generates a different secret per process start when JWT_SECRET is unset', () => {
    expect(loadApiConfig({}).jwtSecret).not.toBe(loadApiConfig({}).jwtSecret);
  });

  it('reads PORT, DATABASE_URL, JWT_SECRET and DEMO_USERS', () => {
    const config = loadApiConfig({ PORT: '8080', DATABASE_URL: 'sqlite::memory:', JWT_SECRET: 'x'.repeat(40), DEMO_USERS: 'false' });
    expect(config).toMatchObject({ port: 8080, databaseUrl: 'sqlite::memory:', jwtSecret: 'x'.repeat(40), jwtSecretGenerated: false, demoUsers: false });
  });

  it('creates no demo accounts in production unless DEMO_USERS is set explicitly', () => {
    expect(loadApiConfig({ NODE_ENV: 'production' }).demoUsers).toBe(false);
    expect(loadApiConfig({ NODE_ENV: 'production', DEMO_USERS: 'true' }).demoUsers).toBe(true);
    expect(loadApiConfig({ NODE_ENV: 'development' }).demoUsers).toBe(true);
    expect(loadApiConfig({ NODE_ENV: ' Production ' })).toMatchObject({ nodeEnv: 'production', demoUsers: false, apiDocs: false });
  });

  it('turns Swagger UI off in production unless API_DOCS=true', () => {
    expect(loadApiConfig({}).apiDocs).toBe(true);
    expect(loadApiConfig({ NODE_ENV: 'production' }).apiDocs).toBe(false);
    expect(loadApiConfig({ NODE_ENV: 'production', API_DOCS: 'true' }).apiDocs).toBe(true);
  });

  it('reads TRUST_PROXY: off by default, hops, true, or a list of addresses and named ranges', () => {
    expect(loadApiConfig({}).trustProxy).toBe(false);
    expect(loadApiConfig({ TRUST_PROXY: 'false' }).trustProxy).toBe(false);
    expect(loadApiConfig({ TRUST_PROXY: '1' }).trustProxy).toBe(1);
    expect(loadApiConfig({ TRUST_PROXY: 'true' }).trustProxy).toBe(true);
    expect(loadApiConfig({ TRUST_PROXY: 'loopback, 10.0.0.0/8, fd00::1' }).trustProxy).toBe('loopback,10.0.0.0/8,fd00::1');
    expect(loadApiConfig({ TRUST_PROXY: '10.0.0.0/255.0.0.0, ::1/128' }).trustProxy).toBe('10.0.0.0/255.0.0.0,::1/128');
    // What the check accepts, Express accepts too.
    for (const value of ['loopback, 10.0.0.0/8, fd00::1', '10.0.0.0/255.0.0.0, ::1/128', 'uniquelocal,linklocal', '192.168.1.10']) {
      expect(() => express().set('trust proxy', loadApiConfig({ TRUST_PROXY: value }).trustProxy)).not.toThrow();
    }
    // Each of these once passed the check and crashed start-up later, inside Express' proxy-addr.
    for (const value of ['mi-proxy', 'abc', 'f', '::::', '999.1.1.1', '1.2.3', '10.0.0.0/99', 'fd00::/129', '10.0.0.0/8/8', 'loopback,']) {
      expect(() => loadApiConfig({ TRUST_PROXY: value })).toThrow(/TRUST_PROXY/);
    }
  });

  it('is silent in tests', () => {
    expect(loadApiConfig({ NODE_ENV: 'test' }).logLevel).toBe('silent');
  });

  it('lists every problem at once', () => {
    expect(() => loadApiConfig({ PORT: 'abc', JWT_SECRET: 'short', DEMO_USERS: 'maybe' })).toThrow(ApiConfigError);
    try {
      loadApiConfig({ PORT: 'abc', JWT_SECRET: 'short', DEMO_USERS: 'maybe' });
    } catch (error) {
      expect((error as Error).message).toMatch(/PORT/);
      expect((error as Error).message).toMatch(/JWT_SECRET/);
      expect((error as Error).message).toMatch(/DEMO_USERS/);
    }
  });
});

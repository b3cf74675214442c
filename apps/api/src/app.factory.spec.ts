import { warnAboutDemoUsersInProduction, warnAboutGeneratedSecret } from './app.factory';
import { loadApiConfig } from './config/api-config';

describe('warnAboutGeneratedSecret', () => {
  const warn = jest.fn();
  beforeEach(() => warn.mockReset());

  it('warns loudly when JWT_SECRET is unset outside tests', () => {
    expect(warnAboutGeneratedSecret(loadApiConfig({ NODE_ENV: 'production' }), { warn })).toBe(true);
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('JWT_SECRET is not set'));
  });

  it('stays quiet in tests and when a secret is configured', () => {
    expect(warnAboutGeneratedSecret(loadApiConfig({ NODE_ENV: 'test' }), { warn })).toBe(false);
    expect(warnAboutGeneratedSecret(loadApiConfig({ JWT_SECRET: 'k'.repeat(32) }), { warn })).toBe(false);
    expect(warn).not.toHaveBeenCalled();
  });
});

describe('warnAboutDemoUsersInProduction', () => {
  const warn = jest.fn();
  beforeEach(() => warn.mockReset());

  it('warns when DEMO_USERS=true is set explicitly in production', () => {
    expect(warnAboutDemoUsersInProduction(loadApiConfig({ NODE_ENV: 'production', DEMO_USERS: 'true' }), { warn })).toBe(true);
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('DEMO_USERS is on in production'));
  });

  it('stays quiet when production runs without demo accounts, and outside production', () => {
    expect(warnAboutDemoUsersInProduction(loadApiConfig({ NODE_ENV: 'production' }), { warn })).toBe(false);
    expect(warnAboutDemoUsersInProduction(loadApiConfig({ NODE_ENV: 'development', DEMO_USERS: 'true' }), { warn })).toBe(false);
    expect(warn).not.toHaveBeenCalled();
  });
});

import { foldUsername, LOGIN_PER_ACCOUNT, loginThrottlers } from './login-throttler.guard';

describe('per-account login tracker', () => {
  const accounts = new Map([['gerente1', { id: 'id-gerente' }]]);
  const tracker = loginThrottlers({ loginRateLimitPerMinute: 10, loginRateLimitPerAccountPerHour: 20 }, async (name) => accounts.get(name) ?? null).find(
    (throttler) => throttler.name === LOGIN_PER_ACCOUNT,
  )!.getTracker!;
  const track = (username: unknown) => tracker({ body: { username } }, undefined as never);

  it('keys a name that reaches an account by that account, and any other name folded', async () => {
    expect(await track('gerente1')).toBe('account:id:id-gerente');
    expect(await track('Gerénte1 ')).toBe('account:name:gerente1');
    expect(await track('NADIE')).toBe('account:name:nadie');
  });

  it('never looks up what validation will refuse', async () => {
    for (const username of [undefined, 42, { $ne: '' }, '', '   ', 'x'.repeat(151)]) expect(await track(username)).toBe('account:');
  });

  it('folds case, accents and surrounding spaces', () => {
    expect(foldUsername('  GERÉNTE1 ')).toBe('gerente1');
    expect(foldUsername('ñandú')).toBe('nandu');
  });
});

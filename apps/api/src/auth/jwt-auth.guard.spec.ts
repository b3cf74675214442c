import { VerifiedTokenCache } from './jwt-auth.guard';
import { JWT_CLOCK_TOLERANCE_SECONDS } from './jwt.strategy';

describe('VerifiedTokenCache', () => {
  it('gives back a verified token until its expiry plus the clock tolerance, then forgets it', () => {
    let now = 1_000;
    const cache = new VerifiedTokenCache(10, () => now);
    cache.set('a.b.c', { id: 'u1', exp: 1_100 });
    expect(cache.get('a.b.c')).toEqual({ id: 'u1', exp: 1_100 });
    now = 1_100 + JWT_CLOCK_TOLERANCE_SECONDS - 1;
    expect(cache.get('a.b.c')).toEqual({ id: 'u1', exp: 1_100 });
    now = 1_100 + JWT_CLOCK_TOLERANCE_SECONDS;
    expect(cache.get('a.b.c')).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('matches the exact token only', () => {
    const cache = new VerifiedTokenCache(10, () => 0);
    cache.set('a.b.c', { id: 'u1', exp: 100 });
    expect(cache.get('a.b.d')).toBeUndefined();
    expect(cache.get('a.b')).toBeUndefined();
  });

  it('keeps at most its capacity, forgetting the oldest first', () => {
    const cache = new VerifiedTokenCache(2, () => 0);
    cache.set('t1', { id: 'u1', exp: 100 });
    cache.set('t2', { id: 'u2', exp: 100 });
    cache.set('t3', { id: 'u3', exp: 100 });
    expect(cache.size).toBe(2);
    expect(cache.get('t1')).toBeUndefined();
    expect(cache.get('t2')).toBeDefined();
    expect(cache.get('t3')).toBeDefined();
  });
});

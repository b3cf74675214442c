/** An unsigned JWT with the given claims, for tests of code that only reads `exp`. */
export function fakeJwt(claims: Record<string, unknown>): string {
  const encode = (value: unknown) => btoa(JSON.stringify(value)).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
  return `${encode({ alg: 'HS256', typ: 'JWT' })}.${encode(claims)}.signature`;
}

/** A token that expires `secondsFromNow` seconds from now (negative: already expired). */
export function tokenExpiringIn(secondsFromNow: number): string {
  return fakeJwt({ sub: 'user-1', exp: Math.floor(Date.now() / 1000) + secondsFromNow });
}

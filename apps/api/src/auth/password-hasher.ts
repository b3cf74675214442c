import { randomBytes, scrypt, ScryptOptions, timingSafeEqual } from 'node:crypto';

/** Cost parameters; stored with every hash so that they can be raised later without breaking old hashes. */
export interface ScryptParams {
  N: number;
  r: number;
  p: number;
}

export const DEFAULT_SCRYPT_PARAMS: ScryptParams = { N: 16384, r: 8, p: 1 };
const KEY_LENGTH = 64;
const SALT_BYTES = 16;
const PREFIX = 'scrypt';

function derive(password: string, salt: Buffer, params: ScryptParams): Promise<Buffer> {
  const options: ScryptOptions = { N: params.N, r: params.r, p: params.p, maxmem: 128 * params.N * params.r * 2 };
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFKC'), salt, KEY_LENGTH, options, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

/**
 * Password hashing with scrypt (a memory-hard KDF from `node:crypto`) and a random per-user salt.
 * Format: `scrypt$N$r$p$<salt base64url>$<hash base64url>`.
 */
export const PasswordHasher = {
  async hash(password: string, params: ScryptParams = DEFAULT_SCRYPT_PARAMS): Promise<string> {
    const salt = randomBytes(SALT_BYTES);
    const key = await derive(password, salt, params);
    return [PREFIX, params.N, params.r, params.p, salt.toString('base64url'), key.toString('base64url')].join('$');
  },

  /** Constant-time comparison; a malformed stored hash simply does not verify. */
  async verify(password: string, stored: string): Promise<boolean> {
    const parts = stored.split('$');
    if (parts.length !== 6 || parts[0] !== PREFIX) return false;
    const [N, r, p] = parts.slice(1, 4).map(Number) as [number, number, number];
    if (![N, r, p].every((value) => Number.isInteger(value) && value > 0)) return false;
    const salt = Buffer.from(parts[4], 'base64url');
    const expected = Buffer.from(parts[5], 'base64url');
    if (expected.length !== KEY_LENGTH) return false;
    const actual = await derive(password, salt, { N, r, p });
    return timingSafeEqual(actual, expected);
  },
};

/**
 * A hash of a random password, verified against when the username does not exist so that an unknown
 * user costs the same time as a wrong password (no user enumeration by timing).
 */
let dummyHash: Promise<string> | undefined;
export function dummyPasswordHash(): Promise<string> {
  dummyHash ??= PasswordHasher.hash(randomBytes(16).toString('hex'));
  return dummyHash;
}

import { randomBytes } from 'node:crypto';
import { isIP } from 'node:net';

import { DEFAULT_DATABASE_URL } from '../database/database-url';

export type Env = Record<string, string | undefined>;

/** The host's configuration, read once from the environment (see the README's configuration table). */
export interface ApiConfig {
  nodeEnv: string;
  port: number;
  databaseUrl: string;
  jwtSecret: string;
  /** True when `JWT_SECRET` was unset and a random one was generated for this process. */
  jwtSecretGenerated: boolean;
  /** Lifetime of access tokens, in seconds. */
  jwtExpiresInSeconds: number;
  /** Create the demo accounts (`DEMO_USERS`; default on, except off when `NODE_ENV=production`). */
  demoUsers: boolean;
  /** Serve Swagger UI and the OpenAPI document at `/api/docs` (`API_DOCS`; default on, off when `NODE_ENV=production`). */
  apiDocs: boolean;
  /**
   * Express' `trust proxy` (`TRUST_PROXY`): false (default) uses the socket address as the client's;
   * otherwise the proxies to trust (a hop count, `true`, or addresses/subnets/`loopback`...), whose
   * `X-Forwarded-For` then names the real client for the login limit.
   */
  trustProxy: boolean | number | string;
  /** Login attempts allowed per client IP per minute (brute-force brake). */
  loginRateLimitPerMinute: number;
  /** Login attempts allowed per account (username) per hour, from any IP (distributed guessing brake). */
  loginRateLimitPerAccountPerHour: number;
  /** `redis://` URL: rate-limit counters (and the chat's realtime fan-out) shared by every instance. */
  redisUrl: string | null;
  /** Prefix of the host's Redis keys (`REDIS_KEY_PREFIX`, default `support-chat`). */
  redisKeyPrefix: string;
  /** Maximum size of a JSON request body, in the `bytes` package's notation. */
  bodyLimit: string;
  logLevel: string;
  /** The raw environment, handed to the chat module so that it reads its `SUPPORT_CHAT_*` variables. */
  env: Env;
}

export class ApiConfigError extends Error {
  constructor(problems: string[]) {
    super(`Invalid API configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ApiConfigError';
  }
}

export const API_CONFIG = Symbol('API_CONFIG');

/** Shortest accepted `JWT_SECRET`: HS256 needs at least 256 bits of key. */
const MIN_JWT_SECRET_LENGTH = 32;

export function loadApiConfig(env: Env = process.env): ApiConfig {
  const problems: string[] = [];
  // Lower-cased: `NODE_ENV=Production` must not bring back the demo accounts and the API docs.
  const nodeEnv = (env.NODE_ENV?.trim() || 'development').toLowerCase();

  const int = (name: string, fallback: number, min: number, max: number): number => {
    const raw = env[name]?.trim();
    if (!raw) return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) {
      problems.push(`${name} must be an integer between ${min} and ${max} (got "${raw}")`);
      return fallback;
    }
    return value;
  };

  const flag = (name: string, fallback: boolean): boolean => {
    const raw = env[name]?.trim().toLowerCase();
    if (!raw) return fallback;
    if (['true', '1', 'yes'].includes(raw)) return true;
    if (['false', '0', 'no'].includes(raw)) return false;
    problems.push(`${name} must be true or false (got "${raw}")`);
    return fallback;
  };

  let jwtSecret = env.JWT_SECRET ?? '';
  const jwtSecretGenerated = jwtSecret === '';
  if (jwtSecretGenerated) {
    jwtSecret = randomBytes(48).toString('base64url');
  } else if (jwtSecret.length < MIN_JWT_SECRET_LENGTH) {
    problems.push(`JWT_SECRET must be at least ${MIN_JWT_SECRET_LENGTH} characters long`);
  }

  const bodyLimit = env.API_BODY_LIMIT?.trim() || '1mb';
  if (!/^\d+(\.\d+)?\s*(b|kb|mb)?$/i.test(bodyLimit)) problems.push(`API_BODY_LIMIT must look like 512kb or 1mb (got "${bodyLimit}")`);

  const trustProxy = parseTrustProxy(env.TRUST_PROXY, problems);

  const config: ApiConfig = {
    nodeEnv,
    port: int('PORT', 3000, 0, 65535),
    databaseUrl: env.DATABASE_URL?.trim() || DEFAULT_DATABASE_URL,
    jwtSecret,
    jwtSecretGenerated,
    jwtExpiresInSeconds: int('JWT_EXPIRES_IN_SECONDS', 8 * 60 * 60, 60, 30 * 24 * 60 * 60),
    // Demo accounts have a published password: never created in production unless asked for.
    demoUsers: flag('DEMO_USERS', nodeEnv !== 'production'),
    // The API's full map is useful to QA and to an attacker alike: opt in for production.
    apiDocs: flag('API_DOCS', nodeEnv !== 'production'),
    trustProxy,
    loginRateLimitPerMinute: int('LOGIN_RATE_LIMIT_PER_MINUTE', 10, 1, 100000),
    loginRateLimitPerAccountPerHour: int('LOGIN_RATE_LIMIT_PER_ACCOUNT_PER_HOUR', 20, 1, 100000),
    redisUrl: env.REDIS_URL?.trim() || null,
    redisKeyPrefix: env.REDIS_KEY_PREFIX?.trim() || 'support-chat',
    bodyLimit,
    logLevel: env.LOG_LEVEL?.trim() || (nodeEnv === 'test' ? 'silent' : 'info'),
    env,
  };
  if (!['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].includes(config.logLevel)) {
    problems.push(`LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent (got "${config.logLevel}")`);
  }
  if (config.redisUrl && !/^rediss?:\/\//.test(config.redisUrl)) problems.push('REDIS_URL must start with redis:// or rediss://');
  if (problems.length > 0) throw new ApiConfigError(problems);
  return Object.freeze(config);
}

/** Named ranges Express (proxy-addr) knows, besides addresses and subnets. */
const TRUST_PROXY_NAMES = ['loopback', 'linklocal', 'uniquelocal'];

function parseTrustProxy(raw: string | undefined, problems: string[]): boolean | number | string {
  const value = raw?.trim() ?? '';
  if (value === '' || /^(false|no|0)$/i.test(value)) return false;
  if (/^(true|yes)$/i.test(value)) return true;
  if (/^\d+$/.test(value)) return Number(value);
  const entries = value.split(',').map((entry) => entry.trim());
  if (entries.every((entry) => TRUST_PROXY_NAMES.includes(entry) || isAddressOrSubnet(entry))) return entries.join(',');
  problems.push(`TRUST_PROXY must be false, true, a number of hops, or addresses/subnets/loopback/linklocal/uniquelocal separated by commas (got "${value}")`);
  return false;
}

/**
 * An address, or a subnet as `address/bits` (or an IPv4 netmask), as Express' proxy-addr accepts them.
 * Checked here so that a typo stops start-up with the other configuration problems, instead of
 * proxy-addr throwing later from `app.set('trust proxy')`.
 */
function isAddressOrSubnet(entry: string): boolean {
  const [address = '', range, ...rest] = entry.split('/');
  const version = isIP(address);
  if (version === 0 || rest.length > 0) return false;
  if (range === undefined) return true;
  if (/^\d{1,3}$/.test(range)) return Number(range) <= (version === 4 ? 32 : 128);
  return version === 4 && isIP(range) === 4;
}

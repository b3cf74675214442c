/**
 * Settings every benchmark's server shares, so that a figure does not depend on the hour it was taken:
 * support always open (after hours, each conversation's first candidate message would get the automatic
 * reply and take the transaction path instead of the one-statement send), and the background jobs off (the
 * seeded conversations would be auto-resolved and e-mailed while the requests are timed).
 */
export const BENCH_SERVER_ENV = {
  SUPPORT_CHAT_BUSINESS_HOURS: 'mon-sun 00:00-24:00',
  SUPPORT_CHAT_AUTO_RESOLVE_AFTER: '0',
  SUPPORT_CHAT_EMAIL_AWAY_AFTER: '0',
} as const;

/** The signing secret of every benchmark's server (the scripts sign in through the API with it). */
export const BENCH_JWT_SECRET = 'bench-secret-bench-secret-bench-secret-0123456789';

/**
 * The whole environment of a benchmark's API server: production mode, no demo users, login and message
 * limits out of the way (the abuse brakes are not what the benchmarks measure), `BENCH_SERVER_ENV`, then
 * the script's own `overrides`.
 */
export function benchServerEnv(databaseUrl: string, port: number, overrides: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    NODE_ENV: 'production',
    DATABASE_URL: databaseUrl,
    PORT: String(port),
    JWT_SECRET: BENCH_JWT_SECRET,
    DEMO_USERS: 'false',
    LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'info',
    LOGIN_RATE_LIMIT_PER_MINUTE: '100000',
    SUPPORT_CHAT_RATE_LIMIT_MESSAGES_PER_MINUTE: '0',
    ...BENCH_SERVER_ENV,
    ...overrides,
  };
}

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

import type { Params } from 'nestjs-pino';

import { ApiConfig } from '../config/api-config';

/**
 * Never logged: credentials in headers and any password or token that ends up in a logged object.
 * Request bodies are not logged at all.
 */
export const LOG_REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  'password',
  '*.password',
  'access_token',
  '*.access_token',
  'passwordHash',
  '*.passwordHash',
];

/** Structured JSON logs (pino), one line per request; silent in tests unless `LOG_LEVEL` says otherwise. */
export function loggerParams(config: ApiConfig): Params {
  return {
    pinoHttp: {
      level: config.logLevel,
      redact: { paths: LOG_REDACT_PATHS, censor: '[redacted]' },
      // Health probes every few seconds would drown the useful lines.
      autoLogging: { ignore: (req) => req.url === '/api/health' },
      customLogLevel: (_req, res, error) => requestLogLevel(res.statusCode, error),
    },
  };
}

/**
 * Errors and refusals stand out; an unchanged answer to polling (`304`) is logged at `debug`: a thousand
 * clients polling the inbox every 5 s would otherwise write 200 identical lines a second.
 */
export function requestLogLevel(statusCode: number, error?: unknown): 'error' | 'warn' | 'info' | 'debug' {
  if (error || statusCode >= 500) return 'error';
  if (statusCode >= 400) return 'warn';
  return statusCode === 304 ? 'debug' : 'info';
}

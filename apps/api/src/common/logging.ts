import { destination as pinoDestination, type DestinationStream } from 'pino';
import type { Params } from 'nestjs-pino';
import type { Options } from 'pino-http';

import { ApiConfig } from '../config/api-config';

/**
 * Never logged: any password or token that ends up in a logged object. Requests are logged without
 * their headers and bodies (see `requestSummary`), so credentials in headers never reach a log line.
 */
export const LOG_REDACT_PATHS = ['password', '*.password', 'access_token', '*.access_token', 'passwordHash', '*.passwordHash'];

/**
 * Standard output for the logs, written asynchronously: a line is handed to the kernel by libuv while
 * the next request runs, instead of a blocking `write` per request line on the event loop; lines that
 * arrive while a write is in flight go out together in the next one. Not batched by size or time: a
 * quiet server's lines appear at once, and a killed process loses at most the write in flight. pino
 * flushes what is still pending when the process exits.
 */
export function asyncStdout(): DestinationStream {
  return pinoDestination({ dest: 1, sync: false });
}

/**
 * Structured JSON logs (pino), one line per request; silent in tests unless `LOG_LEVEL` says otherwise.
 * `destination` (default: standard output, asynchronously) lets a test read what would be logged.
 */
export function loggerParams(config: ApiConfig, destination?: DestinationStream): Params {
  const options: Options = {
    level: config.logLevel,
    ...(destination || config.logLevel === 'silent' ? {} : { stream: asyncStdout() }),
    redact: { paths: LOG_REDACT_PATHS, censor: '[redacted]' },
    serializers: { req: requestSummary, res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }) },
    // Health probes every few seconds would drown the useful lines.
    autoLogging: { ignore: (req) => req.url === '/api/health' },
    customLogLevel: (_req, res, error) => requestLogLevel(res.statusCode, error),
  };
  return { pinoHttp: destination ? [options, destination] : options };
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

/**
 * What a request's log line says about it. Not the headers: the bearer token and cookies would have to be
 * redacted on every line, which cost more CPU than anything else in the line (pino's redaction clones
 * the object), and the rest of them is noise for a chat API.
 */
export function requestSummary(req: {
  id?: unknown;
  method?: string;
  url?: string;
  remoteAddress?: string;
  headers?: Record<string, unknown>;
}): Record<string, unknown> {
  return { id: req.id, method: req.method, url: redactRequestUrl(req.url), remoteAddress: req.remoteAddress, userAgent: req.headers?.['user-agent'] };
}

/**
 * Routes whose query strings may name people (the inbox and user searches) or carry the SSE ticket.
 * Case-insensitive, as Express' routing is: `/API/Support/Chat/...` reaches the same handlers.
 */
const ROUTES_WITH_PRIVATE_QUERIES = /^\/api\/(support\/chat|users)(\/|\?|$)/i;

/**
 * A request URL fit for a log line: on chat and user-directory routes every query value is replaced by
 * `[redacted]` (the parameter names stay, for debugging), and a `ticket` value is redacted on any route.
 */
export function redactRequestUrl(url: string | undefined): string | undefined {
  if (!url) return url;
  const start = url.indexOf('?');
  if (start === -1) return url;
  const path = url.slice(0, start);
  const everything = ROUTES_WITH_PRIVATE_QUERIES.test(url);
  const query = url
    .slice(start + 1)
    .split('&')
    .map((pair) => {
      const name = pair.split('=', 1)[0];
      return everything || /^ticket$/i.test(decodeName(name)) ? `${name}=[redacted]` : pair;
    })
    .join('&');
  return `${path}?${query}`;
}

function decodeName(name: string): string {
  try {
    return decodeURIComponent(name.replace(/\+/g, ' '));
  } catch {
    return name;
  }
}

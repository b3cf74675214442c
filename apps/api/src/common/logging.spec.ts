import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Options } from 'pino-http';

import type { ApiConfig } from '../config/api-config';
import { loggerParams, redactRequestUrl, requestLogLevel, requestSummary } from './logging';

describe('request logging', () => {
  it('puts failures first and polling noise last', () => {
    expect(requestLogLevel(200)).toBe('info');
    expect(requestLogLevel(201)).toBe('info');
    expect(requestLogLevel(304)).toBe('debug');
    expect(requestLogLevel(401)).toBe('warn');
    expect(requestLogLevel(429)).toBe('warn');
    expect(requestLogLevel(503)).toBe('error');
    expect(requestLogLevel(200, new Error('stream broke'))).toBe('error');
  });

  it('is what the HTTP logger uses', () => {
    const options = loggerParams({ logLevel: 'info' } as ApiConfig).pinoHttp as Options;
    const levelOf = (statusCode: number) => options.customLogLevel!({} as IncomingMessage, { statusCode } as ServerResponse);
    expect([levelOf(200), levelOf(304), levelOf(404)]).toEqual(['info', 'debug', 'warn']);
  });

  it('logs a request without its headers (no token or cookie to redact), with what identifies it', () => {
    const summary = requestSummary({
      id: 7,
      method: 'POST',
      url: '/api/support/chat/conversations',
      remoteAddress: '10.0.0.5',
      headers: { authorization: 'Bearer secret.token.value', cookie: 'session=abc', 'user-agent': 'Mozilla/5.0' },
    });
    expect(summary).toEqual({ id: 7, method: 'POST', url: '/api/support/chat/conversations', remoteAddress: '10.0.0.5', userAgent: 'Mozilla/5.0' });
    const options = loggerParams({ logLevel: 'info' } as ApiConfig).pinoHttp as Options;
    expect(options.serializers?.req).toBe(requestSummary);
  });

  it('writes to standard output asynchronously (no blocking write per request), unless a destination is given or it is silent', () => {
    const options = loggerParams({ logLevel: 'info' } as ApiConfig).pinoHttp as Options;
    const stream = options.stream as unknown as { fd: number; sync: boolean };
    expect(stream.fd).toBe(1);
    expect(stream.sync).toBe(false);
    const given = { write: () => undefined };
    const [withDestination, destination] = loggerParams({ logLevel: 'info' } as ApiConfig, given).pinoHttp as [Options, unknown];
    expect(withDestination.stream).toBeUndefined();
    expect(destination).toBe(given);
    expect((loggerParams({ logLevel: 'silent' } as ApiConfig).pinoHttp as Options).stream).toBeUndefined();
  });

  it('redacts query values of chat and user routes, and a ticket anywhere', () => {
    expect(redactRequestUrl('/api/support/chat/conversations?search=Ana&page=2')).toBe('/api/support/chat/conversations?search=[redacted]&page=[redacted]');
    expect(redactRequestUrl('/api/support/chat?x=1')).toBe('/api/support/chat?x=[redacted]');
    expect(redactRequestUrl('/api/users?search=L%C3%B3pez')).toBe('/api/users?search=[redacted]');
    expect(redactRequestUrl('/api/other?Ticket=abc&page=2')).toBe('/api/other?Ticket=[redacted]&page=2');
    expect(redactRequestUrl('/api/other?%74icket=abc')).toBe('/api/other?%74icket=[redacted]');
    expect(redactRequestUrl('/API/Support/Chat/conversations?search=Ana')).toBe('/API/Support/Chat/conversations?search=[redacted]');
    expect(redactRequestUrl('/api/USERS?search=Ana')).toBe('/api/USERS?search=[redacted]');
    expect(redactRequestUrl('/api/support/chatter?q=1')).toBe('/api/support/chatter?q=1');
    expect(redactRequestUrl('/api/support/chat/conversations')).toBe('/api/support/chat/conversations');
  });
});

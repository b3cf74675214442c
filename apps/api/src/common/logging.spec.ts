import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Options } from 'pino-http';

import type { ApiConfig } from '../config/api-config';
import { loggerParams, requestLogLevel } from './logging';

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
});

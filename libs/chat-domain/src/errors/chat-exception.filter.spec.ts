import { BadRequestException, HttpException, HttpStatus, Logger, NotFoundException } from '@nestjs/common';
import { QueryFailedError } from 'typeorm';

import { ChatError, ChatErrorCode } from './chat-error';
import { ChatExceptionFilter } from './chat-exception.filter';

describe('ChatExceptionFilter', () => {
  const filter = new ChatExceptionFilter();
  beforeAll(() => Logger.overrideLogger(false));
  afterAll(() => Logger.overrideLogger(['log', 'error', 'warn']));

  it('keeps domain errors as they are', () => {
    const error = new ChatError(ChatErrorCode.ConversationClosed, 'Cerrada.', HttpStatus.CONFLICT);
    expect(filter.toResponse(error)).toEqual({ status: 409, body: { error: 'Cerrada.', code: 'conversation_closed' }, headers: {} });
  });

  it('gives framework errors a Spanish text and a code', () => {
    expect(filter.toResponse(new NotFoundException()).body).toEqual({ error: 'El recurso solicitado no existe.', code: 'not_found' });
    expect(filter.toResponse(new BadRequestException('Unexpected token')).body.code).toBe('validation_failed');
    expect(filter.toResponse(new HttpException('x', 418))).toMatchObject({ status: 418, body: { code: 'http_418' } });
  });

  it("maps Express' body parser errors", () => {
    expect(filter.toResponse(Object.assign(new Error('too large'), { type: 'entity.too.large', status: 413 }))).toMatchObject({
      status: 413,
      body: { code: 'payload_too_large' },
    });
    expect(filter.toResponse(Object.assign(new Error('bad json'), { type: 'entity.parse.failed', status: 400 }))).toMatchObject({
      status: 400,
      body: { code: 'invalid_json' },
    });
    // zlib's error as body-parser passes it on: status 400, no `type`.
    expect(filter.toResponse(Object.assign(new Error('incorrect header check'), { errno: -3, code: 'Z_DATA_ERROR', status: 400 }))).toMatchObject({
      status: 400,
      body: { code: 'invalid_content_encoding' },
    });
    expect(filter.toResponse(Object.assign(new Error('gzip?'), { type: 'encoding.unsupported', status: 415 }))).toMatchObject({
      status: 415,
      body: { code: 'unsupported_content_encoding', error: expect.stringContaining('Content-Encoding') },
    });
    expect(filter.toResponse(Object.assign(new Error('latin1?'), { type: 'charset.unsupported', status: 415 }))).toMatchObject({
      status: 415,
      body: { code: 'unsupported_charset', error: expect.stringContaining('UTF-8') },
    });
  });

  it('turns an unreachable or locked database into a 503 with Retry-After', () => {
    const locked = new QueryFailedError('INSERT', [], Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' }));
    expect(filter.toResponse(locked)).toMatchObject({ status: 503, body: { code: 'service_unavailable' }, headers: { 'Retry-After': '5' } });
    expect(filter.toResponse(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })).status).toBe(503);
  });

  it('hides the details of anything unexpected behind a 500', () => {
    const response = filter.toResponse(new TypeError("Cannot read properties of undefined (reading 'id')"));
    expect(response).toEqual({ status: 500, body: { error: 'Ocurrió un error inesperado. Inténtalo de nuevo.', code: 'internal_error' }, headers: {} });
  });
});

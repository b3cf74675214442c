import { ArgumentsHost, Catch, ExceptionFilter } from '@nestjs/common';

import { ChatExceptionFilter } from './chat-exception.filter';

/**
 * The Socket.IO counterpart of `ChatExceptionFilter`: a failed socket action is answered through its
 * acknowledgement with `{ ok: false, error, code, details? }` (Spanish text, stable code), the same body
 * REST would send. Unexpected errors are logged there and answered `internal_error`.
 */
@Catch()
export class ChatWsExceptionFilter implements ExceptionFilter {
  private readonly http = new ChatExceptionFilter();

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'ws') throw exception;
    // Nest calls socket handlers with (client, data, ack, pattern).
    const ack: unknown = host.getArgByIndex(2);
    const { body } = this.http.toResponse(exception);
    if (typeof ack === 'function') (ack as (reply: object) => void)({ ok: false, ...body });
  }
}

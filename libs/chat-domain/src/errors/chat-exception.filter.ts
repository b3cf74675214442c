import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';

import { ChatError, ChatErrorBody, ChatErrorCode } from './chat-error';
import { isDatabaseUnavailableError } from './database-errors';
import { sendErrorAnswer } from '../http/http-response';

/** Spanish text and code for HTTP errors raised by the framework rather than by the domain. */
const HTTP_STATUS_ERRORS: Partial<Record<number, ChatErrorBody>> = {
  [HttpStatus.BAD_REQUEST]: { error: 'La solicitud no es válida.', code: ChatErrorCode.ValidationFailed },
  [HttpStatus.UNAUTHORIZED]: { error: 'Sesión no válida o expirada. Inicia sesión de nuevo.', code: ChatErrorCode.Unauthenticated },
  [HttpStatus.FORBIDDEN]: { error: 'No tienes permiso para esta acción.', code: ChatErrorCode.Forbidden },
  [HttpStatus.NOT_FOUND]: { error: 'El recurso solicitado no existe.', code: ChatErrorCode.NotFound },
  [HttpStatus.PAYLOAD_TOO_LARGE]: { error: 'El cuerpo de la solicitud es demasiado grande.', code: ChatErrorCode.PayloadTooLarge },
  [HttpStatus.TOO_MANY_REQUESTS]: { error: 'Demasiadas solicitudes. Espera un momento e inténtalo de nuevo.', code: ChatErrorCode.RateLimited },
  [HttpStatus.SERVICE_UNAVAILABLE]: {
    error: 'El servicio no está disponible por el momento. Inténtalo de nuevo en unos segundos.',
    code: ChatErrorCode.ServiceUnavailable,
  },
};

/** Errors thrown by Express' body parser before any controller runs. */
interface BodyParserError {
  type: string;
  status: number;
}

function isBodyParserError(error: unknown): error is BodyParserError {
  return typeof error === 'object' && error !== null && 'type' in error && 'status' in error && typeof (error as BodyParserError).type === 'string';
}

/**
 * A body whose `Content-Encoding` (gzip, deflate, br) does not match its bytes: the decompression
 * stream's (zlib) error, which body-parser passes on with status 400 but, unlike its own errors, no `type`.
 */
function isDecompressionError(error: unknown): boolean {
  if (!(error instanceof Error) || 'type' in error) return false;
  const { status, errno } = error as { status?: unknown; errno?: unknown };
  return status === 400 && typeof errno === 'number';
}

/**
 * Turns every error into the one documented body `{ error, code, details? }`. Domain errors keep their
 * code; framework errors get a generic Spanish text; anything unexpected is logged and becomes a 500
 * that reveals nothing internal.
 */
@Catch()
export class ChatExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('ChatExceptionFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw exception;
    const { status, body, headers } = this.toResponse(exception);
    sendErrorAnswer(host.switchToHttp().getResponse<object>(), status, body, headers);
  }

  toResponse(exception: unknown): { status: number; body: ChatErrorBody; headers: Record<string, string> } {
    if (exception instanceof ChatError) {
      return { status: exception.status, body: exception.toBody(), headers: { ...exception.headers } };
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const response = exception.getResponse();
      if (typeof response === 'object' && response !== null && 'code' in response && 'error' in response) {
        return { status, body: response as ChatErrorBody, headers: {} };
      }
      const known = HTTP_STATUS_ERRORS[status];
      const headers: Record<string, string> = {};
      if (status === Number(HttpStatus.TOO_MANY_REQUESTS) && typeof response === 'object' && response !== null && 'retryAfter' in response) {
        headers['Retry-After'] = String(response.retryAfter);
      }
      if (known) return { status, body: known, headers };
      return { status, body: { error: 'La solicitud no se pudo completar.', code: `http_${status}` }, headers };
    }
    if (isDecompressionError(exception)) {
      return {
        status: HttpStatus.BAD_REQUEST,
        body: { error: 'El cuerpo de la solicitud no coincide con su Content-Encoding (no se pudo descomprimir).', code: ChatErrorCode.InvalidContentEncoding },
        headers: {},
      };
    }
    if (isBodyParserError(exception)) {
      if (exception.type === 'entity.too.large') {
        return { status: HttpStatus.PAYLOAD_TOO_LARGE, body: HTTP_STATUS_ERRORS[HttpStatus.PAYLOAD_TOO_LARGE]!, headers: {} };
      }
      if (exception.type === 'entity.parse.failed') {
        return {
          status: HttpStatus.BAD_REQUEST,
          body: { error: 'El cuerpo de la solicitud no es JSON válido.', code: ChatErrorCode.InvalidJson },
          headers: {},
        };
      }
      // 415s: say what to change, rather than a bare "invalid request".
      if (exception.type === 'encoding.unsupported') {
        return {
          status: HttpStatus.UNSUPPORTED_MEDIA_TYPE,
          body: {
            error: 'El Content-Encoding del cuerpo no está admitido: envíalo sin comprimir o con gzip, deflate o br.',
            code: ChatErrorCode.UnsupportedContentEncoding,
          },
          headers: {},
        };
      }
      if (exception.type === 'charset.unsupported') {
        return {
          status: HttpStatus.UNSUPPORTED_MEDIA_TYPE,
          body: { error: 'La codificación de caracteres del cuerpo no está admitida: envía el JSON en UTF-8.', code: ChatErrorCode.UnsupportedCharset },
          headers: {},
        };
      }
      if (exception.status >= 400 && exception.status < 500) {
        return { status: exception.status, body: { error: 'La solicitud no es válida.', code: ChatErrorCode.ValidationFailed }, headers: {} };
      }
    }
    if (isDatabaseUnavailableError(exception)) {
      this.logger.warn(`Database unavailable: ${(exception as Error).message}`);
      return { status: HttpStatus.SERVICE_UNAVAILABLE, body: HTTP_STATUS_ERRORS[HttpStatus.SERVICE_UNAVAILABLE]!, headers: { 'Retry-After': '5' } };
    }
    this.logger.error(exception instanceof Error ? (exception.stack ?? exception.message) : String(exception));
    return {
      status: HttpStatus.INTERNAL_SERVER_ERROR,
      body: { error: 'Ocurrió un error inesperado. Inténtalo de nuevo.', code: ChatErrorCode.Internal },
      headers: {},
    };
  }
}

import { BadRequestException, ForbiddenException, HttpException, HttpStatus, NotFoundException, PayloadTooLargeException } from '@nestjs/common';
import { ChatError, type ChatErrorBody, ChatErrorCode } from '@support-chat/chat-domain';

const body = (code: string, error: string): ChatErrorBody => ({ error, code });

function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MB`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${bytes} bytes`;
}

/** The upload service's errors, in the API's `{ error, code }` body (codes shared with the chat where they mean the same). */
export const UploadErrors = {
  forbiddenRole: (): HttpException => new ForbiddenException(body('forbidden_role', 'Tu rol no puede adjuntar archivos al chat.')),
  fileRequired: (): HttpException => new BadRequestException(body('upload_file_required', 'Envía el archivo en el campo "file" (multipart/form-data).')),
  tooLarge: (maxBytes: number): HttpException =>
    new PayloadTooLargeException(body('attachment_too_large', `El archivo supera el máximo de ${formatBytes(maxBytes)}.`)),
  typeNotAllowed: (): HttpException =>
    new BadRequestException(body('attachment_mime_not_allowed', 'Ese tipo de archivo no está permitido. Usa imágenes, PDF, documentos de Office o texto.')),
  rateLimited: (retryAfterSeconds: number): ChatError =>
    new ChatError(
      ChatErrorCode.RateLimited,
      `Has subido demasiados archivos en poco tiempo. Espera ${retryAfterSeconds} s e inténtalo de nuevo.`,
      HttpStatus.TOO_MANY_REQUESTS,
      undefined,
      { 'Retry-After': String(retryAfterSeconds) },
    ),
  notFound: (): HttpException => new NotFoundException(body('upload_not_found', 'El archivo no existe.')),
} as const;

import { ForbiddenException, HttpException, UnauthorizedException } from '@nestjs/common';
import { ChatErrorBody, ChatErrors } from '@support-chat/chat-domain';

/**
 * The host's own errors, in the same `{ error, code }` body as the chat module's. `ChatExceptionFilter`
 * passes an `HttpException` whose response already has `error` and `code` through unchanged.
 */
const body = (code: string, error: string): ChatErrorBody => ({ error, code });

export const HostErrors = {
  invalidCredentials: (): HttpException => new UnauthorizedException(body('invalid_credentials', 'Usuario o contraseña incorrectos.')),
  unauthenticated: (): HttpException => new UnauthorizedException(ChatErrors.unauthenticated().toBody()),
  userInactive: (): HttpException => new UnauthorizedException(ChatErrors.userInactive().toBody()),
  staffOnly: (): HttpException => new ForbiddenException(body('forbidden_role', 'Solo el personal de soporte puede consultar el directorio de usuarios.')),
} as const;

import { applyDecorators, createParamDecorator, ExecutionContext, SetMetadata, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiForbiddenResponse, ApiUnauthorizedResponse, ErrorResponseDto } from '@support-chat/chat-domain';

import { UserEntity } from '../users/user.entity';
import { CURRENT_USER_REQUEST_KEY, CurrentUserGuard, RequestWithCurrentUser, STAFF_ONLY } from './current-user.guard';
import { JwtAuthGuard } from './jwt-auth.guard';

/**
 * A host endpoint that needs a signed-in, active user (optionally staff): the token check, the user
 * check and the OpenAPI security and error responses in one decorator, in the order they must run.
 */
export function Authenticated(options: { staffOnly?: boolean } = {}): MethodDecorator & ClassDecorator {
  const decorators = [
    SetMetadata(STAFF_ONLY, options.staffOnly ?? false),
    UseGuards(JwtAuthGuard, CurrentUserGuard),
    ApiBearerAuth(),
    ApiUnauthorizedResponse({ description: 'Token ausente, inválido o expirado, o usuario inactivo.', type: ErrorResponseDto }),
  ];
  if (options.staffOnly) {
    decorators.push(ApiForbiddenResponse({ description: 'Solo para soporte, admin o developer.', type: ErrorResponseDto }));
  }
  return applyDecorators(...decorators);
}

/** The signed-in user loaded by `@Authenticated()`. Fails loudly if that decorator is missing. */
export const CurrentUser = createParamDecorator((_data: unknown, context: ExecutionContext): UserEntity => {
  const user = context.switchToHttp().getRequest<RequestWithCurrentUser>()[CURRENT_USER_REQUEST_KEY];
  if (!user) throw new Error('CurrentUser used on a route without @Authenticated()');
  return user;
});

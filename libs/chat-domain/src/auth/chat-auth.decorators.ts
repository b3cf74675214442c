import { applyDecorators, createParamDecorator, ExecutionContext, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiForbiddenResponse, ApiUnauthorizedResponse } from '../openapi/api-docs';

import { ErrorResponseDto } from '../errors/error-response.dto';
import { ChatActor } from './chat-actor';
import { CHAT_ACTOR_REQUEST_KEY, ChatAccessGuard, credentialExpiry, RequestWithActor } from './chat-access.guard';

/**
 * Marks an endpoint as chat-only: the host's token check, the chat role check and the matching
 * OpenAPI security and error responses, in one decorator so that they cannot drift apart.
 */
export function ChatAuth(): MethodDecorator & ClassDecorator {
  return applyDecorators(
    UseGuards(ChatAccessGuard),
    ApiBearerAuth(),
    ApiUnauthorizedResponse({ description: 'Token ausente, inválido o expirado, o usuario inactivo.', type: ErrorResponseDto }),
    ApiForbiddenResponse({ description: 'El rol del usuario no tiene acceso al chat.', type: ErrorResponseDto }),
  );
}

/** The caller as resolved by `ChatAccessGuard`. Fails loudly if the guard did not run. */
export const CurrentChatActor = createParamDecorator((_data: unknown, context: ExecutionContext): ChatActor => {
  const actor = context.switchToHttp().getRequest<RequestWithActor>()[CHAT_ACTOR_REQUEST_KEY];
  if (!actor) throw new Error('CurrentChatActor used on a route without @ChatAuth()');
  return actor;
});

/** When the caller's credential expires (ms since the epoch, from the host guard's `exp`), or null. */
export const CredentialExpiry = createParamDecorator((_data: unknown, context: ExecutionContext): number | null =>
  credentialExpiry(context.switchToHttp().getRequest<RequestWithActor>().user),
);

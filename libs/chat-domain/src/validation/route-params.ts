import { HttpStatus, Param, ParseUUIDPipe } from '@nestjs/common';

import { ChatError, ChatErrorCode } from '../errors/chat-error';

/**
 * A UUID route parameter. Anything else cannot name the resource, so it is the resource's 404 (with its
 * Spanish message and code), not a validation error.
 */
export function UuidParam(name: string, notFound: ChatErrorCode, message: string): ParameterDecorator {
  return Param(name, new ParseUUIDPipe({ exceptionFactory: () => new ChatError(notFound, message, HttpStatus.NOT_FOUND) }));
}

/** `:conversationId`, the parameter of most chat routes. */
export function ConversationIdParam(): ParameterDecorator {
  return UuidParam('conversationId', ChatErrorCode.ConversationNotFound, 'La conversación no existe.');
}

import { applyDecorators, CanActivate, ExecutionContext, HttpStatus, Inject, Injectable, SetMetadata, UseGuards } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiTooManyRequestsResponse } from '@nestjs/swagger';
import type { ThrottlerStorage } from '@nestjs/throttler';

import { CHAT_ACTOR_REQUEST_KEY, RequestWithActor } from '../auth/chat-access.guard';
import { ChatError, ChatErrorCode } from '../errors/chat-error';
import { ErrorResponseDto } from '../errors/error-response.dto';
import { SUPPORT_CHAT_LIMITS_CONFIG, type SupportChatLimitsConfig } from './abuse-limits.config';

export const SUPPORT_CHAT_RATE_LIMIT_STORAGE = Symbol('SUPPORT_CHAT_RATE_LIMIT_STORAGE');
const RATE_LIMIT_KEY = 'supportChatRateLimit';

export type ChatRateLimitName = 'messages' | 'conversations';

const LIMITS: Record<ChatRateLimitName, { windowMs: number; limit: (config: SupportChatLimitsConfig) => number; message: (seconds: number) => string }> = {
  messages: {
    windowMs: 60_000,
    limit: (config) => config.messagesPerMinute,
    message: (seconds) => `Estás enviando mensajes demasiado rápido. Espera ${seconds} s e inténtalo de nuevo.`,
  },
  conversations: {
    windowMs: 60 * 60_000,
    limit: (config) => config.conversationsPerHour,
    message: (seconds) => `Has abierto demasiadas conversaciones en poco tiempo. Inténtalo de nuevo en ${Math.ceil(seconds / 60)} min.`,
  },
};

/**
 * Per-user rate limit on a chat endpoint. Runs after `@ChatAuth()` (class guards run first), so the
 * counter is keyed by the signed-in user, not by IP. Over the limit: 429 `rate_limited` with `Retry-After`.
 */
export function ChatRateLimit(name: ChatRateLimitName): MethodDecorator {
  return applyDecorators(
    SetMetadata(RATE_LIMIT_KEY, name),
    UseGuards(ChatRateLimitGuard),
    ApiTooManyRequestsResponse({ description: 'Límite de uso por usuario superado (`rate_limited`); ver `Retry-After`.', type: ErrorResponseDto }),
  );
}

@Injectable()
export class ChatRateLimitGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(SUPPORT_CHAT_LIMITS_CONFIG) private readonly config: SupportChatLimitsConfig,
    @Inject(SUPPORT_CHAT_RATE_LIMIT_STORAGE) private readonly storage: ThrottlerStorage,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const name = this.reflector.get<ChatRateLimitName | undefined>(RATE_LIMIT_KEY, context.getHandler());
    if (!name) return true;
    const rule = LIMITS[name];
    const limit = rule.limit(this.config);
    if (limit <= 0) return true;
    const actor = context.switchToHttp().getRequest<RequestWithActor>()[CHAT_ACTOR_REQUEST_KEY];
    if (!actor) throw new Error('ChatRateLimit used on a route without @ChatAuth()');
    const record = await this.storage.increment(actor.id, rule.windowMs, limit, 0, `chat-${name}`);
    if (!record.isBlocked) return true;
    const retryAfter = Math.max(1, record.timeToBlockExpire);
    throw new ChatError(ChatErrorCode.RateLimited, rule.message(retryAfter), HttpStatus.TOO_MANY_REQUESTS, undefined, { 'Retry-After': String(retryAfter) });
  }
}

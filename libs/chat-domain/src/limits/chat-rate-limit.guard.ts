import { applyDecorators, CanActivate, ExecutionContext, HttpStatus, Inject, Injectable, SetMetadata, UseGuards } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiTooManyRequestsResponse } from '../openapi/api-docs';
import type { ThrottlerStorage } from '@nestjs/throttler';

import { CHAT_ACTOR_REQUEST_KEY, RequestWithActor } from '../auth/chat-access.guard';
import { ChatError, ChatErrorCode } from '../errors/chat-error';
import { ErrorResponseDto } from '../errors/error-response.dto';
import { SUPPORT_CHAT_LIMITS_CONFIG, type SupportChatLimitsConfig } from './abuse-limits.config';

export const SUPPORT_CHAT_RATE_LIMIT_STORAGE = Symbol('SUPPORT_CHAT_RATE_LIMIT_STORAGE');
const RATE_LIMIT_KEY = 'supportChatRateLimit';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export type ChatRateLimitName =
  'messages' | 'conversations' | 'tickets' | 'status' | 'typing' | 'presence' | 'quickRepliesAndLabels' | 'transcripts' | 'preferences' | 'search';

interface RateLimitRule {
  windowMs: number;
  limit: (config: SupportChatLimitsConfig) => number;
  message: (seconds: number) => string;
  /** The counter's scope: the user, or the user in one conversation (route parameter `conversationId`). */
  perConversation?: boolean;
}

const LIMITS: Record<ChatRateLimitName, RateLimitRule> = {
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
  tickets: {
    windowMs: 60_000,
    limit: (config) => config.ticketsPerMinute,
    message: (seconds) => `Demasiadas conexiones al chat en poco tiempo. Espera ${seconds} s e inténtalo de nuevo.`,
  },
  status: {
    windowMs: 60_000,
    limit: (config) => config.statusChangesPerMinute,
    message: (seconds) => `Cambiaste el estado de esta conversación demasiadas veces. Espera ${seconds} s e inténtalo de nuevo.`,
    perConversation: true,
  },
  typing: {
    windowMs: 60_000,
    limit: (config) => config.typingEventsPerMinute,
    message: (seconds) => `Demasiados avisos de escritura. Espera ${seconds} s.`,
    perConversation: true,
  },
  presence: {
    windowMs: 60_000,
    limit: (config) => config.presenceEventsPerMinute,
    message: (seconds) => `Demasiadas consultas de presencia. Espera ${seconds} s.`,
    perConversation: true,
  },
  quickRepliesAndLabels: {
    windowMs: 60_000,
    limit: (config) => config.quickRepliesAndLabelsPerMinute,
    message: (seconds) => `Demasiados cambios de respuestas rápidas o etiquetas. Espera ${seconds} s e inténtalo de nuevo.`,
  },
  transcripts: {
    windowMs: 60_000,
    limit: (config) => config.transcriptsPerMinute,
    message: (seconds) => `Descargaste demasiadas transcripciones en poco tiempo. Espera ${seconds} s e inténtalo de nuevo.`,
  },
  preferences: {
    windowMs: 60_000,
    limit: (config) => config.preferenceChangesPerMinute,
    message: (seconds) => `Cambiaste tus preferencias demasiadas veces. Espera ${seconds} s e inténtalo de nuevo.`,
  },
  search: {
    windowMs: 60_000,
    limit: (config) => config.searchesPerMinute,
    message: (seconds) => `Demasiadas búsquedas en poco tiempo. Espera ${seconds} s e inténtalo de nuevo.`,
  },
};

/**
 * The chat's per-user (or per user and conversation) rate limits, over the shared counter store (Redis
 * when configured, so the limits hold across instances). Used by `ChatRateLimitGuard` for REST routes and
 * by the Socket.IO gateway for typing and presence.
 */
@Injectable()
export class ChatRateLimiter {
  constructor(
    @Inject(SUPPORT_CHAT_LIMITS_CONFIG) private readonly config: SupportChatLimitsConfig,
    @Inject(SUPPORT_CHAT_RATE_LIMIT_STORAGE) private readonly storage: ThrottlerStorage,
  ) {}

  /** Counts one hit; over the limit throws 429 `rate_limited` with `Retry-After`. */
  async hit(name: ChatRateLimitName, userId: string, conversationId?: string): Promise<void> {
    const rule = LIMITS[name];
    const limit = rule.limit(this.config);
    if (limit <= 0) return;
    if (rule.perConversation && !conversationId) throw new Error(`Rate limit "${name}" needs a conversation id`);
    const key = rule.perConversation ? `${userId}:${conversationId}` : userId;
    const record = await this.storage.increment(key, rule.windowMs, limit, 0, `chat-${name}`);
    if (!record.isBlocked) return;
    const retryAfter = Math.max(1, record.timeToBlockExpire);
    throw new ChatError(ChatErrorCode.RateLimited, rule.message(retryAfter), HttpStatus.TOO_MANY_REQUESTS, undefined, { 'Retry-After': String(retryAfter) });
  }
}

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
    private readonly limiter: ChatRateLimiter,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const name = this.reflector.get<ChatRateLimitName | undefined>(RATE_LIMIT_KEY, context.getHandler());
    if (!name) return true;
    const request = context.switchToHttp().getRequest<RequestWithActor & { params?: Record<string, string | undefined> }>();
    const actor = request[CHAT_ACTOR_REQUEST_KEY];
    if (!actor) throw new Error('ChatRateLimit used on a route without @ChatAuth()');
    // Per-conversation limits on a malformed id: let the route answer its own 400/404 (nothing is changed).
    const conversationId = request.params?.conversationId?.toLowerCase();
    if (LIMITS[name].perConversation && !(conversationId && UUID.test(conversationId))) return true;
    await this.limiter.hit(name, actor.id, conversationId);
    return true;
  }
}

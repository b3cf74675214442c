import { Provider } from '@nestjs/common';
import { ThrottlerStorageService } from '@nestjs/throttler';

import { SUPPORT_CHAT_REALTIME_CONFIG, SupportChatRealtimeConfig } from '../realtime/realtime.config';
import { loadSupportChatLimits, SUPPORT_CHAT_LIMITS_CONFIG, SupportChatLimitsOptions } from './abuse-limits.config';
import { ChatRateLimiter, ChatRateLimitGuard, SUPPORT_CHAT_RATE_LIMIT_STORAGE } from './chat-rate-limit.guard';
import { RedisThrottlerStorage } from './redis-throttler-storage';

type LimitsModuleOptions = { limits?: SupportChatLimitsOptions; env?: Record<string, string | undefined> };

/** Limits configuration, the counter store (Redis when the realtime layer has one) and the guard. */
export function limitsProviders(optionsToken: symbol): Provider[] {
  return [
    {
      provide: SUPPORT_CHAT_LIMITS_CONFIG,
      inject: [optionsToken],
      useFactory: (options: LimitsModuleOptions) => {
        const { storage: _storage, ...overrides } = options.limits ?? {};
        return loadSupportChatLimits(options.env ?? process.env, overrides);
      },
    },
    {
      provide: SUPPORT_CHAT_RATE_LIMIT_STORAGE,
      inject: [optionsToken, SUPPORT_CHAT_REALTIME_CONFIG],
      useFactory: (options: LimitsModuleOptions, realtime: SupportChatRealtimeConfig) =>
        options.limits?.storage ??
        (realtime.redisUrl ? new RedisThrottlerStorage(realtime.redisUrl, `${realtime.redisKeyPrefix}:rate`) : new ThrottlerStorageService()),
    },
    ChatRateLimiter,
    ChatRateLimitGuard,
  ];
}

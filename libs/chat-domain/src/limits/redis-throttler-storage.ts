import { Logger, OnApplicationShutdown } from '@nestjs/common';
import type { ThrottlerStorage } from '@nestjs/throttler';
import type { Redis } from 'ioredis';

import { createRedisClient, quitRedis } from '../realtime/redis-connection';

/** `ThrottlerStorage.increment()`'s result (declared here: the package exports it only as a type). */
export interface RateLimitRecord {
  totalHits: number;
  /** Seconds until the window resets. */
  timeToExpire: number;
  isBlocked: boolean;
  /** Seconds until the caller may try again (0 when not blocked). */
  timeToBlockExpire: number;
}

/**
 * One round trip, atomic: count the hit in a fixed window (INCR, PEXPIRE on the first hit), then decide.
 * KEYS[1] hits, KEYS[2] block marker; ARGV ttl ms, limit, block ms.
 * Over the limit with a block duration, a block marker is set once and outlives the window.
 */
const INCREMENT_SCRIPT = `
local hits = redis.call('INCR', KEYS[1])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
local blocked = redis.call('PTTL', KEYS[2])
if blocked > 0 then
  return {hits, ttl, 1, blocked}
end
if hits > tonumber(ARGV[2]) then
  local block = tonumber(ARGV[3])
  if block > 0 then
    redis.call('SET', KEYS[2], '1', 'PX', block)
    return {hits, ttl, 1, block}
  end
  return {hits, ttl, 1, ttl}
end
return {hits, ttl, 0, 0}
`;

type RedisWithIncrement = Redis & {
  supportChatThrottle(hitsKey: string, blockKey: string, ttlMs: number, limit: number, blockMs: number): Promise<[number, number, number, number]>;
};

/**
 * `ThrottlerStorage` over Redis (ioredis), so that rate limits hold across instances. Fixed windows:
 * at most `limit` hits per `ttl`; a burst straddling two windows can reach twice the limit, which is
 * acceptable for abuse brakes and costs one atomic script per request.
 *
 * Redis unavailable: the request is let through (a warning is logged once per outage). Limits are a
 * brake on abuse, not an access control; the chat keeps working when Redis does not.
 */
export class RedisThrottlerStorage implements ThrottlerStorage, OnApplicationShutdown {
  private readonly logger = new Logger('RateLimits');
  private readonly redis: RedisWithIncrement;
  private readonly ownsClient: boolean;
  private failing = false;

  /** @param redis a URL (a client is created and closed with the app) or an existing client. */
  constructor(
    redis: string | Redis,
    private readonly keyPrefix = 'support-chat:rate',
  ) {
    this.ownsClient = typeof redis === 'string';
    const client =
      typeof redis === 'string'
        ? // While Redis is down a hit fails within `commandTimeout` (and is let through) instead of waiting.
          createRedisClient(redis, 'rate-limits', this.logger, { commandTimeout: 500, maxRetriesPerRequest: 1 })
        : redis;
    client.defineCommand('supportChatThrottle', { numberOfKeys: 2, lua: INCREMENT_SCRIPT });
    this.redis = client as RedisWithIncrement;
  }

  async increment(key: string, ttl: number, limit: number, blockDuration: number, throttlerName: string): Promise<RateLimitRecord> {
    const base = `${this.keyPrefix}:${throttlerName}:${key}`;
    try {
      const [totalHits, ttlMs, blocked, blockMs] = await this.redis.supportChatThrottle(
        `${base}:hits`,
        `${base}:block`,
        Math.max(1, Math.ceil(ttl)),
        limit,
        Math.max(0, Math.ceil(blockDuration)),
      );
      if (this.failing) {
        this.failing = false;
        this.logger.log('Rate limit store reachable again.');
      }
      return {
        totalHits,
        timeToExpire: Math.ceil(ttlMs / 1000),
        isBlocked: blocked === 1,
        timeToBlockExpire: blocked === 1 ? Math.max(1, Math.ceil(blockMs / 1000)) : 0,
      };
    } catch (error) {
      if (!this.failing) {
        this.failing = true;
        this.logger.warn(`Rate limit store unavailable (${(error as Error).message}); requests are not limited until it returns.`);
      }
      return { totalHits: 0, timeToExpire: Math.ceil(ttl / 1000), isBlocked: false, timeToBlockExpire: 0 };
    }
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.ownsClient) await quitRedis(this.redis);
  }
}

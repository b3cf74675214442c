import { Logger } from '@nestjs/common';
import type { Redis, RedisOptions } from 'ioredis';

/**
 * ioredis is loaded on the first client, not at import: a single instance without Redis never needs it,
 * and loading it is a noticeable part of start-up (~40 files).
 */
function ioredis(): typeof import('ioredis') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- deliberately lazy, see above
  return require('ioredis') as typeof import('ioredis');
}

/**
 * ioredis clients that never crash the process and log an outage once (not on every retry).
 * ioredis reconnects by itself, with back-off, forever; subscriptions are restored on reconnect.
 */
export function createRedisClient(url: string, name: string, logger: Logger, options: RedisOptions = {}): Redis {
  const { Redis: RedisClient } = ioredis();
  const client = new RedisClient(url, {
    connectionName: name,
    // Back-off capped at 2 s: delivery resumes quickly once Redis is back.
    retryStrategy: (attempt) => Math.min(attempt * 100, 2_000),
    ...options,
  });
  let down = false;
  client.on('error', (error: Error) => {
    if (down) return;
    down = true;
    logger.warn(`Redis (${name}) unavailable: ${error.message}. Realtime fan-out across instances is paused; retrying.`);
  });
  client.on('ready', () => {
    if (!down) return;
    down = false;
    logger.log(`Redis (${name}) reconnected.`);
  });
  return client;
}

export async function quitRedis(client: Redis | null | undefined): Promise<void> {
  if (!client) return;
  try {
    if (client.status === 'ready') await client.quit();
    else client.disconnect();
  } catch {
    client.disconnect();
  }
}

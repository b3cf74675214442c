import { Logger } from '@nestjs/common';
import type { Redis } from 'ioredis';

/**
 * When each user was last connected. Replaces per-request `last_seen` writes: it changes only when a
 * realtime connection opens or closes. Kept in memory, and in Redis (one hash) when several instances run.
 */
export class LastSeenStore {
  private readonly local = new Map<string, string>();
  private readonly logger = new Logger('LastSeenStore');
  private warned = false;

  constructor(
    private readonly redis: (() => Redis) | null,
    private readonly key: string,
  ) {}

  touch(userId: string, at: Date = new Date()): void {
    const iso = at.toISOString();
    this.local.set(userId, iso);
    this.redis?.()
      .hset(this.key, userId, iso)
      .catch((error: Error) => this.warn(error));
  }

  async get(userIds: string[]): Promise<Map<string, string | null>> {
    const result = new Map<string, string | null>(userIds.map((id) => [id, this.local.get(id) ?? null]));
    if (!this.redis || userIds.length === 0) return result;
    try {
      const values = await this.redis().hmget(this.key, ...userIds);
      userIds.forEach((id, index) => {
        const remote = values[index];
        const local = result.get(id);
        if (remote && (!local || remote > local)) result.set(id, remote);
      });
    } catch (error) {
      this.warn(error as Error);
    }
    return result;
  }

  private warn(error: Error): void {
    if (this.warned) return;
    this.warned = true;
    this.logger.warn(`Last-seen times are kept in this instance only while Redis is unavailable: ${error.message}`);
  }
}

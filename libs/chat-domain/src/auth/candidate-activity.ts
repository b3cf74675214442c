import { Logger } from '@nestjs/common';
import type { Redis } from 'ioredis';

/** Redis is written at most once per user per this interval (the local map always has the exact time). */
const REDIS_WRITE_EVERY_MS = 10_000;

/**
 * When each candidate last had a tab open: touched by every chat request they make (polling tabs
 * included, `ChatAccessGuard`) and, while they hold a live event stream, at each of its heartbeats
 * (`RealtimeHub`). The away e-mail (issue 17) treats a candidate touched within
 * `SUPPORT_CHAT_EMAIL_AWAY_ACTIVE_WINDOW` as having a tab open. Kept in memory, and in Redis (one hash)
 * when the realtime layer runs on Redis, so that every instance sees every tab.
 */
export class CandidateActivity {
  private readonly local = new Map<string, number>();
  private readonly written = new Map<string, number>();
  private readonly logger = new Logger('CandidateActivity');
  private warned = false;

  constructor(
    private readonly redis: (() => Redis) | null = null,
    private readonly key = 'support-chat:candidate-activity',
  ) {}

  touch(userId: string, at: number = Date.now()): void {
    this.local.set(userId, at);
    if (!this.redis) return;
    const last = this.written.get(userId);
    if (last !== undefined && at - last < REDIS_WRITE_EVERY_MS) return;
    this.written.set(userId, at);
    this.redis()
      .hset(this.key, userId, String(at))
      .catch((error: Error) => this.warn(error));
  }

  /** When the user was last active (ms since the epoch), on any instance; null if never. */
  async lastActive(userId: string): Promise<number | null> {
    let latest = this.local.get(userId) ?? null;
    if (!this.redis) return latest;
    try {
      const remote = await this.redis().hget(this.key, userId);
      // The remote time may lag the exact one by the write interval: widen it by that much.
      if (remote !== null) latest = Math.max(latest ?? 0, Number(remote) + REDIS_WRITE_EVERY_MS);
    } catch (error) {
      this.warn(error as Error);
    }
    return latest;
  }

  private warn(error: Error): void {
    if (this.warned) return;
    this.warned = true;
    this.logger.warn(`Candidate activity is kept in this instance only while Redis is unavailable: ${error.message}`);
  }
}

import type { ThrottlerStorage } from '@nestjs/throttler';

/**
 * Abuse limits of the chat (per user, across instances when Redis is configured). `0` disables a limit.
 * Read from `SUPPORT_CHAT_*` variables; `SupportChatModuleOptions.limits` overrides them.
 */
export interface SupportChatLimitsConfig {
  /** Messages one user may send per minute (`SUPPORT_CHAT_RATE_LIMIT_MESSAGES_PER_MINUTE`, default 30). */
  messagesPerMinute: number;
  /** Conversations one user may create per hour (`SUPPORT_CHAT_RATE_LIMIT_CONVERSATIONS_PER_HOUR`, default 10). */
  conversationsPerHour: number;
  /** Open conversations a candidate may have at once (`SUPPORT_CHAT_MAX_OPEN_CONVERSATIONS_PER_CANDIDATE`, default 5). */
  maxOpenConversationsPerCandidate: number;
  /** Realtime tickets (SSE and socket connections) one user may get per minute (`SUPPORT_CHAT_RATE_LIMIT_TICKETS_PER_MINUTE`, default 30). */
  ticketsPerMinute: number;
  /** Status changes per user and conversation per minute (`SUPPORT_CHAT_RATE_LIMIT_STATUS_CHANGES_PER_MINUTE`, default 10). */
  statusChangesPerMinute: number;
  /** Socket `typing` events per user and conversation per minute (`SUPPORT_CHAT_RATE_LIMIT_TYPING_PER_MINUTE`, default 60). */
  typingEventsPerMinute: number;
  /** Socket `join` and `presence` requests per user and conversation per minute (`SUPPORT_CHAT_RATE_LIMIT_PRESENCE_PER_MINUTE`, default 30). */
  presenceEventsPerMinute: number;
  /**
   * Changes to quick replies, labels and the labels of conversations per user and minute
   * (`SUPPORT_CHAT_RATE_LIMIT_QUICK_REPLIES_AND_LABELS_PER_MINUTE`, default 60).
   */
  quickRepliesAndLabelsPerMinute: number;
  /** Transcript downloads per user per minute (`SUPPORT_CHAT_RATE_LIMIT_TRANSCRIPTS_PER_MINUTE`, default 10). */
  transcriptsPerMinute: number;
  /** Preference changes per user per minute (`SUPPORT_CHAT_RATE_LIMIT_PREFERENCES_PER_MINUTE`, default 20). */
  preferenceChangesPerMinute: number;
  /** Message searches one user may run per minute (`SUPPORT_CHAT_RATE_LIMIT_SEARCHES_PER_MINUTE`, default 30). */
  searchesPerMinute: number;
}

export interface SupportChatLimitsOptions extends Partial<SupportChatLimitsConfig> {
  /**
   * Where the counters live. Default: Redis when the realtime layer has a Redis URL (`REDIS_URL`), so that
   * several instances share them; otherwise in process memory.
   */
  storage?: ThrottlerStorage;
}

export const DEFAULT_SUPPORT_CHAT_LIMITS: SupportChatLimitsConfig = {
  messagesPerMinute: 30,
  conversationsPerHour: 10,
  maxOpenConversationsPerCandidate: 5,
  ticketsPerMinute: 30,
  statusChangesPerMinute: 10,
  typingEventsPerMinute: 60,
  presenceEventsPerMinute: 30,
  quickRepliesAndLabelsPerMinute: 60,
  transcriptsPerMinute: 10,
  preferenceChangesPerMinute: 20,
  searchesPerMinute: 30,
};

/** Every limit off: for tests and benchmarks that are not about limits. */
export const SUPPORT_CHAT_LIMITS_DISABLED: SupportChatLimitsConfig = {
  messagesPerMinute: 0,
  conversationsPerHour: 0,
  maxOpenConversationsPerCandidate: 0,
  ticketsPerMinute: 0,
  statusChangesPerMinute: 0,
  typingEventsPerMinute: 0,
  presenceEventsPerMinute: 0,
  quickRepliesAndLabelsPerMinute: 0,
  transcriptsPerMinute: 0,
  preferenceChangesPerMinute: 0,
  searchesPerMinute: 0,
};

export class SupportChatLimitsConfigError extends Error {
  constructor(problems: string[]) {
    super(`Invalid support chat limits:\n  - ${problems.join('\n  - ')}`);
    this.name = 'SupportChatConfigError';
  }
}

export const SUPPORT_CHAT_LIMITS_CONFIG = Symbol('SUPPORT_CHAT_LIMITS_CONFIG');

const ENV_NAMES: Record<keyof SupportChatLimitsConfig, string> = {
  messagesPerMinute: 'SUPPORT_CHAT_RATE_LIMIT_MESSAGES_PER_MINUTE',
  conversationsPerHour: 'SUPPORT_CHAT_RATE_LIMIT_CONVERSATIONS_PER_HOUR',
  maxOpenConversationsPerCandidate: 'SUPPORT_CHAT_MAX_OPEN_CONVERSATIONS_PER_CANDIDATE',
  ticketsPerMinute: 'SUPPORT_CHAT_RATE_LIMIT_TICKETS_PER_MINUTE',
  statusChangesPerMinute: 'SUPPORT_CHAT_RATE_LIMIT_STATUS_CHANGES_PER_MINUTE',
  typingEventsPerMinute: 'SUPPORT_CHAT_RATE_LIMIT_TYPING_PER_MINUTE',
  presenceEventsPerMinute: 'SUPPORT_CHAT_RATE_LIMIT_PRESENCE_PER_MINUTE',
  quickRepliesAndLabelsPerMinute: 'SUPPORT_CHAT_RATE_LIMIT_QUICK_REPLIES_AND_LABELS_PER_MINUTE',
  transcriptsPerMinute: 'SUPPORT_CHAT_RATE_LIMIT_TRANSCRIPTS_PER_MINUTE',
  preferenceChangesPerMinute: 'SUPPORT_CHAT_RATE_LIMIT_PREFERENCES_PER_MINUTE',
  searchesPerMinute: 'SUPPORT_CHAT_RATE_LIMIT_SEARCHES_PER_MINUTE',
};

export function loadSupportChatLimits(
  env: Record<string, string | undefined> = process.env,
  overrides: Partial<SupportChatLimitsConfig> = {},
): SupportChatLimitsConfig {
  const problems: string[] = [];
  const config = { ...DEFAULT_SUPPORT_CHAT_LIMITS };
  for (const key of Object.keys(ENV_NAMES) as (keyof SupportChatLimitsConfig)[]) {
    const name = ENV_NAMES[key];
    const raw = env[name]?.trim();
    const value = overrides[key] ?? (raw ? Number(raw) : DEFAULT_SUPPORT_CHAT_LIMITS[key]);
    if (!Number.isInteger(value) || value < 0 || value > 1_000_000) {
      problems.push(`${name} must be an integer between 0 (no limit) and 1000000 (got "${overrides[key] ?? raw}")`);
    } else {
      config[key] = value;
    }
  }
  if (problems.length > 0) throw new SupportChatLimitsConfigError(problems);
  return Object.freeze(config);
}

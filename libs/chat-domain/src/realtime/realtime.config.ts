/** Options of the realtime layer (SSE, WebSocket, cross-instance broker), under `SupportChatModuleOptions.realtime`. */
export interface SupportChatRealtimeOptions {
  /**
   * `redis://` URL of a Redis used for pub/sub between instances, SSE tickets, the Socket.IO adapter and
   * last-seen times. Absent = single instance, everything in process. Defaults to `env.REDIS_URL`.
   */
  redisUrl?: string;
  /** Prefix of every Redis key and channel (default `support-chat`). */
  redisKeyPrefix?: string;
  /** Lifetime of an SSE / WebSocket ticket in seconds (default 30). */
  ticketTtlSeconds?: number;
  /** Interval of the SSE heartbeat comment in ms (default 25 000; Azure closes idle connections after 230 s). */
  heartbeatMs?: number;
  /** `retry:` hint sent to SSE clients in ms (default 3 000). */
  retryMs?: number;
  /** A typing indicator expires after this many ms without a refresh (default 5 000). */
  typingTimeoutMs?: number;
  /** Messages replayed per conversation on resume before falling back to a `resync` hint (default 500). */
  maxReplayPerConversation?: number;
  /** An SSE client whose unsent output exceeds this many bytes is disconnected (it resumes from the database). */
  maxBufferedBytes?: number;
  /**
   * Every open SSE stream and socket re-checks its user's access (active, chat role) through the user
   * directory this often, in seconds (`SUPPORT_CHAT_REALTIME_RECHECK_SECONDS`, default 30). Socket actions
   * re-check every time, and a connection also closes when the credential it was opened with expires.
   */
  accessRecheckSeconds?: number;
  /** Conversations a ticket's or handshake's `since` may name (`SUPPORT_CHAT_REALTIME_MAX_SINCE_ENTRIES`, default 200; 400 above). */
  maxSinceEntries?: number;
  /**
   * Open SSE streams per user on one instance (`SUPPORT_CHAT_REALTIME_MAX_STREAMS_PER_USER`, default 10). One
   * more is refused (429 `too_many_connections`); open ones are never closed for it. `0`: no limit.
   */
  maxStreamsPerUser?: number;
  /** Open Socket.IO connections per user on one instance (`SUPPORT_CHAT_REALTIME_MAX_SOCKETS_PER_USER`, default 10), as above. */
  maxSocketsPerUser?: number;
}

export interface SupportChatRealtimeConfig {
  redisUrl: string | null;
  redisKeyPrefix: string;
  ticketTtlSeconds: number;
  heartbeatMs: number;
  retryMs: number;
  typingTimeoutMs: number;
  maxReplayPerConversation: number;
  maxBufferedBytes: number;
  accessRecheckSeconds: number;
  maxSinceEntries: number;
  maxStreamsPerUser: number;
  maxSocketsPerUser: number;
}

export const SUPPORT_CHAT_REALTIME_CONFIG = Symbol('SUPPORT_CHAT_REALTIME_CONFIG');

/** Socket.IO path of the chat gateway (Socket.IO gateways do not get the host's global prefix). */
export const SUPPORT_CHAT_WS_PATH = '/api/support/chat/ws';

export function resolveRealtimeConfig(
  options: SupportChatRealtimeOptions = {},
  env: Record<string, string | undefined> = process.env,
): SupportChatRealtimeConfig {
  const positive = (name: string, value: number | undefined, fallback: number): number => {
    if (value === undefined) return fallback;
    if (!Number.isFinite(value) || value <= 0) throw new Error(`Invalid support chat realtime option ${name}: ${value}`);
    return value;
  };
  const count = (name: string, value: number | undefined, fallback: number): number => {
    if (value === undefined) return fallback;
    if (!Number.isInteger(value) || value < 0 || value > 1_000_000) throw new Error(`Invalid support chat realtime option ${name}: ${value}`);
    return value;
  };
  const fromEnv = (name: string): number | undefined => {
    const raw = env[name]?.trim();
    return raw ? Number(raw) : undefined;
  };
  const redisUrl = options.redisUrl ?? env.REDIS_URL ?? null;
  if (redisUrl !== null && !/^rediss?:\/\//.test(redisUrl)) throw new Error('REDIS_URL must start with redis:// or rediss://');
  return {
    redisUrl: redisUrl || null,
    redisKeyPrefix: options.redisKeyPrefix ?? 'support-chat',
    ticketTtlSeconds: positive('ticketTtlSeconds', options.ticketTtlSeconds, 30),
    heartbeatMs: positive('heartbeatMs', options.heartbeatMs, 25_000),
    retryMs: positive('retryMs', options.retryMs, 3_000),
    typingTimeoutMs: positive('typingTimeoutMs', options.typingTimeoutMs, 5_000),
    maxReplayPerConversation: positive('maxReplayPerConversation', options.maxReplayPerConversation, 500),
    maxBufferedBytes: positive('maxBufferedBytes', options.maxBufferedBytes, 1024 * 1024),
    accessRecheckSeconds: positive(
      'accessRecheckSeconds (SUPPORT_CHAT_REALTIME_RECHECK_SECONDS)',
      options.accessRecheckSeconds ?? fromEnv('SUPPORT_CHAT_REALTIME_RECHECK_SECONDS'),
      30,
    ),
    maxSinceEntries: Math.max(
      1,
      count('maxSinceEntries (SUPPORT_CHAT_REALTIME_MAX_SINCE_ENTRIES)', options.maxSinceEntries ?? fromEnv('SUPPORT_CHAT_REALTIME_MAX_SINCE_ENTRIES'), 200),
    ),
    maxStreamsPerUser: count(
      'maxStreamsPerUser (SUPPORT_CHAT_REALTIME_MAX_STREAMS_PER_USER)',
      options.maxStreamsPerUser ?? fromEnv('SUPPORT_CHAT_REALTIME_MAX_STREAMS_PER_USER'),
      10,
    ),
    maxSocketsPerUser: count(
      'maxSocketsPerUser (SUPPORT_CHAT_REALTIME_MAX_SOCKETS_PER_USER)',
      options.maxSocketsPerUser ?? fromEnv('SUPPORT_CHAT_REALTIME_MAX_SOCKETS_PER_USER'),
      10,
    ),
  };
}

/**
 * The realtime wire contract shared by the server and the web client. Type-only imports and plain
 * functions: the web client can import this file without pulling in NestJS.
 * See `README.md` in this folder for the protocol.
 */
import type { ChatEventMap, ChatEventName } from '../events/chat-events';

/** Stream-control events, sent by the server next to the `ChatEventMap` events. */
export interface RealtimeControlEventMap {
  /** Sent once per connection, after the replay: from here on the stream is live. */
  ready: { conversation_id: null; replayed: number; resync: boolean; heartbeat_ms: number; retry_ms: number };
  /**
   * Something may have been missed that cannot be replayed as messages (conversation, read or status
   * changes; a conversation with too many missed messages; the broker was unavailable). Refetch the
   * conversation list, and the history of `conversation_id` (all open ones when null) after the last known `seq`.
   */
  resync: { conversation_id: string | null; reason: ResyncReason };
  /**
   * The user lost access while connected (token expired, account deactivated, role outside the chat):
   * sent just before the server closes the stream or disconnects the socket. `code` is the REST error
   * code the same request would now get (`session_expired`, `unauthenticated`, `user_inactive`: 401;
   * `forbidden_role`: 403). Do not reconnect with the same session: re-authenticate.
   */
  access_revoked: { conversation_id: null; code: AccessRevokedCode; error: string };
}

export type AccessRevokedCode = 'session_expired' | 'unauthenticated' | 'user_inactive' | 'forbidden_role';

export type ResyncReason = 'resumed' | 'too_many_missed' | 'broker_recovered' | 'replay_failed';

export type RealtimeEventMap = ChatEventMap & RealtimeControlEventMap;
export type RealtimeEventName = keyof RealtimeEventMap;

export const CHAT_EVENT_NAMES = [
  'message.created',
  'conversation.created',
  'conversation.updated',
  'read.updated',
  'typing',
  'presence',
] as const satisfies readonly ChatEventName[];

export const REALTIME_EVENT_NAMES = [...CHAT_EVENT_NAMES, 'ready', 'resync', 'access_revoked'] as const satisfies readonly RealtimeEventName[];

/** `POST /api/support/chat/events/ticket` body: the highest `seq` the client holds per conversation. */
export interface RealtimeTicketRequest {
  since?: Record<string, number>;
}

export interface RealtimeTicketResponse {
  ticket: string;
  /** Seconds. */
  expires_in: number;
}

/** Socket.IO handshake `auth` payload. */
export interface WsHandshakeAuth {
  ticket: string;
  since?: Record<string, number>;
}

/** Client -> server Socket.IO events and the acknowledgement each returns. */
export interface WsClientEventMap {
  join: { request: { conversation_id: string }; reply: WsReply<{ conversation_id: string }> };
  leave: { request: { conversation_id: string }; reply: WsReply<{ conversation_id: string }> };
  typing: { request: { conversation_id: string; is_typing: boolean }; reply: WsReply<{ conversation_id: string }> };
  presence: { request: { conversation_id: string }; reply: WsReply<{ conversation_id: string; users: PresenceEntry[] }> };
}

export type WsClientEventName = keyof WsClientEventMap;
export type WsReply<T> = ({ ok: true } & T) | { ok: false; code: string; error: string; details?: { field: string; code: string; message: string }[] };

export interface PresenceEntry {
  user_id: string;
  full_name: string;
  role: 'candidate' | 'staff';
  online: boolean;
  last_seen_at: string | null;
}

/** SSE `id:` of an event: `<conversation_id>:<seq>`, `seq` being the conversation's last delivered message. */
export function formatRealtimeEventId(conversationId: string | null, seq: number): string {
  return `${conversationId ?? '-'}:${seq}`;
}

export function parseRealtimeEventId(id: string | null | undefined): { conversation_id: string; seq: number } | null {
  const match = /^([0-9a-fA-F-]{36}):(\d{1,12})$/.exec(id ?? '');
  return match ? { conversation_id: match[1].toLowerCase(), seq: Number(match[2]) } : null;
}

export type CursorVerdict = 'deliver' | 'duplicate' | { gap: { conversation_id: string; after_seq: number; before_seq: number } };

/**
 * Per-conversation message positions. The server keeps one per connection; the web client keeps one
 * per tab and sends `since()` when it asks for a ticket, so that a reconnect replays exactly what it missed.
 */
export class RealtimeCursor {
  private readonly positions = new Map<string, number>();

  constructor(since: Record<string, number> = {}) {
    for (const [conversationId, seq] of Object.entries(since)) this.advance(conversationId, seq);
  }

  /** Verdict on a `message.created` with this `seq`: new, already seen, or after a hole that must be fetched first. */
  check(conversationId: string, seq: number): CursorVerdict {
    const known = this.positions.get(conversationId);
    if (known === undefined) return 'deliver';
    if (seq <= known) return 'duplicate';
    if (seq > known + 1) return { gap: { conversation_id: conversationId, after_seq: known, before_seq: seq } };
    return 'deliver';
  }

  /** Moves the position forward (never backwards). */
  advance(conversationId: string, seq: number): void {
    if (seq > (this.positions.get(conversationId) ?? -1)) this.positions.set(conversationId, seq);
  }

  position(conversationId: string): number | undefined {
    return this.positions.get(conversationId);
  }

  since(): Record<string, number> {
    return Object.fromEntries(this.positions);
  }

  get size(): number {
    return this.positions.size;
  }
}

import type { ChatErrorBodyContract, ChatErrorCodeValue } from './errors';

/**
 * The realtime wire contract (SSE stream and Socket.IO) shared by the chat module and the web client.
 * Messages and conversations travel exactly as the REST API returns them: each side plugs in its own
 * type for them (the server its response DTOs, the web app the models generated from `openapi.json`).
 * Protocol: `libs/chat-domain/src/realtime/README.md`.
 */
export interface ChatEventMap<Message, Conversation> {
  'message.created': { conversation_id: string; message: Message };
  'conversation.created': { conversation_id: string; conversation: Conversation };
  'conversation.updated': { conversation_id: string; conversation: Conversation; changes: ConversationChange[] };
  'read.updated': { conversation_id: string; user_id: string; last_read_seq: number; last_read_message_id: string | null; last_read_at: string };
  /** Socket only, to the sockets that joined the conversation (never the typist's own). */
  typing: { conversation_id: string; user_id: string; full_name: string; is_typing: boolean };
  /** Socket only, to the sockets that joined the conversation; staff `last_seen_at` is null for candidates. */
  presence: { conversation_id: string; user_id: string; online: boolean; last_seen_at: string | null };
  /**
   * Staff only, delivered to the staff members in `user_ids` alone: a colleague mentioned them in an
   * internal note, or transferred or escalated a conversation to them. Never sent to a candidate.
   */
  'staff.notified': StaffNotification;
}

/** `labels` and `tier` are staff-only: candidates never receive them. */
export type ConversationChange = 'status' | 'assignment' | 'priority' | 'labels' | 'tier';

export type StaffNotificationReason = 'mention' | 'transfer' | 'escalation';

export interface StaffNotification {
  conversation_id: string;
  user_ids: string[];
  reason: StaffNotificationReason;
  by: { id: string; full_name: string };
  /** The note's text (mention), or the internal note that travelled with a transfer; null when none. */
  note: string | null;
  /** `seq` of the note, when there is one. */
  seq: number | null;
}

/** Stream-control events, sent next to the chat events. */
export interface RealtimeControlEventMap {
  /** Sent once per connection, after the replay: from here on the stream is live. */
  ready: { conversation_id: null; replayed: number; resync: boolean; heartbeat_ms: number; retry_ms: number };
  /**
   * Something may have been missed that cannot be replayed as messages: refetch the conversation list,
   * and the history of `conversation_id` (all open ones when null) after the last known `seq`.
   */
  resync: { conversation_id: string | null; reason: ResyncReason };
  /**
   * The user lost access while connected: sent just before the server closes the stream or socket. `code`
   * is the REST error code the same request would now get. Re-authenticate instead of reconnecting.
   */
  access_revoked: { conversation_id: null; code: AccessRevokedCode; error: string };
}

export type AccessRevokedCode = Extract<ChatErrorCodeValue, 'session_expired' | 'unauthenticated' | 'user_inactive' | 'forbidden_role'>;

export type ResyncReason = 'resumed' | 'too_many_missed' | 'broker_recovered' | 'replay_failed';

export type RealtimeEventMap<Message, Conversation> = ChatEventMap<Message, Conversation> & RealtimeControlEventMap;
export type ChatEventName = keyof ChatEventMap<unknown, unknown>;
export type RealtimeEventName = keyof RealtimeEventMap<unknown, unknown>;
/** Events on the SSE stream (and on a socket opened with the stream). */
export type StreamEventName = Exclude<RealtimeEventName, 'typing' | 'presence'>;

/** `POST /api/support/chat/events/ticket` body: the highest `seq` the client holds per conversation. */
export interface RealtimeTicketRequest {
  since?: Record<string, number>;
}

/** Socket.IO handshake `auth` payload. */
export interface WsHandshakeAuth {
  ticket: string;
  since?: Record<string, number>;
  /** `false`: a socket for typing and presence only (the tab has the SSE stream). Default true. */
  stream?: boolean;
}

/** Client -> server Socket.IO events and the acknowledgement each returns. */
export interface WsClientEventMap {
  join: { request: { conversation_id: string }; reply: WsReply<{ conversation_id: string }> };
  leave: { request: { conversation_id: string }; reply: WsReply<{ conversation_id: string }> };
  typing: { request: { conversation_id: string; is_typing: boolean }; reply: WsReply<{ conversation_id: string }> };
  presence: { request: { conversation_id: string }; reply: WsReply<{ conversation_id: string; users: PresenceEntry[] }> };
}

export type WsClientEventName = keyof WsClientEventMap;
export type WsReply<T> = ({ ok: true } & T) | ({ ok: false } & ChatErrorBodyContract);

export interface PresenceEntry {
  user_id: string;
  full_name: string;
  role: 'candidate' | 'staff';
  online: boolean;
  last_seen_at: string | null;
}

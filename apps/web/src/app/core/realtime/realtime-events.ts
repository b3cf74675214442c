import type { ConversationDto, MessageDto } from '@app/api/models';

/**
 * The realtime wire contract as the web client sees it (mirrors `ChatEventMap` and
 * `RealtimeControlEventMap` of libs/chat-domain/src/realtime; payloads use the generated API models).
 * `realtime-events.contract.spec.ts` fails when the event names drift from the server's.
 */
export interface RealtimeEventMap {
  'message.created': { conversation_id: string; message: MessageDto };
  'conversation.created': { conversation_id: string; conversation: ConversationDto };
  'conversation.updated': { conversation_id: string; conversation: ConversationDto; changes: ('status' | 'assignment' | 'priority')[] };
  'read.updated': { conversation_id: string; user_id: string; last_read_seq: number; last_read_message_id: string | null; last_read_at: string };
  typing: { conversation_id: string; user_id: string; full_name: string; is_typing: boolean };
  presence: { conversation_id: string; user_id: string; online: boolean; last_seen_at: string | null };
  ready: { conversation_id: null; replayed: number; resync: boolean; heartbeat_ms: number; retry_ms: number };
  resync: { conversation_id: string | null; reason: string };
  /** Sent just before the server closes the connection because the user lost access; `code` as in REST errors. */
  access_revoked: { conversation_id: null; code: string; error: string };
}

export type RealtimeEventName = keyof RealtimeEventMap;
export type RealtimeEvent = { [K in RealtimeEventName]: { name: K; data: RealtimeEventMap[K] } }[RealtimeEventName];
export type ChatEvent = Exclude<RealtimeEvent, { name: 'ready' | 'resync' | 'access_revoked' }>;

export const REALTIME_EVENT_NAMES: readonly RealtimeEventName[] = [
  'message.created',
  'conversation.created',
  'conversation.updated',
  'read.updated',
  'typing',
  'presence',
  'ready',
  'resync',
  'access_revoked',
];

export interface PresenceEntry {
  user_id: string;
  full_name: string;
  role: 'candidate' | 'staff';
  online: boolean;
  last_seen_at: string | null;
}

/**
 * Conversations a ticket's `since` may name: the server's default `SUPPORT_CHAT_REALTIME_MAX_SINCE_ENTRIES`
 * (more is a 400). The least recently advanced are left out; they are caught up by the `resync` that
 * follows every resumed connection (the pages refetch their lists).
 */
export const MAX_SINCE_ENTRIES = 200;

/** Highest `seq` held per conversation (the `since` of a ticket request); only moves forward. */
export class RealtimeCursor {
  /** In the order of the last advance (re-inserted on every advance), so the newest are at the end. */
  private readonly positions = new Map<string, number>();

  advance(conversationId: string, seq: number): void {
    if (seq <= (this.positions.get(conversationId) ?? -1)) return;
    this.positions.delete(conversationId);
    this.positions.set(conversationId, seq);
  }

  position(conversationId: string): number | undefined {
    return this.positions.get(conversationId);
  }

  /** At most `MAX_SINCE_ENTRIES` conversations: the most recently advanced. */
  since(): Record<string, number> {
    return Object.fromEntries([...this.positions].slice(-MAX_SINCE_ENTRIES));
  }

  clear(): void {
    this.positions.clear();
  }
}

/**
 * The server's side of the realtime wire contract. The types live in `@support-chat/chat-contract`
 * (shared with the web client); this file adds the event-name lists, checked complete by the compiler,
 * and the cursor. See `README.md` in this folder for the protocol.
 */
import type {
  AccessRevokedCode,
  RealtimeControlEventMap,
  RealtimeEventMap as ContractRealtimeEventMap,
  RealtimeTicketRequest,
  ResyncReason,
  StreamEventName,
  WsClientEventMap,
  WsClientEventName,
  WsHandshakeAuth,
  WsReply,
  PresenceEntry,
} from '@support-chat/chat-contract';

import type { ConversationDto } from '../conversations/dto/conversation-response.dto';
import type { ChatEventName, StreamChatEvent } from '../events/chat-events';
import type { MessageDto } from '../messages/dto/message-response.dto';

export type {
  AccessRevokedCode,
  PresenceEntry,
  RealtimeControlEventMap,
  RealtimeTicketRequest,
  ResyncReason,
  StreamEventName,
  WsClientEventMap,
  WsClientEventName,
  WsHandshakeAuth,
  WsReply,
};

export type RealtimeEventMap = ContractRealtimeEventMap<MessageDto, ConversationDto>;
export type RealtimeEventName = keyof RealtimeEventMap;

/** One key per chat event: a missing or unknown name does not compile. */
const CHAT_EVENTS: Record<ChatEventName, true> = {
  'message.created': true,
  'conversation.created': true,
  'conversation.updated': true,
  'read.updated': true,
  typing: true,
  presence: true,
  'staff.notified': true,
};
const CONTROL_EVENTS: Record<keyof RealtimeControlEventMap, true> = { ready: true, resync: true, access_revoked: true };

/** One key per event of the SSE stream's path (bus, broker, hub): never typing or presence. */
const STREAM_CHAT_EVENTS: Record<StreamChatEvent['name'], true> = {
  'message.created': true,
  'conversation.created': true,
  'conversation.updated': true,
  'read.updated': true,
  'staff.notified': true,
};

export const CHAT_EVENT_NAMES = Object.keys(CHAT_EVENTS) as ChatEventName[];

/** Whether something received from outside (the Redis channel) names an event of the stream's path. */
export function isStreamChatEvent(event: unknown): event is StreamChatEvent {
  const name = (event as { name?: unknown } | null | undefined)?.name;
  return typeof name === 'string' && Object.hasOwn(STREAM_CHAT_EVENTS, name);
}
export const REALTIME_EVENT_NAMES = [...CHAT_EVENT_NAMES, ...(Object.keys(CONTROL_EVENTS) as (keyof RealtimeControlEventMap)[])];

export interface RealtimeTicketResponse {
  ticket: string;
  /** Seconds. */
  expires_in: number;
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

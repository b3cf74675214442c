import type { ConversationDto, MessageDto } from '@app/api/models';
import type { RealtimeEventMap as ContractRealtimeEventMap } from '@support-chat/chat-contract';

export type { PresenceEntry, WsClientEventMap, WsHandshakeAuth } from '@support-chat/chat-contract';

/**
 * The realtime wire contract as the web client sees it: the shared `@support-chat/chat-contract` with the
 * models generated from `openapi.json` as message and conversation payloads. The server builds the same
 * contract with its response DTOs, so both sides compile against one definition.
 */
export type RealtimeEventMap = ContractRealtimeEventMap<MessageDto, ConversationDto>;
export type RealtimeEventName = keyof RealtimeEventMap;
export type RealtimeEvent = { [K in RealtimeEventName]: { name: K; data: RealtimeEventMap[K] } }[RealtimeEventName];
export type ChatEvent = Exclude<RealtimeEvent, { name: 'ready' | 'resync' | 'access_revoked' }>;

/** One key per event of the contract: a missing or unknown name does not compile. */
const LISTENED: Record<RealtimeEventName, true> = {
  'message.created': true,
  'conversation.created': true,
  'conversation.updated': true,
  'read.updated': true,
  typing: true,
  presence: true,
  'staff.notified': true,
  ready: true,
  resync: true,
  access_revoked: true,
};

export const REALTIME_EVENT_NAMES = Object.keys(LISTENED) as readonly RealtimeEventName[];

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

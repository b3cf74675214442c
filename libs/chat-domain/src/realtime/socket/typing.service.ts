import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';

import type { ChatActor } from '../../auth/chat-actor';
import { ChatEventBus } from '../../events/chat-events';
import { SUPPORT_CHAT_REALTIME_CONFIG, SupportChatRealtimeConfig } from '../realtime.config';

/** A `typing: true` is re-broadcast at most this often while the user keeps typing. */
export const TYPING_REBROADCAST_MS = 2_000;

interface Typing {
  actor: ChatActor;
  candidateUserId: string;
  since: number;
  timer: NodeJS.Timeout;
}

/**
 * Typing indicators per socket and conversation: a repeated `true` is re-broadcast at most every
 * `TYPING_REBROADCAST_MS`; an indicator not refreshed within `typingTimeoutMs` (or whose socket left or
 * disconnected) is broadcast as stopped.
 */
@Injectable()
export class TypingService implements OnModuleDestroy {
  private readonly active = new Map<string, Map<string, Typing>>();

  constructor(
    private readonly bus: ChatEventBus,
    @Inject(SUPPORT_CHAT_REALTIME_CONFIG) private readonly config: Pick<SupportChatRealtimeConfig, 'typingTimeoutMs'>,
  ) {}

  update(socketId: string, actor: ChatActor, conversationId: string, candidateUserId: string, isTyping: boolean): void {
    if (!isTyping) return this.stop(socketId, conversationId);
    let bySocket = this.active.get(socketId);
    if (!bySocket) this.active.set(socketId, (bySocket = new Map<string, Typing>()));
    const current = bySocket.get(conversationId);
    if (current) clearTimeout(current.timer);
    const now = Date.now();
    const timer = setTimeout(() => this.stop(socketId, conversationId), this.config.typingTimeoutMs);
    timer.unref();
    const rebroadcast = !current || now - current.since >= TYPING_REBROADCAST_MS;
    bySocket.set(conversationId, { actor, candidateUserId, since: rebroadcast ? now : current.since, timer });
    if (rebroadcast) this.publish(actor, conversationId, candidateUserId, true);
  }

  /** Broadcasts "stopped" if the socket was typing in the conversation. */
  stop(socketId: string, conversationId: string): void {
    const bySocket = this.active.get(socketId);
    const current = bySocket?.get(conversationId);
    if (!bySocket || !current) return;
    clearTimeout(current.timer);
    bySocket.delete(conversationId);
    if (bySocket.size === 0) this.active.delete(socketId);
    this.publish(current.actor, conversationId, current.candidateUserId, false);
  }

  /** The socket disconnected. */
  stopAll(socketId: string): void {
    for (const conversationId of [...(this.active.get(socketId)?.keys() ?? [])]) this.stop(socketId, conversationId);
  }

  onModuleDestroy(): void {
    for (const bySocket of this.active.values()) for (const typing of bySocket.values()) clearTimeout(typing.timer);
    this.active.clear();
  }

  private publish(actor: ChatActor, conversationId: string, candidateUserId: string, isTyping: boolean): void {
    this.bus.publish({
      name: 'typing',
      candidate_user_id: candidateUserId,
      data: { conversation_id: conversationId, user_id: actor.id, full_name: actor.full_name, is_typing: isTyping },
    });
  }
}

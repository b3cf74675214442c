import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';

import type { ChatActor } from '../../auth/chat-actor';
import { Subject } from 'rxjs';

import type { ChatEventMap } from '../../events/chat-events';
import { SUPPORT_CHAT_REALTIME_CONFIG, SupportChatRealtimeConfig } from '../realtime.config';

/** A `typing: true` is re-broadcast at most this often while the user keeps typing. */
export const TYPING_REBROADCAST_MS = 2_000;

interface Typing {
  actor: ChatActor;
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
  private readonly changes = new Subject<ChatEventMap['typing']>();
  /** Indicator changes; the gateway sends them to the sockets viewing the conversation, except the typist's. */
  readonly changes$ = this.changes.asObservable();

  constructor(@Inject(SUPPORT_CHAT_REALTIME_CONFIG) private readonly config: Pick<SupportChatRealtimeConfig, 'typingTimeoutMs'>) {}

  update(socketId: string, actor: ChatActor, conversationId: string, isTyping: boolean): void {
    if (!isTyping) return this.stop(socketId, conversationId);
    let bySocket = this.active.get(socketId);
    if (!bySocket) this.active.set(socketId, (bySocket = new Map<string, Typing>()));
    const current = bySocket.get(conversationId);
    if (current) clearTimeout(current.timer);
    const now = Date.now();
    const timer = setTimeout(() => this.stop(socketId, conversationId), this.config.typingTimeoutMs);
    timer.unref();
    const rebroadcast = !current || now - current.since >= TYPING_REBROADCAST_MS;
    bySocket.set(conversationId, { actor, since: rebroadcast ? now : current.since, timer });
    if (rebroadcast) this.publish(actor, conversationId, true);
  }

  /** Broadcasts "stopped" if the socket was typing in the conversation. */
  stop(socketId: string, conversationId: string): void {
    const bySocket = this.active.get(socketId);
    const current = bySocket?.get(conversationId);
    if (!bySocket || !current) return;
    clearTimeout(current.timer);
    bySocket.delete(conversationId);
    if (bySocket.size === 0) this.active.delete(socketId);
    this.publish(current.actor, conversationId, false);
  }

  /** The socket disconnected. */
  stopAll(socketId: string): void {
    for (const conversationId of [...(this.active.get(socketId)?.keys() ?? [])]) this.stop(socketId, conversationId);
  }

  onModuleDestroy(): void {
    for (const bySocket of this.active.values()) for (const typing of bySocket.values()) clearTimeout(typing.timer);
    this.active.clear();
    this.changes.complete();
  }

  private publish(actor: ChatActor, conversationId: string, isTyping: boolean): void {
    this.changes.next({ conversation_id: conversationId, user_id: actor.id, full_name: actor.full_name, is_typing: isTyping });
  }
}

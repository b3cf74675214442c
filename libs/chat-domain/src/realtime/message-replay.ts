import { Inject, Injectable } from '@nestjs/common';

import type { ChatActor } from '../auth/chat-actor';
import { ConversationPolicy } from '../conversations/conversation.policy';
import type { StreamChatEvent } from '../events/chat-events';
import { toMessageDto } from '../messages/dto/message-response.dto';
import { SupportConversationEntity, SupportMessageEntity } from '../persistence/entities';
import { ConversationRepository, TimelineRepository } from '../persistence/repositories';
import { UserLookup } from '../users/user-lookup';
import { SUPPORT_CHAT_REALTIME_CONFIG, type SupportChatRealtimeConfig } from './realtime.config';

export type MessageEvent = Extract<StreamChatEvent, { name: 'message.created' }>;

export interface ReplayResult {
  /** Missed messages, in `seq` order within each conversation. */
  events: MessageEvent[];
  /** Conversations with more missed messages than the replay limit: the client reloads them. */
  tooMany: { conversation_id: string; last_seq: number }[];
}

/** The payloads are the same for every viewer (see `ChatEventMap`), so replay builds them without one. */
const NO_VIEWER: ChatActor = { id: '', role: '', full_name: '', kind: 'staff' };

/** Reads what a subscriber missed from the database: messages are the durable part of the stream. */
@Injectable()
export class MessageReplay {
  private readonly pendingHoles = new Map<string, Promise<MessageEvent[]>>();

  constructor(
    private readonly conversations: ConversationRepository,
    private readonly timeline: TimelineRepository,
    @Inject(SUPPORT_CHAT_REALTIME_CONFIG) private readonly config: SupportChatRealtimeConfig,
    private readonly users: UserLookup,
  ) {}

  /**
   * Messages after the given position of each conversation. With an `actor`, conversations they may
   * not see are skipped (a client cannot learn anything by naming ids).
   */
  async missed(since: ReadonlyMap<string, number>, actor: ChatActor | null): Promise<ReplayResult> {
    const ids = [...since.keys()];
    const behind: { conversation: SupportConversationEntity; after: number }[] = [];
    for (const conversation of await this.conversations.byIds(ids)) {
      if (actor && !ConversationPolicy.canView(actor, conversation)) continue;
      const after = since.get(conversation.id) ?? 0;
      if (conversation.lastMessageSeq > after) behind.push({ conversation, after });
    }
    const tooMany = behind.filter(({ conversation, after }) => conversation.lastMessageSeq - after > this.config.maxReplayPerConversation);
    const replayable = behind.filter((entry) => !tooMany.includes(entry));

    const messages = await this.timeline.after(replayable.map(({ conversation, after }) => ({ conversationId: conversation.id, afterSeq: after })));
    const candidates = new Map(replayable.map(({ conversation }) => [conversation.id, conversation.candidateUserId]));
    return {
      events: await this.toEvents(messages, (conversationId) => candidates.get(conversationId)!),
      tooMany: tooMany.map(({ conversation }) => ({ conversation_id: conversation.id, last_seq: conversation.lastMessageSeq })),
    };
  }

  /**
   * Messages strictly between two positions of one conversation (a hole seen in the live stream), only
   * those written at or after `writtenSince` when given. Concurrent identical requests (every connection
   * of the instance meeting the same hole) share one query.
   */
  between(conversationId: string, candidateUserId: string, afterSeq: number, beforeSeq: number, writtenSince?: Date): Promise<MessageEvent[]> {
    if (beforeSeq - afterSeq <= 1) return Promise.resolve([]);
    const key = `${conversationId}:${afterSeq}:${beforeSeq}:${writtenSince?.getTime() ?? ''}`;
    let pending = this.pendingHoles.get(key);
    if (!pending) {
      pending = this.timeline
        .range(conversationId, afterSeq + 1, beforeSeq - 1, { writtenSince })
        .then((messages) => this.toEvents(messages, () => candidateUserId))
        .finally(() => this.pendingHoles.delete(key));
      this.pendingHoles.set(key, pending);
    }
    return pending;
  }

  private async toEvents(messages: SupportMessageEntity[], candidateOf: (conversationId: string) => string): Promise<MessageEvent[]> {
    const users = await this.users.byIds(messages.map((message) => message.senderUserId));
    return messages.map((message) => ({
      name: 'message.created',
      candidate_user_id: candidateOf(message.conversationId),
      data: { conversation_id: message.conversationId, message: toMessageDto(message, users.get(message.senderUserId), NO_VIEWER) },
    }));
  }
}

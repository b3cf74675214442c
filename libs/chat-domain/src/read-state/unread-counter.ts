import { Inject, Injectable } from '@nestjs/common';
import { Brackets, DataSource, SelectQueryBuilder } from 'typeorm';

import { ChatActor } from '../auth/chat-actor';
import { SupportConversationEntity, SupportMessageEntity, SupportConversationParticipantEntity } from '../persistence/entities';
import { CHAT_DATA_SOURCE } from '../persistence/tokens';

/**
 * Counts unread messages in a fixed number of queries, whatever the number of conversations.
 *
 * The rule (also in the README):
 * - Candidate: messages written by staff after the candidate's read marker.
 * - Staff: messages written by the candidate after BOTH my read marker and the team's last reply.
 *   Once any agent has answered, what the candidate wrote before that answer is handled for the whole
 *   team, so a conversation a colleague already took care of does not stay unread for everyone.
 * System messages (status changes) are timeline events and never count. Order is by `seq`, never time.
 */
@Injectable()
export class UnreadCounter {
  constructor(@Inject(CHAT_DATA_SOURCE) private readonly dataSource: DataSource) {}

  /** Unread count per conversation, for the given conversations (one query). */
  async countByConversation(actor: ChatActor, conversationIds: readonly string[]): Promise<Map<string, number>> {
    const counts = new Map<string, number>();
    if (conversationIds.length === 0) return counts;
    const rows = await this.unreadMessages(actor)
      .andWhere('c.id IN (:...conversationIds)', { conversationIds })
      .select('c.id', 'conversation_id')
      .addSelect('COUNT(*)', 'unread')
      .groupBy('c.id')
      .getRawMany<{ conversation_id: string; unread: number | string }>();
    for (const row of rows) counts.set(row.conversation_id, Number(row.unread));
    return counts;
  }

  /** The caller's unread messages over every conversation they may see (one query). */
  async total(actor: ChatActor): Promise<{ unread_count: number; conversations_with_unread: number }> {
    const row = await this.unreadMessages(actor)
      .select('COUNT(*)', 'unread')
      .addSelect('COUNT(DISTINCT c.id)', 'conversations')
      .getRawOne<{ unread: number | string; conversations: number | string }>();
    return { unread_count: Number(row?.unread ?? 0), conversations_with_unread: Number(row?.conversations ?? 0) };
  }

  /** The caller's unread count in one conversation. */
  async forConversation(actor: ChatActor, conversationId: string): Promise<number> {
    return (await this.countByConversation(actor, [conversationId])).get(conversationId) ?? 0;
  }

  /**
   * Messages unread by `actor`, joined to their conversation (`c`) and the actor's participant row (`p`).
   * The conversation-level filter on `last_*_message_seq` lets the database skip, from the conversation
   * row alone, every conversation that has nothing unread before touching its messages.
   */
  private unreadMessages(actor: ChatActor): SelectQueryBuilder<SupportConversationEntity> {
    const myMarker = 'COALESCE(p.last_read_seq, 0)';
    const query = this.dataSource
      .createQueryBuilder(SupportConversationEntity, 'c')
      .leftJoin(SupportConversationParticipantEntity, 'p', 'p.conversation_id = c.id AND p.user_id = :actorId', { actorId: actor.id })
      .innerJoin(SupportMessageEntity, 'm', 'm.conversation_id = c.id')
      .where("m.message_type <> 'system'");

    if (actor.kind === 'candidate') {
      return query
        .andWhere('c.candidate_user_id = :actorId')
        .andWhere(`c.last_staff_message_seq > ${myMarker}`)
        .andWhere('m.sender_user_id <> :actorId')
        .andWhere(`m.seq > ${myMarker}`);
    }
    const threshold = `CASE WHEN ${myMarker} > c.last_staff_message_seq THEN ${myMarker} ELSE c.last_staff_message_seq END`;
    return query
      .andWhere(new Brackets((where) => where.where(`c.last_candidate_message_seq > ${threshold}`)))
      .andWhere('m.sender_user_id = c.candidate_user_id')
      .andWhere(`m.seq > ${threshold}`);
  }
}

import { Inject, Injectable } from '@nestjs/common';
import { DataSource, SelectQueryBuilder } from 'typeorm';

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
    const rows =
      actor.kind === 'staff'
        ? await this.staffUnreadConversations(actor)
            .andWhere('c.id IN (:...conversationIds)', { conversationIds })
            .select('c.id', 'conversation_id')
            .addSelect(STAFF_UNREAD, 'unread')
            .getRawMany<{ conversation_id: string; unread: number | string }>()
        : await this.unreadMessages(actor)
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
    let row: { unread: number | string | null; conversations: number | string } | undefined;
    if (actor.kind === 'staff') {
      // A derived table: SQL Server refuses an aggregate over an expression that holds a subquery.
      const perConversation = this.staffUnreadConversations(actor).select(STAFF_UNREAD, 'unread');
      row = await this.dataSource
        .createQueryBuilder()
        .select('SUM(u.unread)', 'unread')
        .addSelect('COUNT(*)', 'conversations')
        .from(`(${perConversation.getQuery()})`, 'u')
        .setParameters(perConversation.getParameters())
        .getRawOne();
    } else {
      row = await this.unreadMessages(actor).select('COUNT(*)', 'unread').addSelect('COUNT(DISTINCT c.id)', 'conversations').getRawOne();
    }
    return { unread_count: Number(row?.unread ?? 0), conversations_with_unread: Number(row?.conversations ?? 0) };
  }

  /** The caller's unread count in one conversation. */
  async forConversation(actor: ChatActor, conversationId: string): Promise<number> {
    return (await this.countByConversation(actor, [conversationId])).get(conversationId) ?? 0;
  }

  /**
   * Staff: the conversations with something unread (`c`, with the caller's participant row `p`), decided
   * from those two rows alone. Their count is `STAFF_UNREAD`: no walk over the unread messages.
   *
   * Why it is the same number as "the candidate's text/attachment messages after the threshold":
   * the threshold is at least `last_staff_message_seq`, so no staff message comes after it, and the
   * candidate is the only other sender; every entry after the threshold is therefore the candidate's or
   * a `system` entry. Unread = entries after the threshold (`last_message_seq - threshold`, since `seq`
   * has no gaps) minus the `system` entries among them (an index seek,
   * `ix_support_messages_conversation_type_seq`, that finds few or none).
   */
  private staffUnreadConversations(actor: ChatActor): SelectQueryBuilder<SupportConversationEntity> {
    return (
      this.dataSource
        .createQueryBuilder(SupportConversationEntity, 'c')
        .leftJoin(SupportConversationParticipantEntity, 'p', 'p.conversation_id = c.id AND p.user_id = :actorId', { actorId: actor.id })
        // Implied by the next condition; it needs the conversation row only, so the participant lookup is
        // skipped for every conversation the team has answered last.
        .where('c.last_candidate_message_seq > c.last_staff_message_seq')
        .andWhere(`c.last_candidate_message_seq > ${STAFF_THRESHOLD}`)
    );
  }

  /**
   * Candidate: messages unread by `actor`, joined to their conversation (`c`) and the actor's participant
   * row (`p`); a candidate has few conversations (`ix_support_conversations_candidate_activity`). The
   * conversation-level filter on `last_*_message_seq` lets the database skip, from the conversation
   * row alone, every conversation that has nothing unread before touching its messages.
   */
  private unreadMessages(actor: ChatActor): SelectQueryBuilder<SupportConversationEntity> {
    const myMarker = 'COALESCE(p.last_read_seq, 0)';
    const query = this.dataSource
      .createQueryBuilder(SupportConversationEntity, 'c')
      .leftJoin(SupportConversationParticipantEntity, 'p', 'p.conversation_id = c.id AND p.user_id = :actorId', { actorId: actor.id })
      .innerJoin(SupportMessageEntity, 'm', 'm.conversation_id = c.id')
      .where("m.message_type <> 'system'");

    return query
      .andWhere('c.candidate_user_id = :actorId')
      .andWhere(`c.last_staff_message_seq > ${myMarker}`)
      .andWhere('m.sender_user_id <> :actorId')
      .andWhere(`m.seq > ${myMarker}`);
  }
}

/** Staff: my read marker or the team's last reply, whichever is later. */
const STAFF_THRESHOLD = 'CASE WHEN COALESCE(p.last_read_seq, 0) > c.last_staff_message_seq THEN COALESCE(p.last_read_seq, 0) ELSE c.last_staff_message_seq END';

/** Staff: unread entries of conversation `c` (see `staffUnreadConversations`). */
const STAFF_UNREAD =
  `(c.last_message_seq - ${STAFF_THRESHOLD}) - ` +
  `(SELECT COUNT(*) FROM support_messages s WHERE s.conversation_id = c.id AND s.message_type = 'system' AND s.seq > ${STAFF_THRESHOLD})`;

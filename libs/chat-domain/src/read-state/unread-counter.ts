import { Inject, Injectable } from '@nestjs/common';
import { DataSource, ObjectLiteral, SelectQueryBuilder } from 'typeorm';

import { ChatActor } from '../auth/chat-actor';
import { ChatRecords } from '../persistence/chat-records';
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
 *
 * Staff counts start from `unanswered_candidate_messages` (kept by `TimelineWriter`): with my marker at
 * or before the team's last reply, that is my unread count; past it, the count is taken from the
 * messages after my marker, which concerns only conversations I read myself.
 */
@Injectable()
export class UnreadCounter {
  constructor(
    @Inject(CHAT_DATA_SOURCE) private readonly dataSource: DataSource,
    private readonly records: ChatRecords,
  ) {}

  /** Unread count per conversation, for the given conversations (one query). */
  async countByConversation(actor: ChatActor, conversationIds: readonly string[]): Promise<Map<string, number>> {
    const counts = new Map<string, number>();
    if (conversationIds.length === 0) return counts;
    const rows = await this.records
      .statement(`unread by conversation (${actor.kind})`, () =>
        actor.kind === 'staff'
          ? this.dataSource
              .createQueryBuilder(SupportConversationEntity, 'c')
              .leftJoin(SupportConversationParticipantEntity, 'p', 'p.conversation_id = c.id AND p.user_id = :actorId')
              .where('c.id IN (:...conversationIds)')
              .andWhere('c.unanswered_candidate_messages > 0')
              .select('c.id', 'conversation_id')
              .addSelect(
                `CASE WHEN COALESCE(p.last_read_seq, 0) > c.last_staff_message_seq THEN ${UNREAD_AFTER_MY_MARKER} ELSE c.unanswered_candidate_messages END`,
                'unread',
              )
          : this.unreadMessages().andWhere('c.id IN (:...conversationIds)').select('c.id', 'conversation_id').addSelect('COUNT(*)', 'unread').groupBy('c.id'),
      )
      .rows<{ conversation_id: string; unread: number | string }>({ actorId: actor.id, conversationIds });
    for (const row of rows) counts.set(row.conversation_id, Number(row.unread));
    return counts;
  }

  /** The caller's unread messages over every conversation they may see (one query). */
  async total(actor: ChatActor): Promise<{ unread_count: number; conversations_with_unread: number }> {
    const [row] = await this.records
      .statement(`unread total (${actor.kind})`, () =>
        actor.kind === 'staff' ? this.staffTotal() : this.unreadMessages().select('COUNT(*)', 'unread').addSelect('COUNT(DISTINCT c.id)', 'conversations'),
      )
      .rows<{ unread: number | string | null; conversations: number | string }>({ actorId: actor.id });
    return { unread_count: Number(row?.unread ?? 0), conversations_with_unread: Number(row?.conversations ?? 0) };
  }

  /** The caller's unread count in one conversation. */
  async forConversation(actor: ChatActor, conversationId: string): Promise<number> {
    return (await this.countByConversation(actor, [conversationId])).get(conversationId) ?? 0;
  }

  /**
   * Staff: everything the team left unanswered (one index), minus what I myself read past the team's last
   * reply (my own participant rows). Derived tables: SQL Server refuses an aggregate over an expression
   * that holds a subquery.
   */
  private staffTotal(): SelectQueryBuilder<ObjectLiteral> {
    const awaiting = this.dataSource
      .createQueryBuilder(SupportConversationEntity, 'c')
      .select('COALESCE(SUM(c.unanswered_candidate_messages), 0)', 'unread')
      .addSelect('COUNT(*)', 'conversations')
      .where('c.unanswered_candidate_messages > 0');
    const readPastTeamReply = this.dataSource
      .createQueryBuilder(SupportConversationParticipantEntity, 'p')
      .innerJoin(SupportConversationEntity, 'c', 'c.id = p.conversation_id')
      .select('c.unanswered_candidate_messages', 'awaiting')
      .addSelect(UNREAD_AFTER_MY_MARKER, 'unread')
      .where('p.user_id = :actorId')
      .andWhere('c.unanswered_candidate_messages > 0')
      .andWhere('p.last_read_seq > c.last_staff_message_seq');
    const corrections = this.dataSource
      .createQueryBuilder()
      .select('COALESCE(SUM(r.awaiting - r.unread), 0)', 'read_by_me')
      .addSelect('COALESCE(SUM(CASE WHEN r.unread = 0 THEN 1 ELSE 0 END), 0)', 'cleared_by_me')
      .from(`(${readPastTeamReply.getQuery()})`, 'r');
    return this.dataSource
      .createQueryBuilder()
      .select('a.unread - b.read_by_me', 'unread')
      .addSelect('a.conversations - b.cleared_by_me', 'conversations')
      .from(`(${awaiting.getQuery()})`, 'a')
      .addFrom(`(${corrections.getQuery()})`, 'b');
  }

  /**
   * Candidate: messages unread by `actor`, joined to their conversation (`c`) and the actor's participant
   * row (`p`); a candidate has few conversations (`ix_support_conversations_candidate_activity`). The
   * conversation-level filter on `last_*_message_seq` lets the database skip, from the conversation
   * row alone, every conversation that has nothing unread before touching its messages.
   */
  private unreadMessages(): SelectQueryBuilder<SupportConversationEntity> {
    const myMarker = 'COALESCE(p.last_read_seq, 0)';
    const query = this.dataSource
      .createQueryBuilder(SupportConversationEntity, 'c')
      .leftJoin(SupportConversationParticipantEntity, 'p', 'p.conversation_id = c.id AND p.user_id = :actorId')
      .innerJoin(SupportMessageEntity, 'm', 'm.conversation_id = c.id')
      .where("m.message_type <> 'system'");

    return query
      .andWhere('c.candidate_user_id = :actorId')
      .andWhere(`c.last_staff_message_seq > ${myMarker}`)
      .andWhere('m.sender_user_id <> :actorId')
      .andWhere(`m.seq > ${myMarker}`);
  }
}

/**
 * Staff, for a conversation `c` where my marker (`p`) is past the team's last reply: the entries after
 * my marker are the candidate's or `system` ones (no staff message comes after the team's last reply),
 * and `seq` has no gaps, so unread = entries after my marker minus the `system` entries among them
 * (an index seek, `ix_support_messages_conversation_type_seq`, that finds few or none).
 */
const UNREAD_AFTER_MY_MARKER =
  '(c.last_message_seq - p.last_read_seq) - ' +
  "(SELECT COUNT(*) FROM support_messages s WHERE s.conversation_id = c.id AND s.message_type = 'system' AND s.seq > p.last_read_seq)";

import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, ObjectLiteral, SelectQueryBuilder } from 'typeorm';

import { SupportConversationEntity, SupportConversationParticipantEntity, SupportMessageEntity } from '../entities';
import { ChatStatements } from './chat-statements';
import { defineStatement } from './statement-cache';

export type ReaderKind = 'candidate' | 'staff';

/**
 * Staff, for a conversation `c` where my marker (`p`) is past the team's last reply: the entries after
 * my marker are the candidate's or `system` ones (no staff message comes after the team's last reply),
 * (and staff's internal notes, which never count as unread for anyone), and `seq` has no gaps, so
 * unread = entries after my marker minus the `system` and `note` entries among them
 * (an index seek, `ix_support_messages_conversation_type_seq`, that finds few or none).
 */
const UNREAD_AFTER_MY_MARKER =
  '(c.last_message_seq - p.last_read_seq) - ' +
  "(SELECT COUNT(*) FROM support_messages s WHERE s.conversation_id = c.id AND s.message_type IN ('system', 'note') AND s.seq > p.last_read_seq)";

/**
 * Candidate: messages unread by `:actorId`, joined to their conversation (`c`) and the actor's participant
 * row (`p`); a candidate has few conversations (`ix_support_conversations_candidate_activity`). The
 * conversation-level filter on `last_*_message_seq` lets the database skip, from the conversation
 * row alone, every conversation that has nothing unread before touching its messages.
 */
function candidateUnreadMessages(dataSource: DataSource): SelectQueryBuilder<SupportConversationEntity> {
  const myMarker = 'COALESCE(p.last_read_seq, 0)';
  return dataSource
    .createQueryBuilder(SupportConversationEntity, 'c')
    .leftJoin(SupportConversationParticipantEntity, 'p', 'p.conversation_id = c.id AND p.user_id = :actorId')
    .innerJoin(SupportMessageEntity, 'm', 'm.conversation_id = c.id')
    .where("m.message_type NOT IN ('system', 'note')")
    .andWhere('c.candidate_user_id = :actorId')
    .andWhere(`c.last_staff_message_seq > ${myMarker}`)
    .andWhere('m.sender_user_id <> :actorId')
    .andWhere(`m.seq > ${myMarker}`);
}

/**
 * Staff: everything the team left unanswered (one index), minus what I myself read past the team's last
 * reply (my own participant rows). Derived tables: SQL Server refuses an aggregate over an expression
 * that holds a subquery.
 */
function staffTotal(dataSource: DataSource): SelectQueryBuilder<ObjectLiteral> {
  const awaiting = dataSource
    .createQueryBuilder(SupportConversationEntity, 'c')
    .select('COALESCE(SUM(c.unanswered_candidate_messages), 0)', 'unread')
    .addSelect('COUNT(*)', 'conversations')
    .where('c.unanswered_candidate_messages > 0');
  const readPastTeamReply = dataSource
    .createQueryBuilder(SupportConversationParticipantEntity, 'p')
    .innerJoin(SupportConversationEntity, 'c', 'c.id = p.conversation_id')
    .select('c.unanswered_candidate_messages', 'awaiting')
    .addSelect(UNREAD_AFTER_MY_MARKER, 'unread')
    .where('p.user_id = :actorId')
    .andWhere('c.unanswered_candidate_messages > 0')
    .andWhere('p.last_read_seq > c.last_staff_message_seq');
  const corrections = dataSource
    .createQueryBuilder()
    .select('COALESCE(SUM(r.awaiting - r.unread), 0)', 'read_by_me')
    .addSelect('COALESCE(SUM(CASE WHEN r.unread = 0 THEN 1 ELSE 0 END), 0)', 'cleared_by_me')
    .from(`(${readPastTeamReply.getQuery()})`, 'r');
  return dataSource
    .createQueryBuilder()
    .select('a.unread - b.read_by_me', 'unread')
    .addSelect('a.conversations - b.cleared_by_me', 'conversations')
    .from(`(${awaiting.getQuery()})`, 'a')
    .addFrom(`(${corrections.getQuery()})`, 'b');
}

const READERS: { reader: ReaderKind }[] = [{ reader: 'candidate' }, { reader: 'staff' }];

export const READ_STATE_STATEMENTS = {
  advanceMarker: defineStatement({
    name: 'ReadStateRepository.advanceMarker',
    shapes: [{}],
    build: (dataSource) =>
      dataSource
        .createQueryBuilder()
        .update(SupportConversationParticipantEntity)
        .set({ lastReadSeq: () => ':seq', lastReadMessageId: () => ':messageId', lastReadAt: () => ':now' })
        .where('conversation_id = :conversationId AND user_id = :userId AND last_read_seq < :seq'),
  }),
  marker: defineStatement({
    name: 'ReadStateRepository.marker',
    shapes: [{}],
    build: (dataSource) =>
      dataSource.createQueryBuilder(SupportConversationParticipantEntity, 'p').where('p.conversation_id = :conversationId').andWhere('p.user_id = :userId'),
  }),
  othersMarkers: defineStatement({
    name: 'ReadStateRepository.othersMarkers',
    shapes: [{}],
    build: (dataSource) =>
      dataSource
        .createQueryBuilder(SupportConversationParticipantEntity, 'p')
        .where('p.conversation_id = :conversationId')
        .andWhere('p.user_id <> :userId')
        .andWhere('p.last_read_seq > 0')
        .orderBy('p.last_read_seq', 'DESC'),
  }),
  unreadByConversation: defineStatement<{ reader: ReaderKind }>({
    name: 'ReadStateRepository.unreadByConversation',
    shapes: READERS,
    build: (dataSource, { reader }) =>
      reader === 'staff'
        ? dataSource
            .createQueryBuilder(SupportConversationEntity, 'c')
            .leftJoin(SupportConversationParticipantEntity, 'p', 'p.conversation_id = c.id AND p.user_id = :actorId')
            .where('c.id IN (:...conversationIds)')
            .andWhere('c.unanswered_candidate_messages > 0')
            .select('c.id', 'conversation_id')
            .addSelect(
              `CASE WHEN COALESCE(p.last_read_seq, 0) > c.last_staff_message_seq THEN ${UNREAD_AFTER_MY_MARKER} ELSE c.unanswered_candidate_messages END`,
              'unread',
            )
        : candidateUnreadMessages(dataSource)
            .andWhere('c.id IN (:...conversationIds)')
            .select('c.id', 'conversation_id')
            .addSelect('COUNT(*)', 'unread')
            .groupBy('c.id'),
  }),
  unreadTotal: defineStatement<{ reader: ReaderKind }>({
    name: 'ReadStateRepository.unreadTotal',
    shapes: READERS,
    build: (dataSource, { reader }) =>
      reader === 'staff'
        ? staffTotal(dataSource)
        : candidateUnreadMessages(dataSource).select('COUNT(*)', 'unread').addSelect('COUNT(DISTINCT c.id)', 'conversations'),
  }),
};

export interface ReadMarker {
  lastReadSeq: number;
  lastReadMessageId: string | null;
  lastReadAt: Date | null;
}

/**
 * Read markers and unread counts, in a fixed number of queries whatever the number of conversations.
 * The rule (also in the README):
 * - Candidate: messages written by staff after the candidate's read marker.
 * - Staff: messages written by the candidate after BOTH my read marker and the team's last reply.
 *   Once any agent has answered, what the candidate wrote before that answer is handled for the whole
 *   team, so a conversation a colleague already took care of does not stay unread for everyone.
 * System messages (status changes) are timeline events and never count. Order is by `seq`, never time.
 * Staff counts start from `unanswered_candidate_messages` (kept by the timeline's append).
 */
@Injectable()
export class ReadStateRepository {
  constructor(private readonly db: ChatStatements) {}

  /** Moves a read marker forward to `message`; never backwards. Returns whether it moved. */
  async advanceMarker(manager: EntityManager, conversationId: string, userId: string, message: { id: string; seq: number }, now: Date): Promise<boolean> {
    const moved = await this.db.cache.execute(
      READ_STATE_STATEMENTS.advanceMarker,
      {},
      { conversationId, userId, seq: message.seq, messageId: message.id, now: this.db.participants.toColumnValue('lastReadAt', now) },
      manager,
    );
    return moved > 0;
  }

  async marker(conversationId: string, userId: string): Promise<ReadMarker | null> {
    const [row] = await this.db.cache.rows(READ_STATE_STATEMENTS.marker, {}, { conversationId, userId });
    return row ? this.db.participants.fromRow(row, 'p') : null;
  }

  /** The markers of everyone but `userId` in the conversation who has read something, furthest first. */
  async othersMarkers(conversationId: string, userId: string): Promise<SupportConversationParticipantEntity[]> {
    const rows = await this.db.cache.rows(READ_STATE_STATEMENTS.othersMarkers, {}, { conversationId, userId });
    return rows.map((row) => this.db.participants.fromRow(row, 'p'));
  }

  /** Unread count per conversation, for the given conversations (one query). */
  async unreadByConversation(reader: { id: string; kind: ReaderKind }, conversationIds: readonly string[]): Promise<Map<string, number>> {
    const counts = new Map<string, number>();
    if (conversationIds.length === 0) return counts;
    const rows = await this.db.cache.rows<{ conversation_id: string; unread: number | string }>(
      READ_STATE_STATEMENTS.unreadByConversation,
      { reader: reader.kind },
      { actorId: reader.id, conversationIds },
    );
    for (const row of rows) counts.set(row.conversation_id, Number(row.unread));
    return counts;
  }

  /** The reader's unread messages over every conversation they may see (one query). */
  async unreadTotal(reader: { id: string; kind: ReaderKind }): Promise<{ unread_count: number; conversations_with_unread: number }> {
    const [row] = await this.db.cache.rows<{ unread: number | string | null; conversations: number | string }>(
      READ_STATE_STATEMENTS.unreadTotal,
      { reader: reader.kind },
      { actorId: reader.id },
    );
    return { unread_count: Number(row?.unread ?? 0), conversations_with_unread: Number(row?.conversations ?? 0) };
  }

  /** The reader's unread count in one conversation. */
  async unreadIn(reader: { id: string; kind: ReaderKind }, conversationId: string): Promise<number> {
    return (await this.unreadByConversation(reader, [conversationId])).get(conversationId) ?? 0;
  }
}

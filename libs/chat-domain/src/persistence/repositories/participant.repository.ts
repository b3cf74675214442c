import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';

import { SupportConversationParticipantEntity } from '../entities';
import { ChatStatements } from './chat-statements';
import { insertAllColumns } from './compiled-query';
import { ConversationRepository } from './conversation.repository';
import { defineStatement } from './statement-cache';

export const PARTICIPANT_STATEMENTS = {
  exists: defineStatement({
    name: 'ParticipantRepository.exists',
    shapes: [{}],
    build: (dataSource) =>
      dataSource
        .createQueryBuilder(SupportConversationParticipantEntity, 'p')
        .select('p.id', 'id')
        .where('p.conversation_id = :conversationId')
        .andWhere('p.user_id = :userId'),
  }),
  insert: defineStatement({
    name: 'ParticipantRepository.insert',
    shapes: [{}],
    build: (dataSource) => insertAllColumns(dataSource, SupportConversationParticipantEntity),
  }),
};

/** Who takes part in a conversation (a candidate, and staff once they act in it). */
@Injectable()
export class ParticipantRepository {
  constructor(
    private readonly db: ChatStatements,
    private readonly conversations: ConversationRepository,
  ) {}

  /** Inserts the participant row of a new conversation's candidate. */
  async insertCandidate(manager: EntityManager, conversationId: string, userId: string, now: Date): Promise<void> {
    await this.insert(manager, conversationId, { id: userId, kind: 'candidate' }, now);
  }

  /**
   * Adds the user as a participant if they are not one yet (staff join when they first act). A read and a
   * send of the same user could both see "no participant" and both insert; the loser would hit the unique
   * key, which on PostgreSQL aborts the whole transaction. So: look, take the conversation's row lock,
   * look again (under READ COMMITTED the second look sees what the lock holder committed), insert.
   */
  async ensure(manager: EntityManager, conversationId: string, user: { id: string; kind: 'candidate' | 'staff' }, now: Date): Promise<void> {
    if (await this.exists(manager, conversationId, user.id)) return;
    await this.conversations.lock(manager, conversationId);
    if (await this.exists(manager, conversationId, user.id)) return;
    await this.insert(manager, conversationId, user, now);
  }

  private async exists(manager: EntityManager, conversationId: string, userId: string): Promise<boolean> {
    return (await this.db.cache.rows(PARTICIPANT_STATEMENTS.exists, {}, { conversationId, userId }, manager)).length > 0;
  }

  private async insert(manager: EntityManager, conversationId: string, user: { id: string; kind: 'candidate' | 'staff' }, now: Date): Promise<void> {
    const participant = Object.assign(new SupportConversationParticipantEntity(), {
      id: randomUUID(),
      conversationId,
      userId: user.id,
      participantRole: user.kind === 'staff' ? 'support' : 'candidate',
      joinedAt: now,
      lastReadAt: null,
      lastReadMessageId: null,
      lastReadSeq: 0,
    });
    await this.db.cache.execute(PARTICIPANT_STATEMENTS.insert, {}, this.db.participants.insertParameters(participant), manager);
  }
}

import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';

import { SupportConversationRatingEntity } from '../entities';
import { ChatStatements } from './chat-statements';
import { EntityMapper, insertAllColumns } from './compiled-query';
import { defineStatement } from './statement-cache';

export const RATING_STATEMENTS = {
  ofConversation: defineStatement({
    name: 'RatingRepository.ofConversation',
    shapes: [{}],
    build: (dataSource) =>
      dataSource.createQueryBuilder(SupportConversationRatingEntity, 'r').where('r.conversation_id = :conversationId').orderBy('r.resolution_number', 'ASC'),
  }),
  ofConversations: defineStatement({
    name: 'RatingRepository.ofConversations',
    shapes: [{}],
    build: (dataSource) => dataSource.createQueryBuilder(SupportConversationRatingEntity, 'r').where('r.conversation_id IN (:...conversationIds)'),
  }),
  insert: defineStatement({
    name: 'RatingRepository.insert',
    shapes: [{}],
    build: (dataSource) => insertAllColumns(dataSource, SupportConversationRatingEntity),
  }),
  update: defineStatement({
    name: 'RatingRepository.update',
    shapes: [{}],
    build: (dataSource) =>
      dataSource
        .createQueryBuilder()
        .update(SupportConversationRatingEntity)
        .set({ rating: () => ':rating', comment: () => ':comment', updatedAt: () => ':updatedAt' })
        .where('id = :id'),
  }),
};

/** Ids per `IN (...)` list (well below SQL Server's parameter limit). */
const IN_CHUNK = 200;

/** CSAT ratings: one per resolution of a conversation (`support_conversation_ratings`). */
@Injectable()
export class RatingRepository {
  private mapper: EntityMapper<SupportConversationRatingEntity> | undefined;

  constructor(private readonly db: ChatStatements) {}

  /** Every rating of a conversation, oldest resolution first. */
  async ofConversation(conversationId: string, manager?: EntityManager): Promise<SupportConversationRatingEntity[]> {
    const rows = await this.db.cache.rows(RATING_STATEMENTS.ofConversation, {}, { conversationId }, manager);
    return rows.map((row) => this.ratings().fromRow(row, 'r'));
  }

  /** The newest rating (highest resolution number) of each of these conversations that has one. */
  async latestOf(conversationIds: readonly string[]): Promise<Map<string, SupportConversationRatingEntity>> {
    const latest = new Map<string, SupportConversationRatingEntity>();
    for (let i = 0; i < conversationIds.length; i += IN_CHUNK) {
      const rows = await this.db.cache.rows(RATING_STATEMENTS.ofConversations, {}, { conversationIds: conversationIds.slice(i, i + IN_CHUNK) });
      for (const rating of rows.map((row) => this.ratings().fromRow(row, 'r'))) {
        const known = latest.get(rating.conversationId);
        if (!known || known.resolutionNumber < rating.resolutionNumber) latest.set(rating.conversationId, rating);
      }
    }
    return latest;
  }

  async insert(manager: EntityManager, rating: SupportConversationRatingEntity): Promise<void> {
    await this.db.cache.execute(RATING_STATEMENTS.insert, {}, this.ratings().insertParameters(rating), manager);
  }

  async update(manager: EntityManager, id: string, change: { rating: number; comment: string | null; updatedAt: Date }): Promise<void> {
    await this.db.cache.execute(
      RATING_STATEMENTS.update,
      {},
      { id, rating: change.rating, comment: change.comment, updatedAt: this.ratings().toColumnValue('updatedAt', change.updatedAt) },
      manager,
    );
  }

  private ratings(): EntityMapper<SupportConversationRatingEntity> {
    // Built on first use: the data source's metadata exists only once the host has initialised it.
    this.mapper ??= new EntityMapper(this.db.dataSource, SupportConversationRatingEntity);
    return this.mapper;
  }
}

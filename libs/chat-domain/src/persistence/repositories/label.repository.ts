import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';

import { SupportConversationEntity, SupportConversationLabelEntity, SupportLabelEntity } from '../entities';
import { ChatStatements } from './chat-statements';
import { EntityMapper, insertAllColumns } from './compiled-query';
import { defineStatement } from './statement-cache';

export const LABEL_STATEMENTS = {
  all: defineStatement({
    name: 'LabelRepository.all',
    shapes: [{}],
    build: (dataSource) => dataSource.createQueryBuilder(SupportLabelEntity, 'l').orderBy('l.position', 'ASC').addOrderBy('l.name_key', 'ASC'),
  }),
  byId: defineStatement({
    name: 'LabelRepository.byId',
    shapes: [{}],
    build: (dataSource) => dataSource.createQueryBuilder(SupportLabelEntity, 'l').where('l.id = :id'),
  }),
  nextPosition: defineStatement({
    name: 'LabelRepository.nextPosition',
    shapes: [{}],
    build: (dataSource) => dataSource.createQueryBuilder(SupportLabelEntity, 'l').select('COALESCE(MAX(l.position), 0) + 1', 'next'),
  }),
  insert: defineStatement({
    name: 'LabelRepository.insert',
    shapes: [{}],
    build: (dataSource) => insertAllColumns(dataSource, SupportLabelEntity),
  }),
  update: defineStatement({
    name: 'LabelRepository.update',
    shapes: [{}],
    build: (dataSource) =>
      dataSource
        .createQueryBuilder()
        .update(SupportLabelEntity)
        .set({ name: () => ':name', nameKey: () => ':nameKey', color: () => ':color', position: () => ':position', updatedAt: () => ':updatedAt' })
        .where('id = :id'),
  }),
  delete: defineStatement({
    name: 'LabelRepository.delete',
    shapes: [{}],
    build: (dataSource) => dataSource.createQueryBuilder().delete().from(SupportLabelEntity).where('id = :id'),
  }),
  detachEverywhere: defineStatement({
    name: 'LabelRepository.delete.detachEverywhere',
    shapes: [{}],
    build: (dataSource) => dataSource.createQueryBuilder().delete().from(SupportConversationLabelEntity).where('label_id = :labelId'),
  }),
  ofConversations: defineStatement({
    name: 'LabelRepository.ofConversations',
    shapes: [{}],
    build: (dataSource) =>
      dataSource
        .createQueryBuilder(SupportLabelEntity, 'l')
        .innerJoin(SupportConversationLabelEntity, 'cl', 'cl.label_id = l.id')
        .addSelect('cl.conversation_id', 'conversation_id')
        .where('cl.conversation_id IN (:...conversationIds)')
        .orderBy('l.position', 'ASC')
        .addOrderBy('l.name_key', 'ASC'),
  }),
  attached: defineStatement({
    name: 'LabelRepository.attached',
    shapes: [{}],
    build: (dataSource) =>
      dataSource
        .createQueryBuilder(SupportConversationLabelEntity, 'cl')
        .select('cl.id', 'id')
        .where('cl.conversation_id = :conversationId')
        .andWhere('cl.label_id = :labelId'),
  }),
  attach: defineStatement({
    name: 'LabelRepository.attach',
    shapes: [{}],
    build: (dataSource) => insertAllColumns(dataSource, SupportConversationLabelEntity),
  }),
  detach: defineStatement({
    name: 'LabelRepository.detach',
    shapes: [{}],
    build: (dataSource) =>
      dataSource.createQueryBuilder().delete().from(SupportConversationLabelEntity).where('conversation_id = :conversationId').andWhere('label_id = :labelId'),
  }),
  touchConversation: defineStatement({
    name: 'LabelRepository.touchConversation',
    shapes: [{}],
    // A label change is a change of what the inbox page shows: `updated_at` is part of the page's version (ETag).
    build: (dataSource) =>
      dataSource
        .createQueryBuilder()
        .update(SupportConversationEntity)
        .set({ updatedAt: () => ':updatedAt' })
        .where('id = :id'),
  }),
  touchConversationsWithLabel: defineStatement({
    name: 'LabelRepository.touchConversationsWithLabel',
    shapes: [{}],
    build: (dataSource) =>
      dataSource
        .createQueryBuilder()
        .update(SupportConversationEntity)
        .set({ updatedAt: () => ':updatedAt' })
        .where('id IN (SELECT cl.conversation_id FROM support_conversation_labels cl WHERE cl.label_id = :labelId)'),
  }),
};

/** Ids per `IN (...)` list: stays well below SQL Server's 2100-parameter limit. */
const IN_CHUNK = 200;

/** Labels and the labels on conversations. */
@Injectable()
export class LabelRepository {
  private mappers: { labels: EntityMapper<SupportLabelEntity>; links: EntityMapper<SupportConversationLabelEntity> } | undefined;

  constructor(private readonly db: ChatStatements) {}

  async all(): Promise<SupportLabelEntity[]> {
    const rows = await this.db.cache.rows(LABEL_STATEMENTS.all, {}, {});
    return rows.map((row) => this.entities.labels.fromRow(row, 'l'));
  }

  async byId(id: string, manager?: EntityManager): Promise<SupportLabelEntity | null> {
    const [row] = await this.db.cache.rows(LABEL_STATEMENTS.byId, {}, { id }, manager);
    return row ? this.entities.labels.fromRow(row, 'l') : null;
  }

  async nextPosition(manager: EntityManager): Promise<number> {
    const [row] = await this.db.cache.rows<{ next: number | string | null }>(LABEL_STATEMENTS.nextPosition, {}, {}, manager);
    return Number(row?.next ?? 1);
  }

  async insert(manager: EntityManager, label: SupportLabelEntity): Promise<void> {
    await this.db.cache.execute(LABEL_STATEMENTS.insert, {}, this.entities.labels.insertParameters(label), manager);
  }

  /** Saves a renamed or recoloured label; the conversations that carry it change version. */
  async update(manager: EntityManager, label: SupportLabelEntity): Promise<void> {
    await this.db.cache.execute(LABEL_STATEMENTS.update, {}, this.entities.labels.insertParameters(label), manager);
    await this.touchConversationsWithLabel(manager, label.id, label.updatedAt);
  }

  /** Removes the label from every conversation, then deletes it. */
  async delete(manager: EntityManager, id: string, now: Date): Promise<void> {
    await this.touchConversationsWithLabel(manager, id, now);
    await this.db.cache.execute(LABEL_STATEMENTS.detachEverywhere, {}, { labelId: id }, manager);
    await this.db.cache.execute(LABEL_STATEMENTS.delete, {}, { id }, manager);
  }

  /** The labels of each conversation (one query per 200 conversations), ordered by position then name. */
  async ofConversations(conversationIds: readonly string[], manager?: EntityManager): Promise<Map<string, SupportLabelEntity[]>> {
    const byConversation = new Map<string, SupportLabelEntity[]>();
    for (let i = 0; i < conversationIds.length; i += IN_CHUNK) {
      const rows = await this.db.cache.rows(LABEL_STATEMENTS.ofConversations, {}, { conversationIds: conversationIds.slice(i, i + IN_CHUNK) }, manager);
      for (const row of rows) {
        const conversationId = String(row.conversation_id);
        const list = byConversation.get(conversationId) ?? [];
        list.push(this.entities.labels.fromRow(row, 'l'));
        byConversation.set(conversationId, list);
      }
    }
    return byConversation;
  }

  /** Puts the label on the conversation; false when it was already there. Call under the conversation's lock. */
  async attach(manager: EntityManager, conversationId: string, labelId: string, userId: string, now: Date): Promise<boolean> {
    const existing = await this.db.cache.rows(LABEL_STATEMENTS.attached, {}, { conversationId, labelId }, manager);
    if (existing.length > 0) return false;
    const link = Object.assign(new SupportConversationLabelEntity(), { id: randomUUID(), conversationId, labelId, addedByUserId: userId, addedAt: now });
    await this.db.cache.execute(LABEL_STATEMENTS.attach, {}, this.entities.links.insertParameters(link), manager);
    await this.touchConversation(manager, conversationId, now);
    return true;
  }

  /** Takes the label off the conversation; false when it was not there. */
  async detach(manager: EntityManager, conversationId: string, labelId: string, now: Date): Promise<boolean> {
    const removed = await this.db.cache.execute(LABEL_STATEMENTS.detach, {}, { conversationId, labelId }, manager);
    if (removed === 0) return false;
    await this.touchConversation(manager, conversationId, now);
    return true;
  }

  private async touchConversation(manager: EntityManager, id: string, updatedAt: Date): Promise<void> {
    const value = this.db.conversations.toColumnValue('updatedAt', updatedAt);
    await this.db.cache.execute(LABEL_STATEMENTS.touchConversation, {}, { id, updatedAt: value }, manager);
  }

  private async touchConversationsWithLabel(manager: EntityManager, labelId: string, updatedAt: Date): Promise<void> {
    const value = this.db.conversations.toColumnValue('updatedAt', updatedAt);
    await this.db.cache.execute(LABEL_STATEMENTS.touchConversationsWithLabel, {}, { labelId, updatedAt: value }, manager);
  }

  private get entities(): NonNullable<LabelRepository['mappers']> {
    // Built on first use: the data source's metadata exists only once the host has initialised it.
    this.mappers ??= {
      labels: new EntityMapper(this.db.dataSource, SupportLabelEntity),
      links: new EntityMapper(this.db.dataSource, SupportConversationLabelEntity),
    };
    return this.mappers;
  }
}

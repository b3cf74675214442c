import { Injectable } from '@nestjs/common';

import { SupportConversationEntity, SupportConversationLabelEntity, SupportLabelEntity } from '../entities';
import { ChatStatements } from './chat-statements';
import { EntityMapper } from './compiled-query';
import { defineStatement } from './statement-cache';

/**
 * The reports read only the values maintained on write on each conversation row (first response,
 * resolution, latest rating, last message seq, waiting since): never the messages.
 */
export const REPORT_STATEMENTS = {
  createdInRange: defineStatement({
    name: 'ReportRepository.createdInRange',
    shapes: [{}],
    build: (dataSource) => dataSource.createQueryBuilder(SupportConversationEntity, 'c').where('c.created_at >= :from').andWhere('c.created_at < :to'),
  }),
  resolvedInRange: defineStatement({
    name: 'ReportRepository.resolvedInRange',
    shapes: [{}],
    build: (dataSource) => dataSource.createQueryBuilder(SupportConversationEntity, 'c').where('c.resolved_at >= :from').andWhere('c.resolved_at < :to'),
  }),
  backlog: defineStatement({
    name: 'ReportRepository.backlog',
    shapes: [{}],
    build: (dataSource) =>
      dataSource
        .createQueryBuilder(SupportConversationEntity, 'c')
        .select('c.id', 'id')
        .addSelect('c.assigned_support_user_id', 'assigned_support_user_id')
        .addSelect('c.waiting_since', 'waiting_since')
        .where("c.status = 'open'"),
  }),
  labelsOf: defineStatement({
    name: 'ReportRepository.labelsOf',
    shapes: [{}],
    build: (dataSource) =>
      dataSource
        .createQueryBuilder(SupportConversationLabelEntity, 'cl')
        .innerJoin(SupportLabelEntity, 'l', 'l.id = cl.label_id')
        .select('cl.conversation_id', 'conversation_id')
        .addSelect('l.id', 'label_id')
        .addSelect('l.name', 'label_name')
        .where('cl.conversation_id IN (:...conversationIds)'),
  }),
};

/** Ids per `IN (...)` list (well below SQL Server's parameter limit). */
const IN_CHUNK = 200;

export interface BacklogRow {
  id: string;
  assignedSupportUserId: string | null;
  waitingSince: Date | null;
}

@Injectable()
export class ReportRepository {
  private mapper: EntityMapper<SupportConversationEntity> | undefined;

  constructor(private readonly db: ChatStatements) {}

  /** Conversations created in `[from, to)` and those resolved in it (each once). */
  async conversationsInRange(from: Date, to: Date): Promise<SupportConversationEntity[]> {
    const parameters = { from: this.conversations().toColumnValue('createdAt', from), to: this.conversations().toColumnValue('createdAt', to) };
    const byId = new Map<string, SupportConversationEntity>();
    for (const statement of [REPORT_STATEMENTS.createdInRange, REPORT_STATEMENTS.resolvedInRange]) {
      for (const row of await this.db.cache.rows(statement, {}, parameters)) {
        const conversation = this.conversations().fromRow(row, 'c');
        byId.set(conversation.id, conversation);
      }
    }
    return [...byId.values()];
  }

  /** Open conversations: who has them and since when the candidate waits (null: nothing waits). */
  async backlog(): Promise<BacklogRow[]> {
    const rows = await this.db.cache.rows<{ id: string; assigned_support_user_id: string | null; waiting_since: unknown }>(REPORT_STATEMENTS.backlog, {}, {});
    const driver = this.db.dataSource.driver;
    const column = this.db.dataSource.getMetadata(SupportConversationEntity).findColumnWithPropertyName('waitingSince');
    return rows.map((row) => ({
      id: row.id,
      assignedSupportUserId: row.assigned_support_user_id,
      waitingSince: row.waiting_since === null || row.waiting_since === undefined ? null : (driver.prepareHydratedValue(row.waiting_since, column!) as Date),
    }));
  }

  /** The labels of each conversation, by conversation id. */
  async labelsOf(conversationIds: readonly string[]): Promise<Map<string, { id: string; name: string }[]>> {
    const labels = new Map<string, { id: string; name: string }[]>();
    for (let i = 0; i < conversationIds.length; i += IN_CHUNK) {
      const rows = await this.db.cache.rows<{ conversation_id: string; label_id: string; label_name: string }>(
        REPORT_STATEMENTS.labelsOf,
        {},
        { conversationIds: conversationIds.slice(i, i + IN_CHUNK) },
      );
      for (const row of rows) {
        const list = labels.get(row.conversation_id) ?? [];
        list.push({ id: row.label_id, name: row.label_name });
        labels.set(row.conversation_id, list);
      }
    }
    return labels;
  }

  private conversations(): EntityMapper<SupportConversationEntity> {
    this.mapper ??= new EntityMapper(this.db.dataSource, SupportConversationEntity);
    return this.mapper;
  }
}

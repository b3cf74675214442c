import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';

import { SupportAuditEventEntity } from '../entities';
import { ChatStatements } from './chat-statements';
import { EntityMapper, insertAllColumns } from './compiled-query';
import { defineStatement } from './statement-cache';

/** What narrows an audit page; the time range is always bound (open ends are the widest dates). */
export interface AuditFilter {
  actorUserId?: string;
  action?: string;
  conversationId?: string;
  from: Date;
  to: Date;
}

/** Where the previous page ended (newest first: the next page holds older entries). */
export interface AuditCursor {
  occurredAt: Date;
  id: string;
}

type AuditShape = { actor: boolean; action: boolean; conversation: boolean; cursor: boolean; limit: number };
const FLAGS = [false, true];
const AUDIT_SHAPES: AuditShape[] = FLAGS.flatMap((actor) =>
  FLAGS.flatMap((action) => FLAGS.flatMap((conversation) => FLAGS.map((cursor) => ({ actor, action, conversation, cursor, limit: 50 })))),
);

function auditPage(dataSource: DataSource, shape: AuditShape) {
  const builder = dataSource.createQueryBuilder(SupportAuditEventEntity, 'e').where('e.occurred_at >= :from').andWhere('e.occurred_at < :to');
  if (shape.actor) builder.andWhere('e.actor_user_id = :actorUserId');
  if (shape.action) builder.andWhere('e.action = :action');
  if (shape.conversation) builder.andWhere('e.conversation_id = :conversationId');
  if (shape.cursor) builder.andWhere('(e.occurred_at < :cursorAt OR (e.occurred_at = :cursorAt AND e.id < :cursorId))');
  return builder.orderBy('e.occurred_at', 'DESC').addOrderBy('e.id', 'DESC').limit(shape.limit);
}

export const AUDIT_STATEMENTS = {
  insert: defineStatement({
    name: 'AuditRepository.insert',
    shapes: [{}],
    build: (dataSource) => insertAllColumns(dataSource, SupportAuditEventEntity),
  }),
  page: defineStatement<AuditShape>({
    name: 'AuditRepository.page',
    shapes: [...AUDIT_SHAPES, { actor: false, action: false, conversation: false, cursor: true, limit: 500 }],
    build: auditPage,
  }),
};

/**
 * The audit trail (`support_audit_events`). Append-only by construction: it has an insert and a read,
 * and no statement that updates or deletes an entry.
 */
@Injectable()
export class AuditRepository {
  private mapper: EntityMapper<SupportAuditEventEntity> | undefined;

  constructor(private readonly db: ChatStatements) {}

  /** Appends one entry inside the caller's transaction, so the action and its entry commit together. */
  async append(manager: EntityManager, entry: SupportAuditEventEntity): Promise<void> {
    await this.db.cache.execute(AUDIT_STATEMENTS.insert, {}, this.entities().insertParameters(entry), manager);
  }

  /** Up to `limit` entries, newest first, after `cursor` (keyset: one index range whatever the depth). */
  async page(filter: AuditFilter, cursor: AuditCursor | null, limit: number): Promise<SupportAuditEventEntity[]> {
    const mapper = this.entities();
    const shape: AuditShape = {
      actor: filter.actorUserId !== undefined,
      action: filter.action !== undefined,
      conversation: filter.conversationId !== undefined,
      cursor: cursor !== null,
      limit,
    };
    const rows = await this.db.cache.rows(AUDIT_STATEMENTS.page, shape, {
      from: mapper.toColumnValue('occurredAt', filter.from),
      to: mapper.toColumnValue('occurredAt', filter.to),
      actorUserId: filter.actorUserId,
      action: filter.action,
      conversationId: filter.conversationId,
      cursorAt: cursor ? mapper.toColumnValue('occurredAt', cursor.occurredAt) : undefined,
      cursorId: cursor?.id,
    });
    return rows.map((row) => mapper.fromRow(row, 'e'));
  }

  private entities(): EntityMapper<SupportAuditEventEntity> {
    // Built on first use: the data source's metadata exists only once the host has initialised it.
    this.mapper ??= new EntityMapper(this.db.dataSource, SupportAuditEventEntity);
    return this.mapper;
  }
}

import { Injectable } from '@nestjs/common';
import { Brackets, EntityManager } from 'typeorm';

import { SupportQuickReplyEntity } from '../entities';
import { ChatStatements } from './chat-statements';
import { EntityMapper, insertAllColumns } from './compiled-query';
import { defineStatement } from './statement-cache';

/** The owner scope of the team's replies (`owner_scope` column). */
export const TEAM_QUICK_REPLY_SCOPE = 'team';
/** The owner scope of one user's personal replies. */
export const personalQuickReplyScope = (userId: string): string => `user:${userId}`;

export const QUICK_REPLY_STATEMENTS = {
  visibleTo: defineStatement<{ search: boolean }>({
    name: 'QuickReplyRepository.visibleTo',
    shapes: [{ search: false }, { search: true }],
    // The team's replies and the user's own; `search` matches title, shortcut or body (LIKE, escaped with `!`).
    build: (dataSource, shape) => {
      const builder = dataSource.createQueryBuilder(SupportQuickReplyEntity, 'q').where('q.owner_scope IN (:teamScope, :ownScope)');
      if (shape.search) {
        builder.andWhere(
          new Brackets((where) => {
            where
              .where("LOWER(q.title) LIKE :pattern ESCAPE '!'")
              .orWhere("LOWER(q.shortcut) LIKE :pattern ESCAPE '!'")
              .orWhere("LOWER(q.body) LIKE :pattern ESCAPE '!'");
          }),
        );
      }
      return builder.orderBy('q.position', 'ASC').addOrderBy('q.created_at', 'ASC').addOrderBy('q.id', 'ASC').limit(500);
    },
  }),
  byId: defineStatement({
    name: 'QuickReplyRepository.byId',
    shapes: [{}],
    build: (dataSource) => dataSource.createQueryBuilder(SupportQuickReplyEntity, 'q').where('q.id = :id'),
  }),
  nextPosition: defineStatement({
    name: 'QuickReplyRepository.nextPosition',
    shapes: [{}],
    build: (dataSource) =>
      dataSource.createQueryBuilder(SupportQuickReplyEntity, 'q').select('COALESCE(MAX(q.position), 0) + 1', 'next').where('q.owner_scope = :ownerScope'),
  }),
  insert: defineStatement({
    name: 'QuickReplyRepository.insert',
    shapes: [{}],
    build: (dataSource) => insertAllColumns(dataSource, SupportQuickReplyEntity),
  }),
  update: defineStatement({
    name: 'QuickReplyRepository.update',
    shapes: [{}],
    build: (dataSource) =>
      dataSource
        .createQueryBuilder()
        .update(SupportQuickReplyEntity)
        .set({
          title: () => ':title',
          body: () => ':body',
          shortcut: () => ':shortcut',
          shortcutKey: () => ':shortcutKey',
          position: () => ':position',
          updatedAt: () => ':updatedAt',
        })
        .where('id = :id'),
  }),
  delete: defineStatement({
    name: 'QuickReplyRepository.delete',
    shapes: [{}],
    build: (dataSource) => dataSource.createQueryBuilder().delete().from(SupportQuickReplyEntity).where('id = :id'),
  }),
};

/** Quick replies: the team's and each staff member's own. */
@Injectable()
export class QuickReplyRepository {
  private mapper: EntityMapper<SupportQuickReplyEntity> | undefined;

  constructor(private readonly db: ChatStatements) {}

  /** The team's replies and `userId`'s own, by position; `pattern` (lower case, LIKE-escaped with `!`) filters them. */
  async visibleTo(userId: string, pattern?: string): Promise<SupportQuickReplyEntity[]> {
    const rows = await this.db.cache.rows(
      QUICK_REPLY_STATEMENTS.visibleTo,
      { search: pattern !== undefined },
      { teamScope: TEAM_QUICK_REPLY_SCOPE, ownScope: personalQuickReplyScope(userId), pattern },
    );
    return rows.map((row) => this.entities.fromRow(row, 'q'));
  }

  async byId(id: string, manager?: EntityManager): Promise<SupportQuickReplyEntity | null> {
    const [row] = await this.db.cache.rows(QUICK_REPLY_STATEMENTS.byId, {}, { id }, manager);
    return row ? this.entities.fromRow(row, 'q') : null;
  }

  /** One more than the highest position in the scope (1 for the first reply). */
  async nextPosition(manager: EntityManager, ownerScope: string): Promise<number> {
    const [row] = await this.db.cache.rows<{ next: number | string | null }>(QUICK_REPLY_STATEMENTS.nextPosition, {}, { ownerScope }, manager);
    return Number(row?.next ?? 1);
  }

  async insert(manager: EntityManager, reply: SupportQuickReplyEntity): Promise<void> {
    await this.db.cache.execute(QUICK_REPLY_STATEMENTS.insert, {}, this.entities.insertParameters(reply), manager);
  }

  async update(manager: EntityManager, reply: SupportQuickReplyEntity): Promise<void> {
    const parameters = this.entities.insertParameters(reply);
    await this.db.cache.execute(QUICK_REPLY_STATEMENTS.update, {}, parameters, manager);
  }

  async delete(manager: EntityManager, id: string): Promise<void> {
    await this.db.cache.execute(QUICK_REPLY_STATEMENTS.delete, {}, { id }, manager);
  }

  private get entities(): EntityMapper<SupportQuickReplyEntity> {
    // Built on first use: the data source's metadata exists only once the host has initialised it.
    this.mapper ??= new EntityMapper(this.db.dataSource, SupportQuickReplyEntity);
    return this.mapper;
  }
}

import { Injectable } from '@nestjs/common';
import { Brackets, DataSource, EntityManager, SelectQueryBuilder } from 'typeorm';

import { SupportConversationEntity, SupportConversationParticipantEntity } from '../entities';
import { ChatStatements } from './chat-statements';
import { insertAllColumns } from './compiled-query';
import { defineStatement } from './statement-cache';

/** Whose conversations an inbox page lists; `unassigned` is the queue, oldest waiting first. */
export type InboxScope = 'candidate' | 'assigned' | 'all' | 'unassigned';
/** How the inbox search matches: not at all, on the subject, or on the subject or a matching candidate. */
export type InboxSearch = 'none' | 'subject' | 'subject or candidate';

export interface InboxFilter {
  scope: InboxScope;
  actorId: string;
  status?: string;
  search: InboxSearch;
  /** LIKE pattern (escaped with `!`) when `search` is not `none`. */
  pattern?: string;
  /** Candidate ids matching the search when `search` is `subject or candidate`. */
  matchIds?: string[];
  /** Staff only: conversations carrying this label. */
  labelId?: string;
  /** Staff only: the handling tier (`agent`, or `coordinator` once escalated). */
  tier?: string;
}

type FilterShape = { scope: InboxScope; status: boolean; search: InboxSearch; label: boolean; tier: boolean };
const FILTER_SHAPES: FilterShape[] = (['candidate', 'assigned', 'all', 'unassigned'] as const).flatMap((scope) =>
  [false, true].flatMap((status) =>
    (['none', 'subject', 'subject or candidate'] as const).flatMap((search) =>
      // Labels and tiers are staff-only: a candidate's list never filters by them.
      (scope === 'candidate' ? [false] : [false, true]).flatMap((label) =>
        (scope === 'candidate' ? [false] : [false, true]).map((tier) => ({ scope, status, search, label, tier })),
      ),
    ),
  ),
);

function filtered(dataSource: DataSource, shape: FilterShape): SelectQueryBuilder<SupportConversationEntity> {
  const builder = dataSource.createQueryBuilder(SupportConversationEntity, 'c');
  if (shape.scope === 'candidate') builder.where('c.candidate_user_id = :actorId');
  else if (shape.scope === 'assigned') builder.where('c.assigned_support_user_id = :actorId');
  else if (shape.scope === 'unassigned') builder.where('c.assigned_support_user_id IS NULL');
  if (shape.status) builder.andWhere('c.status = :status');
  if (shape.label) {
    builder.andWhere('EXISTS (SELECT 1 FROM support_conversation_labels cl WHERE cl.conversation_id = c.id AND cl.label_id = :labelId)');
  }
  if (shape.tier) builder.andWhere('c.handling_tier = :tier');
  if (shape.search !== 'none') {
    builder.andWhere(
      new Brackets((where) => {
        where.where("LOWER(c.subject) LIKE :pattern ESCAPE '!'");
        if (shape.search === 'subject or candidate') where.orWhere('c.candidate_user_id IN (:...matchIds)');
      }),
    );
  }
  return builder;
}

export const CONVERSATION_STATEMENTS = {
  byId: defineStatement({
    name: 'ConversationRepository.byId',
    shapes: [{}],
    build: (dataSource) => dataSource.createQueryBuilder(SupportConversationEntity, 'c').where('c.id = :id'),
  }),
  byIds: defineStatement({
    name: 'ConversationRepository.byIds',
    shapes: [{}],
    build: (dataSource) => dataSource.createQueryBuilder(SupportConversationEntity, 'c').where('c.id IN (:...ids)'),
  }),
  inboxPage: defineStatement<FilterShape & { perPage: number; offset: number }>({
    name: 'ConversationRepository.inboxPage',
    shapes: FILTER_SHAPES.map((shape) => ({ ...shape, perPage: 20, offset: 0 })).concat([
      { scope: 'all', status: false, search: 'none', label: false, tier: false, perPage: 20, offset: 20 },
    ]),
    // The page with the reader's own read marker (`my_read_seq`): the rows are also the page's version.
    // The unassigned queue lists the longest-waiting first (those with nothing waiting last, newest first).
    build: (dataSource, { perPage, offset, ...shape }) => {
      const query = filtered(dataSource, shape)
        .leftJoin(SupportConversationParticipantEntity, 'mine', 'mine.conversation_id = c.id AND mine.user_id = :actorId')
        .addSelect('mine.last_read_seq', 'my_read_seq');
      if (shape.scope === 'unassigned') {
        query
          .addSelect('CASE WHEN c.waiting_since IS NULL THEN 1 ELSE 0 END', 'not_waiting')
          .orderBy('not_waiting', 'ASC')
          .addOrderBy('c.waiting_since', 'ASC')
          .addOrderBy('c.last_message_at', 'DESC');
      } else {
        query.orderBy('c.last_message_at', 'DESC');
      }
      return query.addOrderBy('c.id', 'DESC').offset(offset).limit(perPage);
    },
  }),
  inboxCount: defineStatement<FilterShape>({
    name: 'ConversationRepository.inboxCount',
    shapes: FILTER_SHAPES,
    build: (dataSource, shape) => filtered(dataSource, shape).select('COUNT(*)', 'total'),
  }),
  countOpen: defineStatement({
    name: 'ConversationRepository.countOpenOfCandidate',
    shapes: [{}],
    build: (dataSource) =>
      dataSource
        .createQueryBuilder(SupportConversationEntity, 'c')
        .select('COUNT(*)', 'total')
        .where('c.candidate_user_id = :candidateUserId')
        .andWhere("c.status = 'open'"),
  }),
  insert: defineStatement({
    name: 'ConversationRepository.insert',
    shapes: [{}],
    build: (dataSource) => insertAllColumns(dataSource, SupportConversationEntity),
  }),
  update: defineStatement<{ assignment: boolean; priority: boolean }>({
    name: 'ConversationRepository.updateAssignmentAndPriority',
    shapes: [
      { assignment: true, priority: false },
      { assignment: false, priority: true },
      { assignment: true, priority: true },
    ],
    build: (dataSource, shape) =>
      dataSource
        .createQueryBuilder()
        .update(SupportConversationEntity)
        .set({
          ...(shape.assignment ? { assignedSupportUserId: () => ':assignedSupportUserId' } : {}),
          ...(shape.priority ? { priority: () => ':priority' } : {}),
          updatedAt: () => ':updatedAt',
        })
        .where('id = :id'),
  }),
  /** Transfer, escalation and return: who handles the conversation and at which tier. */
  handOff: defineStatement({
    name: 'ConversationRepository.handOff',
    shapes: [{}],
    build: (dataSource) =>
      dataSource
        .createQueryBuilder()
        .update(SupportConversationEntity)
        .set({
          assignedSupportUserId: () => ':assignedSupportUserId',
          handlingTier: () => ':handlingTier',
          escalatedAt: () => ':escalatedAt',
          updatedAt: () => ':updatedAt',
        })
        .where('id = :id'),
  }),
  /** Open conversations per assignee, for the given users (the staff picker): one grouped query. */
  openCountsByAssignee: defineStatement({
    name: 'ConversationRepository.openCountsByAssignee',
    shapes: [{}],
    build: (dataSource) =>
      dataSource
        .createQueryBuilder(SupportConversationEntity, 'c')
        .select('c.assigned_support_user_id', 'user_id')
        .addSelect('COUNT(*)', 'total')
        .where('c.assigned_support_user_id IN (:...userIds)')
        .andWhere("c.status = 'open'")
        .groupBy('c.assigned_support_user_id'),
  }),
  lock: defineStatement({
    name: 'ConversationRepository.lock',
    shapes: [{}],
    // A real row lock (FOR UPDATE; UPDLOCK on SQL Server). Not built on SQLite, where writes are serialised.
    build: (dataSource) => dataSource.createQueryBuilder(SupportConversationEntity, 'c').select('c.id', 'id').where('c.id = :id').setLock('pessimistic_write'),
  }),
  lockFirstOfCandidate: defineStatement({
    name: 'ConversationRepository.lockFirstOfCandidate',
    shapes: [{}],
    // One row per candidate that transactions counting their open conversations queue on (see the caller).
    build: (dataSource) =>
      dataSource
        .createQueryBuilder(SupportConversationEntity, 'c')
        .select('c.id', 'id')
        .where('c.candidate_user_id = :candidateUserId')
        .orderBy('c.created_at', 'ASC')
        .addOrderBy('c.id', 'ASC')
        .limit(1)
        .setLock('pessimistic_write'),
  }),
  // ---- Issue 17 part 1 (H17a) ----
  claimAutoReply: defineStatement({
    name: 'ConversationRepository.claimAutoReply',
    shapes: [{}],
    // A conditional UPDATE: of any number of instances and retries, exactly one changes the row per period.
    build: (dataSource) =>
      dataSource
        .createQueryBuilder()
        .update(SupportConversationEntity)
        .set({ autoReplyPeriod: () => ':period' })
        .where('id = :id')
        .andWhere('(auto_reply_period IS NULL OR auto_reply_period <> :period)'),
  }),
  recordRating: defineStatement({
    name: 'ConversationRepository.recordRating',
    shapes: [{}],
    build: (dataSource) =>
      dataSource
        .createQueryBuilder()
        .update(SupportConversationEntity)
        .set({ latestRating: () => ':rating', updatedAt: () => ':updatedAt' })
        .where('id = :id'),
  }),
  firstResponses: defineStatement<{ limit: number }>({
    name: 'ConversationRepository.firstResponses',
    shapes: [{ limit: 500 }],
    build: (dataSource, { limit }) =>
      dataSource
        .createQueryBuilder(SupportConversationEntity, 'c')
        .select('c.first_candidate_message_at', 'asked_at')
        .addSelect('c.first_response_at', 'answered_at')
        .where('c.first_response_at >= :since')
        .andWhere('c.first_candidate_message_at IS NOT NULL')
        .orderBy('c.first_response_at', 'DESC')
        .limit(limit),
  }),
};

/** First responses read for the expected reply time at most (the newest ones). */
export const FIRST_RESPONSE_SAMPLE_LIMIT = 500;

/** Ids per `IN (...)` list: stays well below SQL Server's 2100-parameter limit. */
const IN_CHUNK = 200;

/** Conversations and the inbox. */
@Injectable()
export class ConversationRepository {
  constructor(private readonly db: ChatStatements) {}

  async byId(id: string, manager?: EntityManager): Promise<SupportConversationEntity | null> {
    const [row] = await this.db.cache.rows(CONVERSATION_STATEMENTS.byId, {}, { id }, manager);
    return row ? this.db.conversations.fromRow(row, 'c') : null;
  }

  async byIds(ids: readonly string[]): Promise<SupportConversationEntity[]> {
    const found: SupportConversationEntity[] = [];
    for (let i = 0; i < ids.length; i += IN_CHUNK) {
      const rows = await this.db.cache.rows(CONVERSATION_STATEMENTS.byIds, {}, { ids: ids.slice(i, i + IN_CHUNK) });
      found.push(...rows.map((row) => this.db.conversations.fromRow(row, 'c')));
    }
    return found;
  }

  /**
   * One inbox page, raw (columns `c_<column>` and the reader's `my_read_seq`), and the total: an index
   * walk of one page and a count, whatever the number of conversations.
   */
  async inboxPage(filter: InboxFilter, page: { perPage: number; offset: number }): Promise<{ rows: Record<string, unknown>[]; total: number }> {
    const shape: FilterShape = {
      scope: filter.scope,
      status: filter.status !== undefined,
      search: filter.search,
      label: filter.labelId !== undefined,
      tier: filter.tier !== undefined,
    };
    const parameters = {
      actorId: filter.actorId,
      status: filter.status,
      pattern: filter.pattern,
      matchIds: filter.matchIds,
      labelId: filter.labelId,
      tier: filter.tier,
    };
    const [rows, [count]] = await Promise.all([
      this.db.cache.rows(CONVERSATION_STATEMENTS.inboxPage, { ...shape, ...page }, parameters),
      this.db.cache.rows<{ total: number | string }>(CONVERSATION_STATEMENTS.inboxCount, shape, parameters),
    ]);
    return { rows, total: Number(count?.total ?? 0) };
  }

  /** The entity of an `inboxPage` row. */
  fromInboxRow(row: Record<string, unknown>): SupportConversationEntity {
    return this.db.conversations.fromRow(row, 'c');
  }

  async countOpenOfCandidate(manager: EntityManager, candidateUserId: string): Promise<number> {
    const [row] = await this.db.cache.rows<{ total: number | string }>(CONVERSATION_STATEMENTS.countOpen, {}, { candidateUserId }, manager);
    return Number(row?.total ?? 0);
  }

  /**
   * Takes the row lock of the candidate's first conversation (none while they have none) until the
   * transaction ends: the one row per candidate that checks of their open conversations queue on.
   * SQLite needs none: its writes are serialised.
   */
  async lockFirstOfCandidate(manager: EntityManager, candidateUserId: string): Promise<void> {
    if (!this.db.hasRowLocks) return;
    await this.db.cache.rows(CONVERSATION_STATEMENTS.lockFirstOfCandidate, {}, { candidateUserId }, manager);
  }

  async insert(manager: EntityManager, conversation: SupportConversationEntity): Promise<void> {
    await this.db.cache.execute(CONVERSATION_STATEMENTS.insert, {}, this.db.conversations.insertParameters(conversation), manager);
  }

  async updateAssignmentAndPriority(
    manager: EntityManager,
    id: string,
    patch: Partial<Pick<SupportConversationEntity, 'assignedSupportUserId' | 'priority'>>,
    updatedAt: Date,
  ): Promise<void> {
    const shape = { assignment: 'assignedSupportUserId' in patch, priority: 'priority' in patch };
    await this.db.cache.execute(
      CONVERSATION_STATEMENTS.update,
      shape,
      {
        id,
        assignedSupportUserId: patch.assignedSupportUserId ?? null,
        priority: patch.priority,
        updatedAt: this.db.conversations.toColumnValue('updatedAt', updatedAt),
      },
      manager,
    );
  }

  /** Sets who handles the conversation (`null`: nobody), the tier and when it was escalated. */
  async handOff(
    manager: EntityManager,
    id: string,
    handling: Pick<SupportConversationEntity, 'assignedSupportUserId' | 'handlingTier' | 'escalatedAt'>,
    updatedAt: Date,
  ): Promise<void> {
    await this.db.cache.execute(
      CONVERSATION_STATEMENTS.handOff,
      {},
      {
        id,
        assignedSupportUserId: handling.assignedSupportUserId,
        handlingTier: handling.handlingTier,
        escalatedAt: handling.escalatedAt && this.db.conversations.toColumnValue('escalatedAt', handling.escalatedAt),
        updatedAt: this.db.conversations.toColumnValue('updatedAt', updatedAt),
      },
      manager,
    );
  }

  /** How many open conversations each of the users handles (users with none are absent). */
  async openCountsByAssignee(userIds: readonly string[]): Promise<Map<string, number>> {
    const counts = new Map<string, number>();
    for (let i = 0; i < userIds.length; i += IN_CHUNK) {
      const rows = await this.db.cache.rows<{ user_id: string; total: number | string }>(
        CONVERSATION_STATEMENTS.openCountsByAssignee,
        {},
        { userIds: userIds.slice(i, i + IN_CHUNK) },
      );
      for (const row of rows) counts.set(row.user_id, Number(row.total));
    }
    return counts;
  }

  /**
   * Claims the automatic reply of a closed period (`periodKey`) for the conversation: true for exactly
   * one caller per conversation and period, whatever the instances and retries (the row's UPDATE is
   * the arbiter).
   */
  async claimAutoReply(manager: EntityManager, id: string, periodKey: string): Promise<boolean> {
    return (await this.db.cache.execute(CONVERSATION_STATEMENTS.claimAutoReply, {}, { id, period: periodKey }, manager)) > 0;
  }

  /** Keeps the latest rating on the conversation (and moves `updated_at`, the row's version in list ETags). */
  async recordRating(manager: EntityManager, id: string, rating: number, updatedAt: Date): Promise<void> {
    await this.db.cache.execute(
      CONVERSATION_STATEMENTS.recordRating,
      {},
      { id, rating, updatedAt: this.db.conversations.toColumnValue('updatedAt', updatedAt) },
      manager,
    );
  }

  /** The newest first responses since `since` (when the candidate first wrote, when staff first answered), at most `FIRST_RESPONSE_SAMPLE_LIMIT`. */
  async firstResponsesSince(since: Date): Promise<{ askedAt: Date; answeredAt: Date }[]> {
    const rows = await this.db.cache.rows<{ asked_at: unknown; answered_at: unknown }>(
      CONVERSATION_STATEMENTS.firstResponses,
      { limit: FIRST_RESPONSE_SAMPLE_LIMIT },
      { since: this.db.conversations.toColumnValue('firstResponseAt', since) },
    );
    return rows.map((row) => ({
      askedAt: this.db.conversations.dateOf('firstCandidateMessageAt', row.asked_at),
      answeredAt: this.db.conversations.dateOf('firstResponseAt', row.answered_at),
    }));
  }

  /**
   * Takes the conversation's row lock until the transaction ends, so that what follows runs one
   * transaction at a time per conversation. SQLite needs none: its writes are serialised.
   */
  async lock(manager: EntityManager, id: string): Promise<void> {
    if (!this.db.hasRowLocks) return;
    await this.db.cache.rows(CONVERSATION_STATEMENTS.lock, {}, { id }, manager);
  }
}

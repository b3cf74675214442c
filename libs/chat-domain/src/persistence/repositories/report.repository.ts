import { Injectable } from '@nestjs/common';

import { type ConversationStatus } from '../../domain/conversation-status';
import { SupportConversationEntity, SupportConversationLabelEntity, SupportLabelEntity } from '../entities';
import { ChatStatements } from './chat-statements';
import { EntityMapper } from './compiled-query';
import { defineStatement } from './statement-cache';

/**
 * The reports read only the values maintained on write on each conversation row (first response,
 * resolution, latest rating, last message seq, waiting since): never the messages.
 */
export const REPORT_STATEMENTS = {
  inRange: defineStatement({
    name: 'ReportRepository.inRange',
    shapes: [{}],
    build: (dataSource) => {
      // PostgreSQL: the instants as UTC text in SQLite's own format (`utcText` reads it), which the client
      // parses several times faster than the driver's `timestamptz` to Date; the same milliseconds (truncated).
      const instant = (column: string) =>
        dataSource.options.type === 'postgres' ? `to_char(c.${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.MS')` : `c.${column}`;
      return dataSource
        .createQueryBuilder(SupportConversationEntity, 'c')
        .select('c.id', 'id')
        .addSelect('c.status', 'status')
        .addSelect('c.assigned_support_user_id', 'assigned_support_user_id')
        .addSelect(instant('created_at'), 'created_at')
        .addSelect(instant('first_candidate_message_at'), 'first_candidate_message_at')
        .addSelect(instant('first_response_at'), 'first_response_at')
        .addSelect(instant('resolved_at'), 'resolved_at')
        .addSelect('c.latest_rating', 'latest_rating')
        .addSelect('c.last_message_seq', 'last_message_seq')
        .where('((c.created_at >= :from AND c.created_at < :to) OR (c.resolved_at >= :from AND c.resolved_at < :to))');
    },
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
  labelsInRange: defineStatement({
    name: 'ReportRepository.labelsInRange',
    shapes: [{}],
    // The conversations of `conversationsInRange` and `backlog`, joined here rather than listed as ids.
    build: (dataSource) =>
      dataSource
        .createQueryBuilder(SupportConversationLabelEntity, 'cl')
        .innerJoin(SupportLabelEntity, 'l', 'l.id = cl.label_id')
        .innerJoin(SupportConversationEntity, 'c', 'c.id = cl.conversation_id')
        .select('cl.conversation_id', 'conversation_id')
        .addSelect('l.id', 'label_id')
        .addSelect('l.name', 'label_name')
        .where("((c.created_at >= :from AND c.created_at < :to) OR (c.resolved_at >= :from AND c.resolved_at < :to) OR c.status = 'open')"),
  }),
};

/** What the reports read of a conversation (the values maintained on write). */
export interface ReportConversationRow {
  id: string;
  status: ConversationStatus;
  assignedSupportUserId: string | null;
  createdAt: Date;
  firstCandidateMessageAt: Date | null;
  firstResponseAt: Date | null;
  resolvedAt: Date | null;
  latestRating: number | null;
  lastMessageSeq: number;
}

interface RawFigureRow {
  id: string;
  status: ConversationStatus;
  assigned_support_user_id: string | null;
  created_at: unknown;
  first_candidate_message_at: unknown;
  first_response_at: unknown;
  resolved_at: unknown;
  latest_rating: number | string | null;
  last_message_seq: number | string;
}

export interface BacklogRow {
  id: string;
  assignedSupportUserId: string | null;
  waitingSince: Date | null;
}

@Injectable()
export class ReportRepository {
  private mapper: EntityMapper<SupportConversationEntity> | undefined;

  constructor(private readonly db: ChatStatements) {}

  /**
   * Conversations created in `[from, to)` or resolved in it: only the columns the figures use, as raw
   * values (hydrating whole entities was most of a report's time).
   */
  async conversationsInRange(from: Date, to: Date): Promise<ReportConversationRow[]> {
    const mapper = this.conversations();
    const parameters = { from: mapper.toColumnValue('createdAt', from), to: mapper.toColumnValue('createdAt', to) };
    const date = (raw: unknown) => (raw === null || raw === undefined ? null : (utcText(raw) ?? mapper.dateOf('createdAt', raw)));
    const rows = await this.db.cache.rows<RawFigureRow>(REPORT_STATEMENTS.inRange, {}, parameters);
    return rows.map((row) => ({
      id: row.id,
      status: row.status,
      assignedSupportUserId: row.assigned_support_user_id,
      createdAt: date(row.created_at)!,
      firstCandidateMessageAt: date(row.first_candidate_message_at),
      firstResponseAt: date(row.first_response_at),
      resolvedAt: date(row.resolved_at),
      // Some drivers return integers as strings; the columns are int.
      latestRating: row.latest_rating === null ? null : Number(row.latest_rating),
      lastMessageSeq: Number(row.last_message_seq),
    }));
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

  /** The labels of each conversation `conversationsInRange(from, to)` or `backlog()` returns, by conversation id. */
  async labelsInRange(from: Date, to: Date): Promise<Map<string, { id: string; name: string }[]>> {
    const parameters = { from: this.conversations().toColumnValue('createdAt', from), to: this.conversations().toColumnValue('createdAt', to) };
    const labels = new Map<string, { id: string; name: string }[]>();
    const rows = await this.db.cache.rows<{ conversation_id: string; label_id: string; label_name: string }>(REPORT_STATEMENTS.labelsInRange, {}, parameters);
    for (const row of rows) {
      const list = labels.get(row.conversation_id) ?? [];
      list.push({ id: row.label_id, name: row.label_name });
      labels.set(row.conversation_id, list);
    }
    return labels;
  }

  private conversations(): EntityMapper<SupportConversationEntity> {
    this.mapper ??= new EntityMapper(this.db.dataSource, SupportConversationEntity);
    return this.mapper;
  }
}

/**
 * The text SQLite stores for a `datetime` (`2026-11-30 18:05:09.123`, UTC; PostgreSQL's `inRange` writes the
 * same) read without `new Date(text)`, which is several times slower over a report's thousands of
 * instants; null for any other value (the driver converts it).
 */
function utcText(raw: unknown): Date | null {
  if (
    typeof raw !== 'string' ||
    raw.length !== 23 ||
    raw[4] !== '-' ||
    raw[7] !== '-' ||
    raw[10] !== ' ' ||
    raw[13] !== ':' ||
    raw[16] !== ':' ||
    raw[19] !== '.'
  )
    return null;
  const year = digits(raw, 0, 4);
  const time = Date.UTC(year, digits(raw, 5, 2) - 1, digits(raw, 8, 2), digits(raw, 11, 2), digits(raw, 14, 2), digits(raw, 17, 2), digits(raw, 20, 3));
  return Number.isNaN(time) || year < 100 ? null : new Date(time);
}

/** The decimal number written at `raw[at, at + length)`, NaN for any non-digit (slicing and Number() per field cost as much as the parse this replaces). */
function digits(raw: string, at: number, length: number): number {
  let value = 0;
  for (let i = at; i < at + length; i++) {
    const digit = raw.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return Number.NaN;
    value = value * 10 + digit;
  }
  return value;
}

import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';

import { ConversationStatus } from '../../domain/conversation-status';
import { MessageType, STAFF_ONLY_MESSAGE_TYPES } from '../../domain/message-type';
import { ChatErrors } from '../../errors/chat-error';
import { SupportConversationEntity, SupportMessageEntity } from '../entities';
import { ChatStatements } from './chat-statements';
import { insertAllColumns } from './compiled-query';
import { ConversationRepository } from './conversation.repository';
import { ParticipantRepository } from './participant.repository';
import { ReadStateRepository } from './read-state.repository';
import { defineStatement } from './statement-cache';

/** Who writes a timeline entry: a candidate's or staff's message, a `system` line, or staff's internal `note`. */
export type EntryAuthor = 'candidate' | 'staff' | 'system' | 'note';

/** Whose view of the timeline a read serves: candidates never see staff-only entries (notes). */
export type TimelineReader = 'candidate' | 'staff';

/** `AND`-able SQL that keeps only the entries a candidate may see, for the alias `m`. */
const CANDIDATE_VISIBLE = `m.message_type NOT IN (${STAFF_ONLY_MESSAGE_TYPES.map((type) => `'${type}'`).join(', ')})`;

export interface NewTimelineEntry {
  messageType: MessageType;
  content: string | null;
  clientMessageId: string;
  attachment: { url: string; name: string | null; mimeType: string; sizeBytes: number } | null;
  /** A `system` line may change the conversation's status in the same statement. */
  status?: ConversationStatus;
  /**
   * A candidate's message sent outside business hours: marks the conversation as arrived outside hours
   * when it is their first (`arrived_outside_hours`).
   */
  outsideHours?: boolean;
}

export interface AppendedEntry {
  conversation: SupportConversationEntity;
  message: SupportMessageEntity;
}

export const TIMELINE_STATEMENTS = {
  /**
   * Allocates the next `seq`: increments the conversation's counters in one UPDATE, which on server
   * databases also takes the conversation's row lock until commit (so `seq` is unique and gap-free, and
   * the first staff reply assigns exactly one agent). Messages need a conversation that is not closed;
   * `system` lines (status changes) do not.
   */
  allocateSeq: defineStatement<{ author: EntryAuthor; setsStatus: boolean }>({
    name: 'TimelineRepository.allocateSeq',
    shapes: [
      { author: 'candidate', setsStatus: false },
      { author: 'staff', setsStatus: false },
      { author: 'system', setsStatus: false },
      { author: 'system', setsStatus: true },
      { author: 'note', setsStatus: false },
    ],
    build: (dataSource, { author, setsStatus }) => {
      // An internal note only takes the next `seq`: the candidate's view (visible seq, times, counters,
      // waiting time, assignment) stays exactly as it was.
      if (author === 'note') {
        return dataSource
          .createQueryBuilder()
          .update(SupportConversationEntity)
          .set({ lastMessageSeq: () => 'last_message_seq + 1' })
          .where('id = :conversationId');
      }
      const update = dataSource
        .createQueryBuilder()
        .update(SupportConversationEntity)
        // Key order matters on MySQL, which evaluates assignments left to right: the role counters read
        // `last_message_seq` before it is incremented, and `waiting_since` reads the unanswered count
        // before it changes, as every other database does.
        .set({
          // Issue 17 bookkeeping (first arrival, first response, resolutions), before the counters they read.
          ...(author === 'staff'
            ? { firstResponseAt: () => 'CASE WHEN first_response_at IS NULL AND last_candidate_message_seq > 0 THEN :now ELSE first_response_at END' }
            : author === 'candidate'
              ? {
                  firstCandidateMessageAt: () => 'COALESCE(first_candidate_message_at, :now)',
                  arrivedOutsideHours: () => 'CASE WHEN last_candidate_message_seq = 0 THEN :outsideHours ELSE arrived_outside_hours END',
                }
              : {}),
          ...(setsStatus
            ? {
                resolutionCount: () => "CASE WHEN :resolves = 1 AND status = 'open' THEN resolution_count + 1 ELSE resolution_count END",
                resolvedAt: () => "CASE WHEN :resolves = 1 AND status = 'open' THEN :now ELSE resolved_at END",
              }
            : {}),
          ...(author === 'staff'
            ? {
                lastStaffMessageSeq: () => 'last_message_seq + 1',
                waitingSince: () => 'NULL',
                unansweredCandidateMessages: () => '0',
                assignedSupportUserId: () => 'COALESCE(assigned_support_user_id, :senderId)',
              }
            : author === 'candidate'
              ? {
                  lastCandidateMessageSeq: () => 'last_message_seq + 1',
                  waitingSince: () => 'CASE WHEN unanswered_candidate_messages = 0 THEN :now ELSE waiting_since END',
                  unansweredCandidateMessages: () => 'unanswered_candidate_messages + 1',
                }
              : {}),
          ...(setsStatus ? { status: () => ':status' } : {}),
          lastVisibleMessageSeq: () => 'last_message_seq + 1',
          lastMessageSeq: () => 'last_message_seq + 1',
          lastMessageAt: () => ':now',
          updatedAt: () => ':now',
        })
        .where('id = :conversationId');
      return author === 'system' ? update : update.andWhere("status <> 'closed'");
    },
  }),
  insert: defineStatement({
    name: 'TimelineRepository.insert',
    shapes: [{}],
    build: (dataSource) => insertAllColumns(dataSource, SupportMessageEntity),
  }),
  byClientId: defineStatement({
    name: 'TimelineRepository.byClientMessageId',
    shapes: [{}],
    build: (dataSource) =>
      dataSource.createQueryBuilder(SupportMessageEntity, 'm').where('m.sender_user_id = :senderUserId').andWhere('m.client_message_id = :clientMessageId'),
  }),
  range: defineStatement<{ writtenSince: boolean; reader: TimelineReader }>({
    name: 'TimelineRepository.range',
    shapes: [
      { writtenSince: false, reader: 'staff' },
      { writtenSince: true, reader: 'staff' },
      { writtenSince: false, reader: 'candidate' },
    ],
    build: (dataSource, { writtenSince, reader }) => {
      const query = dataSource
        .createQueryBuilder(SupportMessageEntity, 'm')
        .where('m.conversation_id = :conversationId')
        .andWhere('m.seq BETWEEN :fromSeq AND :toSeq');
      if (reader === 'candidate') query.andWhere(CANDIDATE_VISIBLE);
      if (writtenSince) query.andWhere('m.created_at >= :writtenSince');
      return query.orderBy('m.seq', 'ASC');
    },
  }),
  position: defineStatement<{ by: 'id' | 'seq'; reader: TimelineReader }>({
    name: 'TimelineRepository.position',
    shapes: [
      { by: 'id', reader: 'staff' },
      { by: 'seq', reader: 'staff' },
      { by: 'id', reader: 'candidate' },
    ],
    build: (dataSource, { by, reader }) => {
      const query = dataSource
        .createQueryBuilder(SupportMessageEntity, 'm')
        .select('m.id', 'id')
        .addSelect('m.seq', 'seq')
        .where('m.conversation_id = :conversationId')
        .andWhere(by === 'id' ? 'm.id = :id' : 'm.seq = :seq');
      return reader === 'candidate' ? query.andWhere(CANDIDATE_VISIBLE) : query;
    },
  }),
  lastEntries: defineStatement<{ reader: TimelineReader }>({
    name: 'TimelineRepository.lastEntries',
    shapes: [{ reader: 'staff' }, { reader: 'candidate' }],
    // Candidates' preview is the newest entry they see: the pointer kept on write, no scan past notes.
    build: (dataSource, { reader }) =>
      dataSource
        .createQueryBuilder(SupportMessageEntity, 'm')
        .innerJoin(
          SupportConversationEntity,
          'c',
          `c.id = m.conversation_id AND m.seq = ${reader === 'candidate' ? 'c.last_visible_message_seq' : 'c.last_message_seq'}`,
        )
        .where('m.conversation_id IN (:...conversationIds)'),
  }),
  /** Entries after a position, for `conversations` conversations at once (`:c<i>`, `:s<i>`). */
  after: defineStatement<{ conversations: number }>({
    name: 'TimelineRepository.after',
    shapes: [{ conversations: 1 }, { conversations: 2 }],
    build: (dataSource, { conversations }) =>
      dataSource
        .createQueryBuilder(SupportMessageEntity, 'm')
        .where(`(${Array.from({ length: conversations }, (_, index) => `(m.conversation_id = :c${index} AND m.seq > :s${index})`).join(' OR ')})`)
        .orderBy('m.conversation_id', 'ASC')
        .addOrderBy('m.seq', 'ASC'),
  }),
};

/** Conversations per `after` statement. */
const AFTER_CHUNK = 50;

/** A conversation's timeline: messages and `system` lines, appended through one path. */
@Injectable()
export class TimelineRepository {
  constructor(
    private readonly db: ChatStatements,
    private readonly conversations: ConversationRepository,
    private readonly participants: ParticipantRepository,
    private readonly readState: ReadStateRepository,
  ) {}

  /**
   * Appends one entry inside the caller's transaction: allocates its `seq` (see `allocateSeq`), reads
   * the updated conversation and inserts the entry. A message also moves its author's read marker to it
   * (writing means having read), making the author a participant on their first message.
   */
  async append(
    manager: EntityManager,
    conversationId: string,
    author: { id: string; kind: 'candidate' | 'staff' },
    entry: NewTimelineEntry,
  ): Promise<AppendedEntry> {
    const now = new Date();
    const system = entry.messageType === 'system';
    const note = entry.messageType === 'note';
    const affected = await this.db.cache.execute(
      TIMELINE_STATEMENTS.allocateSeq,
      { author: system ? 'system' : note ? 'note' : author.kind, setsStatus: entry.status !== undefined },
      {
        conversationId,
        senderId: author.id,
        status: entry.status,
        // A move from open into resolved or closed counts one resolution (`resolution_count`, `resolved_at`).
        resolves: entry.status === 'resolved' || entry.status === 'closed' ? 1 : 0,
        outsideHours: entry.outsideHours ? 1 : 0,
        now: this.db.conversations.toColumnValue('lastMessageAt', now),
      },
      manager,
    );
    if (!affected) throw system || note ? ChatErrors.conversationNotFound() : ChatErrors.conversationClosed();

    const conversation = await this.conversations.byId(conversationId, manager);
    if (!conversation) throw ChatErrors.conversationNotFound();
    const message = Object.assign(new SupportMessageEntity(), {
      id: randomUUID(),
      conversationId,
      seq: conversation.lastMessageSeq,
      clientMessageId: entry.clientMessageId,
      senderUserId: author.id,
      content: entry.content,
      messageType: entry.messageType,
      attachmentUrl: entry.attachment?.url ?? null,
      attachmentName: entry.attachment?.name ?? null,
      attachmentMimeType: entry.attachment?.mimeType ?? null,
      attachmentSizeBytes: entry.attachment?.sizeBytes ?? null,
      createdAt: now,
      editedAt: null,
    });
    await this.db.cache.execute(TIMELINE_STATEMENTS.insert, {}, this.db.messages.insertParameters(message), manager);
    if (!system) {
      // The marker is always behind the new `seq`, so it moves unless the author has no participant row yet.
      if (!(await this.readState.advanceMarker(manager, conversationId, author.id, message, now))) {
        await this.participants.ensure(manager, conversationId, author, now);
        await this.readState.advanceMarker(manager, conversationId, author.id, message, now);
      }
    }
    return { conversation, message };
  }

  /** The sender's message with this idempotency key, in whatever conversation. */
  async byClientMessageId(senderUserId: string, clientMessageId: string, manager?: EntityManager): Promise<SupportMessageEntity | null> {
    const [row] = await this.db.cache.rows(TIMELINE_STATEMENTS.byClientId, {}, { senderUserId, clientMessageId }, manager);
    return row ? this.db.messages.fromRow(row, 'm') : null;
  }

  /**
   * A range of a conversation's timeline by `seq` (both ends included), in order; only the entries
   * written at or after `writtenSince` when given.
   */
  async range(
    conversationId: string,
    fromSeq: number,
    toSeq: number,
    options: { writtenSince?: Date; manager?: EntityManager; reader?: TimelineReader } = {},
  ): Promise<SupportMessageEntity[]> {
    const { writtenSince, manager, reader = 'staff' } = options;
    if (reader === 'candidate' && writtenSince) throw new Error('A candidate range has no writtenSince shape');
    const rows = await this.db.cache.rows(
      TIMELINE_STATEMENTS.range,
      { writtenSince: writtenSince !== undefined, reader },
      { conversationId, fromSeq, toSeq, writtenSince: writtenSince && this.db.messages.toColumnValue('createdAt', writtenSince) },
      manager,
    );
    return rows.map((row) => this.db.messages.fromRow(row, 'm'));
  }

  /** The id and `seq` of a conversation's entry, by id or by `seq`; by id, a candidate finds only what they see. */
  async position(conversationId: string, by: { id: string } | { seq: number }, reader: TimelineReader = 'staff'): Promise<{ id: string; seq: number } | null> {
    const [row] = await this.db.cache.rows<{ id: string; seq: number | string }>(
      TIMELINE_STATEMENTS.position,
      { by: 'id' in by ? 'id' : 'seq', reader: 'id' in by ? reader : 'staff' },
      { conversationId, ...by },
    );
    return row ? { id: row.id, seq: Number(row.seq) } : null;
  }

  /** Each conversation's newest entry the reader sees (the inbox preview). */
  async lastEntries(conversationIds: readonly string[], reader: TimelineReader = 'staff'): Promise<Map<string, SupportMessageEntity>> {
    if (conversationIds.length === 0) return new Map();
    const rows = await this.db.cache.rows(TIMELINE_STATEMENTS.lastEntries, { reader }, { conversationIds });
    return new Map(rows.map((row) => this.db.messages.fromRow(row, 'm')).map((message) => [message.conversationId, message]));
  }

  /** The entries after the given `seq` of each conversation, by conversation then `seq`. */
  async after(positions: readonly { conversationId: string; afterSeq: number }[]): Promise<SupportMessageEntity[]> {
    const messages: SupportMessageEntity[] = [];
    for (let i = 0; i < positions.length; i += AFTER_CHUNK) {
      const chunk = positions.slice(i, i + AFTER_CHUNK);
      const parameters: Record<string, string | number> = {};
      chunk.forEach(({ conversationId, afterSeq }, index) => {
        parameters[`c${index}`] = conversationId;
        parameters[`s${index}`] = afterSeq;
      });
      const rows = await this.db.cache.rows(TIMELINE_STATEMENTS.after, { conversations: chunk.length }, parameters);
      messages.push(...rows.map((row) => this.db.messages.fromRow(row, 'm')));
    }
    return messages;
  }
}

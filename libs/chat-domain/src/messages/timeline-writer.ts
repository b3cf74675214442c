import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';

import { ChatActor } from '../auth/chat-actor';
import { ConversationStatus } from '../conversations/conversation-status';
import { ChatErrors } from '../errors/chat-error';
import { ChatRecords } from '../persistence/chat-records';
import { CompiledQuery } from '../persistence/compiled-query';
import { SupportConversationEntity, SupportConversationParticipantEntity, SupportMessageEntity } from '../persistence/entities';
import { CHAT_DATA_SOURCE } from '../persistence/tokens';
import { MessageType } from './message-type';

export interface NewMessage {
  messageType: Exclude<MessageType, 'system'>;
  content: string | null;
  clientMessageId: string;
  attachment: { url: string; name: string | null; mimeType: string; sizeBytes: number } | null;
}

export interface AppendedMessage {
  conversation: SupportConversationEntity;
  message: SupportMessageEntity;
}

/**
 * Appends entries to a conversation's timeline inside the caller's transaction.
 *
 * The first statement is an UPDATE of the conversation row that increments its counter. On server
 * databases that UPDATE takes the row lock, so everything after it, for the same conversation, runs
 * one transaction at a time: `seq` is unique and gap-free (a rollback undoes the increment), the first
 * staff reply assigns exactly one agent, and participant rows are created once.
 */
@Injectable()
export class TimelineWriter {
  constructor(
    @Inject(CHAT_DATA_SOURCE) private readonly dataSource: DataSource,
    private readonly records: ChatRecords,
  ) {}

  async appendMessage(manager: EntityManager, conversationId: string, sender: ChatActor, message: NewMessage): Promise<AppendedMessage> {
    const now = new Date();
    const affected = await this.countMessage(sender.kind).execute(
      { conversationId, senderId: sender.id, now: this.records.conversations.toColumnValue('lastMessageAt', now) },
      manager,
    );
    if (!affected) throw ChatErrors.conversationClosed();

    const conversation = await this.records.conversationById(conversationId, manager);
    if (!conversation) throw ChatErrors.conversationNotFound();
    const entity = Object.assign(new SupportMessageEntity(), {
      id: randomUUID(),
      conversationId,
      seq: conversation.lastMessageSeq,
      clientMessageId: message.clientMessageId,
      senderUserId: sender.id,
      content: message.content,
      messageType: message.messageType,
      attachmentUrl: message.attachment?.url ?? null,
      attachmentName: message.attachment?.name ?? null,
      attachmentMimeType: message.attachment?.mimeType ?? null,
      attachmentSizeBytes: message.attachment?.sizeBytes ?? null,
      createdAt: now,
      editedAt: null,
    });
    await this.records.messages.insert(entity, manager);
    // Writing a message means having read the conversation up to it. The marker is always behind the new
    // `seq`, so it moves unless the sender has no participant row yet (their first message): then they join.
    if (!(await this.advanceReadMarker(manager, conversationId, sender.id, entity, now))) {
      await this.ensureParticipant(manager, conversationId, sender, now);
      await this.advanceReadMarker(manager, conversationId, sender.id, entity, now);
    }
    return { conversation, message: entity };
  }

  /**
   * The UPDATE that gives a new message its `seq`: it increments the conversation's counter (and the
   * sender role's), unless the conversation is closed.
   */
  private countMessage(kind: ChatActor['kind']): CompiledQuery {
    return this.records.statement(`count ${kind} message`, () =>
      this.dataSource
        .createQueryBuilder()
        .update(SupportConversationEntity)
        // Key order matters on MySQL, which evaluates assignments left to right: the role counters read
        // `last_message_seq` before it is incremented, as every other database does.
        .set({
          ...(kind === 'staff'
            ? {
                lastStaffMessageSeq: () => 'last_message_seq + 1',
                unansweredCandidateMessages: () => '0',
                assignedSupportUserId: () => 'COALESCE(assigned_support_user_id, :senderId)',
              }
            : { lastCandidateMessageSeq: () => 'last_message_seq + 1', unansweredCandidateMessages: () => 'unanswered_candidate_messages + 1' }),
          lastMessageSeq: () => 'last_message_seq + 1',
          lastMessageAt: () => ':now',
          updatedAt: () => ':now',
        })
        .where('id = :conversationId')
        .andWhere("status <> 'closed'"),
    );
  }

  /** Records a status change (or another event) as a `system` entry; closed conversations accept these. */
  async appendSystemMessage(
    manager: EntityManager,
    conversationId: string,
    actor: ChatActor,
    content: string,
    change: { status?: ConversationStatus } = {},
  ): Promise<AppendedMessage> {
    const now = new Date();
    const { affected } = await manager
      .createQueryBuilder()
      .update(SupportConversationEntity)
      .set({ ...(change.status ? { status: change.status } : {}), lastMessageSeq: () => 'last_message_seq + 1', lastMessageAt: now, updatedAt: now })
      .where('id = :conversationId', { conversationId })
      .execute();
    if (!affected) throw ChatErrors.conversationNotFound();

    const conversation = await this.records.conversationById(conversationId, manager);
    if (!conversation) throw ChatErrors.conversationNotFound();
    const entity = Object.assign(new SupportMessageEntity(), {
      id: randomUUID(),
      conversationId,
      seq: conversation.lastMessageSeq,
      clientMessageId: randomUUID(),
      senderUserId: actor.id,
      content,
      messageType: 'system',
      attachmentUrl: null,
      attachmentName: null,
      attachmentMimeType: null,
      attachmentSizeBytes: null,
      createdAt: now,
      editedAt: null,
    });
    await this.records.messages.insert(entity, manager);
    return { conversation, message: entity };
  }

  /** Adds the user as a participant if they are not one yet (staff join when they first act). */
  async ensureParticipant(manager: EntityManager, conversationId: string, user: Pick<ChatActor, 'id' | 'kind'>, now: Date): Promise<void> {
    if (await manager.existsBy(SupportConversationParticipantEntity, { conversationId, userId: user.id })) return;
    // Portability fix (found on PostgreSQL): a read (`POST /read`) and a send by the same user could both
    // see "no participant" and both insert; the loser hit the unique key, and on PostgreSQL that aborts
    // the whole send transaction (a 500). Take the conversation's row lock first, as the send path does
    // (a no-op UPDATE locks on every dialect, SQLite included), then look again: under READ COMMITTED the
    // second look sees the row the lock holder committed.
    await manager
      .createQueryBuilder()
      .update(SupportConversationEntity)
      .set({ lastMessageSeq: () => 'last_message_seq' })
      .where('id = :conversationId', { conversationId })
      .execute();
    if (await manager.existsBy(SupportConversationParticipantEntity, { conversationId, userId: user.id })) return;
    await manager.insert(SupportConversationParticipantEntity, {
      id: randomUUID(),
      conversationId,
      userId: user.id,
      participantRole: user.kind === 'staff' ? 'support' : 'candidate',
      joinedAt: now,
      lastReadAt: null,
      lastReadMessageId: null,
      lastReadSeq: 0,
    });
  }

  /** Moves a read marker forward to `message`; never backwards. Returns whether it moved. */
  async advanceReadMarker(
    manager: EntityManager,
    conversationId: string,
    userId: string,
    message: Pick<SupportMessageEntity, 'id' | 'seq'>,
    now: Date,
  ): Promise<boolean> {
    const moved = await this.records
      .statement('advance read marker', () =>
        this.dataSource
          .createQueryBuilder()
          .update(SupportConversationParticipantEntity)
          .set({ lastReadSeq: () => ':seq', lastReadMessageId: () => ':messageId', lastReadAt: () => ':now' })
          .where('conversation_id = :conversationId AND user_id = :userId AND last_read_seq < :seq'),
      )
      .execute({ conversationId, userId, seq: message.seq, messageId: message.id, now: this.records.participants.toColumnValue('lastReadAt', now) }, manager);
    return moved > 0;
  }
}

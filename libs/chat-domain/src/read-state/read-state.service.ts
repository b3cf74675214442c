import { HttpStatus, Injectable } from '@nestjs/common';

import { ChatActor, isSupervisor } from '../auth/chat-actor';
import { ConversationsService } from '../conversations/conversations.service';
import { ChatError, ChatErrorCode } from '../errors/chat-error';
import { ChatEventBus } from '../events/chat-events';
import { ReadMarkerListDto, ReadStateDto, UnreadCountDto, isoOrNull } from '../messages/dto/message-response.dto';
import { ChatTransactions, isUniqueViolation } from '../persistence/chat-transactions';
import { ParticipantRepository, ReadMarker, ReadStateRepository, TimelineRepository } from '../persistence/repositories';
import { MarkReadDto } from './dto/mark-read.dto';

@Injectable()
export class ReadStateService {
  constructor(
    private readonly transactions: ChatTransactions,
    private readonly timeline: TimelineRepository,
    private readonly participants: ParticipantRepository,
    private readonly readState: ReadStateRepository,
    private readonly conversations: ConversationsService,
    private readonly events: ChatEventBus,
  ) {}

  /**
   * Moves the caller's read marker forward (never backwards) and returns it with the unread count.
   *
   * Only what must change is written: clients mark a conversation read each time they show it, mostly
   * with nothing new, and such a call writes nothing and opens no transaction. The marker is read before
   * the conversation, so a marker already at the conversation's newest entry proves nothing is unread
   * (markers only move forward) and the count is not run either.
   */
  async markRead(actor: ChatActor, conversationId: string, input: MarkReadDto): Promise<ReadStateDto> {
    // Null until the caller takes part (staff join when they first act); supervisors never do.
    const before = isSupervisor(actor) ? null : await this.readState.marker(conversationId, actor.id);
    const conversation = await this.conversations.findVisible(actor, conversationId);
    if (isSupervisor(actor)) return this.supervisorReadState(conversationId, input);
    const readSeq = before?.lastReadSeq ?? 0;
    // A candidate reads up to the newest entry they see: their marker never names an internal note.
    const newest = actor.kind === 'staff' ? conversation.lastMessageSeq : conversation.lastVisibleMessageSeq;
    const target = input.last_message_id
      ? await this.timeline.position(conversationId, { id: input.last_message_id }, actor.kind)
      : newest > readSeq
        ? await this.timeline.position(conversationId, { seq: newest })
        : null;
    if (input.last_message_id && !target) {
      throw new ChatError(ChatErrorCode.MessageNotFound, 'El mensaje indicado no pertenece a esta conversación.', HttpStatus.BAD_REQUEST, [
        { field: 'last_message_id', code: ChatErrorCode.MessageNotFound, message: 'El mensaje indicado no pertenece a esta conversación.' },
      ]);
    }

    const now = new Date();
    if (!before) {
      try {
        await this.transactions.run((manager) => this.participants.ensure(manager, conversationId, actor, now));
      } catch (error) {
        // Another request of the same user created the row first: fine, it exists now.
        if (!isUniqueViolation(error)) throw error;
      }
    }
    const advances = target !== null && target.seq > readSeq;
    // The UPDATE is conditional (`last_read_seq < seq`): it moves nothing if another request went further.
    const moved = advances && (await this.transactions.run((manager) => this.readState.advanceMarker(manager, conversationId, actor.id, target, now)));
    // What this call wrote, or what it read when it had nothing to write; read again only after a race
    // (the row created by this call or another, a marker another request moved past the target).
    const marker: ReadMarker | null = moved
      ? { lastReadSeq: target.seq, lastReadMessageId: target.id, lastReadAt: now }
      : before && !advances
        ? before
        : await this.readState.marker(conversationId, actor.id);
    if (!marker) throw new Error(`No participant row for ${actor.id} in ${conversationId} after joining`);
    if (moved) {
      this.events.publish({
        name: 'read.updated',
        candidate_user_id: conversation.candidateUserId,
        data: {
          conversation_id: conversationId,
          user_id: actor.id,
          last_read_seq: marker.lastReadSeq,
          last_read_message_id: marker.lastReadMessageId,
          last_read_at: now.toISOString(),
        },
      });
    }
    return {
      conversation_id: conversationId,
      last_read_message_id: marker.lastReadMessageId,
      last_read_seq: marker.lastReadSeq,
      last_read_at: isoOrNull(marker.lastReadAt),
      unread_count: marker === before && readSeq >= newest ? 0 : await this.readState.unreadIn(actor, conversationId),
    };
  }

  /**
   * Supervisors' reading is not tracked: no participant row, no marker, no `read.updated`, and nobody's
   * unread count changes (theirs is always 0). The answer has the usual shape, with no marker.
   */
  private async supervisorReadState(conversationId: string, input: MarkReadDto): Promise<ReadStateDto> {
    if (input.last_message_id && !(await this.timeline.position(conversationId, { id: input.last_message_id }))) {
      throw new ChatError(ChatErrorCode.MessageNotFound, 'El mensaje indicado no pertenece a esta conversación.', HttpStatus.BAD_REQUEST, [
        { field: 'last_message_id', code: ChatErrorCode.MessageNotFound, message: 'El mensaje indicado no pertenece a esta conversación.' },
      ]);
    }
    return { conversation_id: conversationId, last_read_message_id: null, last_read_seq: 0, last_read_at: null, unread_count: 0 };
  }

  /**
   * The read markers of everyone else in the conversation who has read something, so a client that
   * opens it can show at once which of its messages were seen (later moves come as `read.updated`),
   * with the caller's own unread count there (where the "Mensajes nuevos" separator goes).
   */
  async otherMarkers(actor: ChatActor, conversationId: string): Promise<ReadMarkerListDto> {
    await this.conversations.findVisible(actor, conversationId);
    const participants = await this.readState.othersMarkers(conversationId, actor.id);
    return {
      markers: participants.map((participant) => ({
        user_id: participant.userId,
        role: participant.participantRole,
        last_read_seq: participant.lastReadSeq,
        last_read_message_id: participant.lastReadMessageId,
        last_read_at: isoOrNull(participant.lastReadAt),
      })),
      unread_count: isSupervisor(actor) ? 0 : await this.readState.unreadIn(actor, conversationId),
    };
  }

  /** Supervisors track no reading: always 0. */
  async totalUnread(actor: ChatActor): Promise<UnreadCountDto> {
    if (isSupervisor(actor)) return { unread_count: 0, conversations_with_unread: 0 };
    return this.readState.unreadTotal(actor);
  }
}

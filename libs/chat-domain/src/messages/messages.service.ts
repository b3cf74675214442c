import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';

import { ChatAuditTrail } from '../audit/chat-audit-trail';
import { ChatActor } from '../auth/chat-actor';
import { type SupportChatConfig, SUPPORT_CHAT_CONFIG } from '../config/support-chat.config';
import { ConversationPolicy, STATUS_LABELS } from '../conversations/conversation.policy';
import { ConversationsService, systemLine } from '../conversations/conversations.service';
import { ChatError, ChatErrorCode } from '../errors/chat-error';
import { ChatEventBus } from '../events/chat-events';
import { BusinessHoursService } from '../service-hours/business-hours.service';
import { ChatTransactions, isUniqueViolation } from '../persistence/chat-transactions';
import { SupportConversationEntity, SupportMessageEntity } from '../persistence/entities';
import { NewTimelineEntry, TimelineRepository } from '../persistence/repositories';
import { ChatUserRecord } from '../users/chat-user-directory';
import { UserLookup } from '../users/user-lookup';
import { HistoryQueryDto, SendMessageDto } from './dto/message-requests.dto';
import { MessageDto, MessagePageDto, toMessageDto, toPageMessageDto, toPageUsers } from './dto/message-response.dto';
import { isUnderAttachmentPrefix } from './attachment-url';
import { characterCount } from '../domain/character-count';

export interface SendResult {
  message: MessageDto;
  /** True when `client_message_id` matched an earlier message, which is returned instead of a new one. */
  replayed: boolean;
}

@Injectable()
export class MessagesService {
  constructor(
    @Inject(SUPPORT_CHAT_CONFIG) private readonly config: SupportChatConfig,
    private readonly transactions: ChatTransactions,
    private readonly timeline: TimelineRepository,
    private readonly conversations: ConversationsService,
    private readonly users: UserLookup,
    private readonly events: ChatEventBus,
    private readonly businessHours: BusinessHoursService,
    private readonly audit: ChatAuditTrail,
  ) {}

  /**
   * One write unit: visibility, idempotency (a retried `client_message_id` returns the stored message,
   * even once the conversation is closed), the status rules, then the append.
   */
  async send(actor: ChatActor, conversationId: string, input: SendMessageDto): Promise<SendResult> {
    ConversationPolicy.assertNotSupervisor(actor);
    const validated = this.validate(input);
    const sender = senderRecord(actor);
    // Outside business hours a candidate's message marks the conversation (on its first) and may get the automatic reply.
    const closed = actor.kind === 'candidate' ? await this.businessHours.closedNow() : null;
    const message: NewTimelineEntry = closed ? { ...validated, outsideHours: true } : validated;

    // Outside business hours a candidate's message (`outsideHours`) may be due the automatic reply, which
    // the write unit appends: `appendInOneStatement` declines it, as it declines notes and status changes.
    const appended = await this.sendInOneStatement(actor, conversationId, message, sender);
    if (appended) return appended;

    let outcome;
    try {
      outcome = await this.transactions.run(async (manager) => {
        let current = await this.conversations.findVisible(actor, conversationId, manager);
        const earlier = await this.findEarlier(manager, actor, conversationId, message.clientMessageId);
        if (earlier) return { replayed: true as const, earlier };
        // A candidate writing in a resolved conversation reopens it, as in any help desk: within the
        // open-conversation limit, checked in this transaction as when reopening by status change. Under
        // the limit's lock, look again: a simultaneous message of theirs may have reopened it already, and
        // then this one neither counts against the limit (a false 409) nor reopens it a second time.
        const mayReopen = actor.kind === 'candidate' && current.status === 'resolved';
        if (mayReopen) {
          await this.conversations.lockOpenConversationLimit(manager, current.candidateUserId);
          current = await this.conversations.findVisible(actor, conversationId, manager);
        }
        ConversationPolicy.assertCanSend(current);
        const reopens = mayReopen && current.status === 'resolved';
        if (reopens) await this.conversations.assertBelowOpenLimit(manager, current.candidateUserId, true);
        const reopened = reopens
          ? await this.timeline.append(
              manager,
              conversationId,
              actor,
              systemLine(`${actor.full_name} reabrió la conversación (${STATUS_LABELS.open}) con un mensaje nuevo.`, 'open'),
            )
          : null;
        const appended = await this.timeline.append(manager, conversationId, actor, message);
        const autoReply = closed ? await this.businessHours.appendAutoReply(manager, conversationId, closed) : null;
        if (actor.kind === 'staff' && current.assignedSupportUserId === null && appended.conversation.assignedSupportUserId === actor.id) {
          // A first staff reply takes an unassigned conversation: an assignment like any other in the trail.
          await this.audit.record(manager, {
            actor,
            action: 'conversation.assigned',
            conversationId,
            before: { assigned_support_user_id: null },
            after: { assigned_support_user_id: actor.id, motivo: 'primera_respuesta' },
          });
        }
        return {
          replayed: false as const,
          ...appended,
          ...(autoReply ? { conversation: autoReply.conversation } : {}),
          autoReply: autoReply?.message ?? null,
          reopened: reopened?.message ?? null,
          wasUnassigned: current.assignedSupportUserId === null,
        };
      });
    } catch (error) {
      // Two requests with the same client_message_id raced: the loser returns the winner's message.
      if (isUniqueViolation(error)) {
        const winner = await this.findEarlier(undefined, actor, conversationId, message.clientMessageId);
        if (winner) return { message: toMessageDto(winner, sender, actor), replayed: true };
      }
      throw error;
    }
    if (outcome.replayed) return { message: toMessageDto(outcome.earlier, sender, actor), replayed: true };

    const dto = toMessageDto(outcome.message, sender, actor);
    if (outcome.reopened) this.publishMessage(outcome.conversation, toMessageDto(outcome.reopened, sender, actor));
    this.publishMessage(outcome.conversation, dto);
    if (outcome.autoReply) this.publishMessage(outcome.conversation, toMessageDto(outcome.autoReply, undefined, actor));
    const statusChanged = outcome.reopened !== null;
    // Read under the row lock: of two agents answering an unassigned conversation at once, only the one
    // whose reply assigned it announces the change.
    const assignmentChanged = actor.kind === 'staff' && outcome.wasUnassigned && outcome.conversation.assignedSupportUserId === actor.id;
    if (statusChanged || assignmentChanged) {
      this.events.publish({
        name: 'conversation.updated',
        candidate_user_id: outcome.conversation.candidateUserId,
        data: {
          conversation_id: conversationId,
          conversation: await this.conversations.present(outcome.conversation, null),
          changes: [...(statusChanged ? (['status'] as const) : []), ...(assignmentChanged ? (['assignment'] as const) : [])],
        },
      });
    }
    return { message: dto, replayed: false };
  }

  /**
   * The common case of a send in one statement, where the database can (see
   * `TimelineRepository.appendInOneStatement`): null when it does not apply (a replay, a reopening, a
   * first reply, a closed or invisible conversation, a candidate's message outside business hours...), and
   * then nothing was written and `send` takes the
   * write unit, which applies every rule and gives the precise answer. A concurrent duplicate
   * `client_message_id` also ends here with null: the write unit then finds the winner's message.
   */
  private async sendInOneStatement(actor: ChatActor, conversationId: string, message: NewTimelineEntry, sender: ChatUserRecord): Promise<SendResult | null> {
    if (!this.config.sendInOneStatement) return null;
    let appended;
    try {
      appended = await this.timeline.appendInOneStatement(conversationId, actor, message);
    } catch (error) {
      if (isUniqueViolation(error)) return null;
      throw error;
    }
    if (!appended) return null;
    const dto = toMessageDto(appended.message, sender, actor);
    this.publishMessage(appended.conversation, dto);
    return { message: dto, replayed: false };
  }

  /**
   * History, newest page first, each page in chronological order. Because `seq` has no gaps, a page
   * is a range of `seq` values: page 1000 costs the same as page 1, with no OFFSET scan.
   */
  async history(actor: ChatActor, conversationId: string, query: HistoryQueryDto): Promise<MessagePageDto> {
    const conversation = await this.conversations.findVisible(actor, conversationId);
    const perPage = query.per_page ?? 50;
    // A candidate's history ends at the newest entry they see and skips internal notes (whose `seq`
    // they never learn): pages are `seq` ranges, so a page holding notes shows fewer entries.
    const total = actor.kind === 'staff' ? conversation.lastMessageSeq : conversation.lastVisibleMessageSeq;
    const pages = Math.ceil(total / perPage);

    let from: number;
    let to: number;
    let page: number | null = null;
    if (query.around_seq !== undefined) {
      if (query.after_seq !== undefined || query.before_seq !== undefined) {
        throw fieldError(ChatErrorCode.ValidationFailed, 'around_seq', '"around_seq" no se combina con "before_seq" ni "after_seq".');
      }
      // The window holds the message near its middle; at either end of the timeline it fills from the other side.
      const around = Math.min(query.around_seq, Math.max(total, 1));
      from = around - Math.floor((perPage - 1) / 2);
      to = from + perPage - 1;
      if (to > total) {
        from -= to - total;
        to = total;
      }
      if (from < 1) {
        to += 1 - from;
        from = 1;
      }
    } else if (query.after_seq !== undefined) {
      from = query.after_seq + 1;
      to = query.after_seq + perPage;
    } else if (query.before_seq !== undefined) {
      to = query.before_seq - 1;
      from = to - perPage + 1;
    } else {
      page = query.page ?? 1;
      to = total - (page - 1) * perPage;
      from = to - perPage + 1;
    }
    from = Math.max(from, 1);
    to = Math.min(to, total);

    const messages = from <= to ? await this.timeline.range(conversationId, from, to, { reader: actor.kind }) : [];
    const users = await this.users.byIds(messages.map((message) => message.senderUserId));
    return {
      conversation_id: conversationId,
      users: toPageUsers(messages, users),
      messages: messages.map((message) => toPageMessageDto(message)),
      page,
      per_page: perPage,
      total,
      pages,
      has_older: from > 1 && total > 0,
      has_newer: to < total,
    };
  }

  /** The configurable rules (limits and whitelists read at start-up) that a DTO cannot express. */
  private validate(input: SendMessageDto): NewTimelineEntry {
    const content = typeof input.content === 'string' && input.content.trim().length > 0 ? input.content : null;
    const attachment = input.attachment ?? null;
    if (!content && !attachment) {
      throw fieldError(ChatErrorCode.MessageEmpty, 'content', 'El mensaje debe tener texto o un adjunto.');
    }
    if (content && characterCount(content) > this.config.maxMessageLength) {
      throw fieldError(ChatErrorCode.MessageTooLong, 'content', `El mensaje supera los ${this.config.maxMessageLength} caracteres.`);
    }
    if (attachment) {
      const url = URL.canParse(attachment.url) ? new URL(attachment.url) : null;
      // `http:` only under an http prefix the host explicitly allowed (local demos without TLS).
      const allowedInsecure =
        url?.protocol === 'http:' &&
        this.config.allowInsecureAttachmentPrefixes &&
        this.config.attachmentUrlPrefixes.some((prefix) => prefix.startsWith('http://') && isUnderAttachmentPrefix(url, prefix));
      if (!url || (url.protocol !== 'https:' && !allowedInsecure) || url.username || url.password) {
        throw fieldError(ChatErrorCode.AttachmentUrlInvalid, 'attachment.url', 'La URL del adjunto debe ser una dirección https válida.');
      }
      if (this.config.attachmentUrlPrefixes.length > 0 && !this.config.attachmentUrlPrefixes.some((prefix) => isUnderAttachmentPrefix(url, prefix))) {
        throw fieldError(ChatErrorCode.AttachmentUrlNotAllowed, 'attachment.url', 'La URL del adjunto no pertenece a un almacenamiento permitido.');
      }
      const mime = attachment.mime_type.trim().toLowerCase();
      if (!this.config.attachmentMimeTypes.includes(mime)) {
        throw fieldError(ChatErrorCode.AttachmentMimeNotAllowed, 'attachment.mime_type', `El tipo de archivo "${attachment.mime_type}" no está permitido.`);
      }
      if (attachment.size_bytes > this.config.attachmentMaxBytes) {
        throw fieldError(
          ChatErrorCode.AttachmentTooLarge,
          'attachment.size_bytes',
          `El adjunto supera el máximo de ${formatBytes(this.config.attachmentMaxBytes)}.`,
        );
      }
      return {
        messageType: 'attachment',
        content,
        clientMessageId: input.client_message_id ?? randomUUID(),
        attachment: { url: attachment.url, name: attachment.name?.trim() || null, mimeType: mime, sizeBytes: attachment.size_bytes },
      };
    }
    return { messageType: 'text', content, clientMessageId: input.client_message_id ?? randomUUID(), attachment: null };
  }

  /** The sender's earlier message with this `client_message_id`; in another conversation it is a conflict. */
  private async findEarlier(
    manager: EntityManager | undefined,
    actor: ChatActor,
    conversationId: string,
    clientMessageId: string,
  ): Promise<SupportMessageEntity | null> {
    const existing = await this.timeline.byClientMessageId(actor.id, clientMessageId, manager);
    if (existing && existing.conversationId !== conversationId) {
      throw new ChatError(ChatErrorCode.ClientMessageIdConflict, 'Ese "client_message_id" ya se usó en otra conversación.', HttpStatus.CONFLICT);
    }
    return existing;
  }

  private publishMessage(conversation: SupportConversationEntity, message: MessageDto): void {
    this.events.publish({ name: 'message.created', candidate_user_id: conversation.candidateUserId, data: { conversation_id: conversation.id, message } });
  }
}

/** The sender as the message shows them: the authenticated actor, no directory lookup needed. */
function senderRecord(actor: ChatActor): ChatUserRecord {
  return { id: actor.id, role: actor.role, full_name: actor.full_name, is_active: true };
}

function fieldError(code: ChatErrorCode, field: string, message: string): ChatError {
  return new ChatError(code, message, HttpStatus.BAD_REQUEST, [{ field, code, message }]);
}

function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MB`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${bytes} bytes`;
}

import { HttpStatus, Inject, Injectable, Optional } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';

import type { AuditAction } from '../audit/audit-actions';
import { ChatAuditTrail } from '../audit/chat-audit-trail';
import { ChatActor } from '../auth/chat-actor';
import { type SupportChatConfig, SUPPORT_CHAT_CONFIG } from '../config/support-chat.config';
import { ConversationPolicy } from '../conversations/conversation.policy';
import { ConversationsService, systemLine } from '../conversations/conversations.service';
import { ConversationDto } from '../conversations/dto/conversation-response.dto';
import { characterCount } from '../domain/character-count';
import { HandlingTier } from '../domain/handling-tier';
import { ChatError, ChatErrorCode } from '../errors/chat-error';
import { ChatEventBus, ConversationChange } from '../events/chat-events';
import type { StaffNotificationReason } from '@support-chat/chat-contract';
import { MessageDto, toMessageDto } from '../messages/dto/message-response.dto';
import { ChatTransactions, isUniqueViolation } from '../persistence/chat-transactions';
import { SupportConversationEntity, SupportMessageEntity } from '../persistence/entities';
import { ConversationRepository, NewTimelineEntry, ParticipantRepository, TimelineRepository } from '../persistence/repositories';
import { ChatUserRecord } from '../users/chat-user-directory';
import { UserLookup } from '../users/user-lookup';
import { CreateNoteDto, EscalateConversationDto, ReturnConversationDto, TransferConversationDto } from './dto/handoff-requests.dto';
import { StaffDirectoryDto } from './dto/handoff-response.dto';
import { STAFF_PRESENCE, StaffPresence } from './staff-presence';

/** `@usuario` mentions in a note: a handle after a start of text, a space or punctuation (not an e-mail). */
const MENTION = /(?:^|[^\w@.])@([A-Za-z0-9][A-Za-z0-9._-]{0,63})/g;
/** Distinct mentions resolved per note; more are kept as text. */
const MAX_MENTIONS = 10;
/** Staff listed by the picker at most. */
const STAFF_DIRECTORY_LIMIT = 200;

/** The candidate-visible timeline lines of a hand-off: names only, never the internal note. */
export const HANDOFF_LINES = {
  transfer: (assignee: string) => `La conversación fue transferida a ${assignee}.`,
  escalate: 'Tu conversación fue turnada a un coordinador.',
  return: 'Tu conversación regresó al equipo de soporte.',
} as const;

export interface NoteResult {
  message: MessageDto;
  replayed: boolean;
}

interface HandOffPlan {
  assignee: ChatUserRecord | null;
  tier: HandlingTier;
  escalatedAt: (current: SupportConversationEntity, now: Date) => Date | null;
  line: string;
  changes: ConversationChange[];
  reason: StaffNotificationReason;
  /** The audit trail's name of the hand-off. */
  audit: AuditAction;
  /** Who is told: the new assignee, or every coordinator for an unassigned escalation. */
  notify: () => Promise<string[]>;
}

/**
 * Staff-only handling of a conversation: internal notes (timeline entries a candidate never sees, by any
 * path), transfer to a colleague, escalation to the coordinators' tier and return, and the staff picker.
 */
@Injectable()
export class HandoffService {
  constructor(
    @Inject(SUPPORT_CHAT_CONFIG) private readonly config: SupportChatConfig,
    private readonly transactions: ChatTransactions,
    private readonly conversations: ConversationsService,
    private readonly conversationRows: ConversationRepository,
    private readonly participants: ParticipantRepository,
    private readonly timeline: TimelineRepository,
    private readonly users: UserLookup,
    private readonly events: ChatEventBus,
    private readonly audit: ChatAuditTrail,
    @Optional() @Inject(STAFF_PRESENCE) private readonly presence: StaffPresence | null = null,
  ) {}

  /**
   * An internal note: takes the next `seq` and nothing else (no reopening, no assignment, no counters,
   * no change to what the candidate sees); `@usuario` of a colleague notifies them. Idempotent by
   * `client_message_id`, like messages. Allowed in any status: notes annotate closed conversations too.
   */
  async addNote(actor: ChatActor, conversationId: string, input: CreateNoteDto): Promise<NoteResult> {
    ConversationPolicy.assertStaff(actor, 'escribir notas internas');
    const content = this.noteText(input.content, 'content');
    if (content === null) throw fieldError(ChatErrorCode.MessageEmpty, 'content', 'La nota debe tener texto.');
    const clientMessageId = input.client_message_id ?? randomUUID();
    const sender = senderRecord(actor);
    let outcome;
    try {
      outcome = await this.transactions.run(async (manager) => {
        await this.conversations.findVisible(actor, conversationId, manager);
        const earlier = await this.findEarlier(manager, actor, conversationId, clientMessageId);
        if (earlier) return { replayed: true as const, message: earlier };
        const appended = await this.timeline.append(manager, conversationId, actor, noteEntry(content, clientMessageId));
        await this.recordNote(manager, actor, appended.message);
        return { replayed: false as const, ...appended };
      });
    } catch (error) {
      if (isUniqueViolation(error)) {
        const winner = await this.findEarlier(undefined, actor, conversationId, clientMessageId);
        if (winner) return { message: toMessageDto(winner, sender, actor), replayed: true };
      }
      throw error;
    }
    const dto = toMessageDto(outcome.message, sender, actor);
    if (outcome.replayed) return { message: dto, replayed: true };
    this.events.publish({
      name: 'message.created',
      candidate_user_id: outcome.conversation.candidateUserId,
      data: { conversation_id: conversationId, message: dto },
    });
    const mentioned = (await this.mentionedStaff(content)).filter((id) => id !== actor.id);
    if (mentioned.length > 0) this.notify(outcome.conversation, actor, mentioned, 'mention', content, dto.seq);
    return { message: dto, replayed: false };
  }

  /** Assigns the conversation to a named colleague (any tier stays as it is), with an optional note. */
  async transfer(actor: ChatActor, conversationId: string, input: TransferConversationDto): Promise<ConversationDto> {
    ConversationPolicy.assertStaff(actor, 'transferir conversaciones');
    const assignee = await this.staffMember(
      input.assigned_support_user_id,
      this.config.staffRoles,
      ChatErrorCode.AssigneeNotStaff,
      'Solo se puede transferir a un miembro activo del equipo de soporte.',
    );
    return this.handOff(actor, conversationId, input.note, (current) => {
      if (current.assignedSupportUserId === assignee.id) return null;
      return {
        assignee,
        tier: current.handlingTier,
        escalatedAt: (conversation) => conversation.escalatedAt,
        line: HANDOFF_LINES.transfer(assignee.full_name),
        changes: ['assignment'],
        reason: 'transfer',
        audit: 'conversation.transferred',
        notify: async () => [assignee.id],
      };
    });
  }

  /** Turns the conversation over to the coordinators' tier: to one of them, or to their queue. */
  async escalate(actor: ChatActor, conversationId: string, input: EscalateConversationDto): Promise<ConversationDto> {
    ConversationPolicy.assertStaff(actor, 'turnar conversaciones a coordinación');
    const coordinator = input.coordinator_user_id
      ? await this.staffMember(
          input.coordinator_user_id,
          this.config.coordinatorRoles,
          ChatErrorCode.AssigneeNotCoordinator,
          'Solo se puede turnar a un coordinador activo.',
        )
      : null;
    return this.handOff(actor, conversationId, input.note, (current) => {
      if (current.handlingTier === 'coordinator' && current.assignedSupportUserId === (coordinator?.id ?? null)) return null;
      return {
        assignee: coordinator,
        tier: 'coordinator',
        escalatedAt: (conversation, now) => (conversation.handlingTier === 'coordinator' && conversation.escalatedAt ? conversation.escalatedAt : now),
        line: HANDOFF_LINES.escalate,
        changes: ['assignment', 'tier'],
        reason: 'escalation',
        audit: 'conversation.escalated',
        notify: async () =>
          coordinator
            ? [coordinator.id]
            : (await this.users.searchIds('', this.config.coordinatorRoles, STAFF_DIRECTORY_LIMIT)).filter((user) => user.is_active).map((user) => user.id),
      };
    });
  }

  /**
   * Gives an escalated conversation back to the agents: to one of them, or to the "Sin asignar" queue.
   * On a conversation that is not escalated it changes nothing (like a repeated transfer or escalation).
   */
  async returnToAgents(actor: ChatActor, conversationId: string, input: ReturnConversationDto): Promise<ConversationDto> {
    ConversationPolicy.assertStaff(actor, 'regresar conversaciones al equipo');
    const agent = input.assigned_support_user_id
      ? await this.staffMember(
          input.assigned_support_user_id,
          this.config.staffRoles,
          ChatErrorCode.AssigneeNotStaff,
          'Solo se puede asignar a un miembro activo del equipo de soporte.',
        )
      : null;
    return this.handOff(actor, conversationId, input.note, (current) => {
      if (current.handlingTier !== 'coordinator') return null;
      return {
        assignee: agent,
        tier: 'agent',
        escalatedAt: () => null,
        line: HANDOFF_LINES.return,
        changes: ['assignment', 'tier'],
        reason: 'transfer',
        audit: 'conversation.returned',
        notify: async () => (agent ? [agent.id] : []),
      };
    });
  }

  /**
   * The staff picker: active staff with their online state and how many open conversations each
   * handles (one grouped query), online first, then the least loaded.
   */
  async staffDirectory(actor: ChatActor, search?: string): Promise<StaffDirectoryDto> {
    ConversationPolicy.assertStaffReader(actor, 'ver el directorio del equipo');
    const staff = (await this.users.searchIds(search ?? '', this.config.staffRoles, STAFF_DIRECTORY_LIMIT)).filter(
      (user) => user.is_active && this.config.staffRoles.includes(user.role),
    );
    const ids = staff.map((user) => user.id);
    const [counts, online] = await Promise.all([this.conversationRows.openCountsByAssignee(ids), this.presence?.onlineUserIds(ids) ?? new Set<string>()]);
    const members = staff.map((user) => ({
      id: user.id,
      full_name: user.full_name,
      username: user.username ?? null,
      role: user.role,
      is_coordinator: this.config.coordinatorRoles.includes(user.role),
      online: online.has(user.id),
      open_conversations: counts.get(user.id) ?? 0,
    }));
    members.sort((a, b) => Number(b.online) - Number(a.online) || a.open_conversations - b.open_conversations || a.full_name.localeCompare(b.full_name, 'es'));
    return { staff: members };
  }

  /**
   * One hand-off in one transaction: the new handling, a `system` line the candidate may read (never the
   * internal text), then the note if any. Published after the commit, with a notification to whoever receives it.
   */
  private async handOff(
    actor: ChatActor,
    conversationId: string,
    rawNote: string | undefined,
    /** What to do, or null when it is already so (a repeated request changes and announces nothing). */
    plan: (current: SupportConversationEntity) => HandOffPlan | null,
  ): Promise<ConversationDto> {
    const note = this.noteText(rawNote, 'note');
    const outcome = await this.transactions.run(async (manager) => {
      await this.conversationRows.lock(manager, conversationId);
      const current = await this.conversations.findVisible(actor, conversationId, manager);
      const chosen = plan(current);
      if (!chosen) return { unchanged: true as const, conversation: current };
      const now = new Date();
      await this.conversationRows.handOff(
        manager,
        current.id,
        { assignedSupportUserId: chosen.assignee?.id ?? null, handlingTier: chosen.tier, escalatedAt: chosen.escalatedAt(current, now) },
        now,
      );
      if (chosen.assignee) await this.participants.ensure(manager, current.id, { id: chosen.assignee.id, kind: 'staff' }, now);
      const line = await this.timeline.append(manager, current.id, actor, systemLine(chosen.line));
      const noted = note ? await this.timeline.append(manager, current.id, actor, noteEntry(note, randomUUID())) : null;
      await this.audit.record(manager, {
        actor,
        action: chosen.audit,
        conversationId: current.id,
        before: { assigned_support_user_id: current.assignedSupportUserId, handling_tier: current.handlingTier },
        after: { assigned_support_user_id: chosen.assignee?.id ?? null, handling_tier: chosen.tier },
        at: now,
      });
      if (noted) await this.recordNote(manager, actor, noted.message);
      return {
        unchanged: false as const,
        plan: chosen,
        line: line.message,
        note: noted?.message ?? null,
        conversation: noted?.conversation ?? line.conversation,
      };
    });
    if (outcome.unchanged) return this.conversations.present(outcome.conversation, actor);

    const sender = senderRecord(actor);
    const { conversation } = outcome;
    for (const message of [outcome.line, outcome.note].filter((entry): entry is SupportMessageEntity => entry !== null)) {
      this.events.publish({
        name: 'message.created',
        candidate_user_id: conversation.candidateUserId,
        data: { conversation_id: conversation.id, message: toMessageDto(message, sender, actor) },
      });
    }
    this.events.publish({
      name: 'conversation.updated',
      candidate_user_id: conversation.candidateUserId,
      data: { conversation_id: conversation.id, conversation: await this.conversations.present(conversation, null), changes: outcome.plan.changes },
    });
    const recipients = (await outcome.plan.notify()).filter((id) => id !== actor.id);
    if (recipients.length > 0) this.notify(conversation, actor, recipients, outcome.plan.reason, outcome.note?.content ?? null, outcome.note?.seq ?? null);
    return this.conversations.present(conversation, actor);
  }

  /** The trail's entry of a new internal note (its place in the timeline and length, not its text). */
  private async recordNote(manager: EntityManager, actor: ChatActor, note: SupportMessageEntity): Promise<void> {
    await this.audit.record(manager, {
      actor,
      action: 'note.created',
      conversationId: note.conversationId,
      after: { message_id: note.id, seq: note.seq, caracteres: characterCount(note.content ?? '') },
    });
  }

  private notify(
    conversation: SupportConversationEntity,
    actor: ChatActor,
    userIds: string[],
    reason: StaffNotificationReason,
    note: string | null,
    seq: number | null,
  ): void {
    this.events.publish({
      name: 'staff.notified',
      candidate_user_id: conversation.candidateUserId,
      data: { conversation_id: conversation.id, user_ids: userIds, reason, by: { id: actor.id, full_name: actor.full_name }, note, seq },
    });
  }

  /** Ids of the active staff members whose username is mentioned (`@usuario`); unknown handles stay text. */
  private async mentionedStaff(content: string): Promise<string[]> {
    const handles = [...new Set([...content.matchAll(MENTION)].map((match) => match[1].replace(/[._-]+$/, '').toLowerCase()))].slice(0, MAX_MENTIONS);
    const ids = new Set<string>();
    for (const handle of handles) {
      const matches = await this.users.searchIds(handle, this.config.staffRoles, 20);
      const user = matches.find((candidate) => candidate.is_active && candidate.username?.toLowerCase() === handle);
      if (user) ids.add(user.id);
    }
    return [...ids];
  }

  private async staffMember(userId: string, roles: readonly string[], code: ChatErrorCode, message: string): Promise<ChatUserRecord> {
    const user = await this.users.findById(userId);
    if (!user || !user.is_active || !roles.includes(user.role)) throw new ChatError(code, message, HttpStatus.BAD_REQUEST);
    return user;
  }

  /** The note's text, or null when blank; over the configured length is a 400. */
  private noteText(text: string | undefined, field: string): string | null {
    if (typeof text !== 'string' || text.trim().length === 0) return null;
    if (characterCount(text) > this.config.maxMessageLength) {
      throw fieldError(ChatErrorCode.MessageTooLong, field, `La nota supera los ${this.config.maxMessageLength} caracteres.`);
    }
    return text;
  }

  private async findEarlier(
    manager: EntityManager | undefined,
    actor: ChatActor,
    conversationId: string,
    clientMessageId: string,
  ): Promise<SupportMessageEntity | null> {
    const existing = await this.timeline.byClientMessageId(actor.id, clientMessageId, manager);
    if (existing && (existing.conversationId !== conversationId || existing.messageType !== 'note')) {
      throw new ChatError(ChatErrorCode.ClientMessageIdConflict, 'Ese "client_message_id" ya se usó en otro mensaje.', HttpStatus.CONFLICT);
    }
    return existing;
  }
}

function noteEntry(content: string, clientMessageId: string): NewTimelineEntry {
  return { messageType: 'note', content, clientMessageId, attachment: null };
}

function senderRecord(actor: ChatActor): ChatUserRecord {
  return { id: actor.id, role: actor.role, full_name: actor.full_name, is_active: true };
}

function fieldError(code: ChatErrorCode, field: string, message: string): ChatError {
  return new ChatError(code, message, HttpStatus.BAD_REQUEST, [{ field, code, message }]);
}

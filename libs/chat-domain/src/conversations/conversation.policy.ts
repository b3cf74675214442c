import { HttpStatus } from '@nestjs/common';

import { ChatActor } from '../auth/chat-actor';
import { ChatError, ChatErrorCode, ChatErrors } from '../errors/chat-error';
import { SupportConversationEntity } from '../persistence/entities';
import { CANDIDATE_SETTABLE_STATUSES, ConversationStatus } from '../domain/conversation-status';

/**
 * Who may do what with a conversation. Pure functions of the actor and the row, so that every rule is
 * unit-tested without HTTP or a database.
 */
export const ConversationPolicy = {
  /** Staff see every conversation; a candidate only their own. */
  canView(actor: ChatActor, conversation: Pick<SupportConversationEntity, 'candidateUserId'>): boolean {
    return actor.kind === 'staff' || conversation.candidateUserId === actor.id;
  },

  /** A conversation the actor may not see does not exist for them (404, never 403: ids leak nothing). */
  assertVisible<T extends Pick<SupportConversationEntity, 'candidateUserId'>>(actor: ChatActor, conversation: T | null): T {
    if (!conversation || !ConversationPolicy.canView(actor, conversation)) throw ChatErrors.conversationNotFound();
    return conversation;
  },

  assertCanSend(conversation: Pick<SupportConversationEntity, 'status'>): void {
    if (conversation.status === 'closed') throw ChatErrors.conversationClosed();
  },

  /** Whether `actor` may set a closed conversation back to `open` (what `GET /me` tells the client). */
  canReopenClosed(actor: ChatActor, rules: { candidateCanReopenClosed: boolean }): boolean {
    return actor.kind === 'staff' || rules.candidateCanReopenClosed;
  },

  /**
   * Staff may set any status; a candidate may set `open` or `resolved` on their own (the spec's rule).
   * With `candidateCanReopenClosed: false` a conversation staff closed stays closed for its candidate.
   */
  assertCanSetStatus(
    actor: ChatActor,
    conversation: Pick<SupportConversationEntity, 'status'>,
    status: ConversationStatus,
    rules: { candidateCanReopenClosed: boolean },
  ): void {
    if (actor.kind === 'staff') return;
    if (!CANDIDATE_SETTABLE_STATUSES.includes(status)) {
      throw new ChatError(ChatErrorCode.StatusChangeForbidden, 'Solo el equipo de soporte puede cerrar una conversación.', HttpStatus.FORBIDDEN);
    }
    if (conversation.status === 'closed' && !ConversationPolicy.canReopenClosed(actor, rules)) {
      throw new ChatError(ChatErrorCode.StatusChangeForbidden, 'La conversación fue cerrada por soporte; solo soporte puede reabrirla.', HttpStatus.FORBIDDEN);
    }
  },

  /**
   * A write in the service layer, behind the guard's deny-by-default rule: a supervisor changes nothing
   * even when a write is reached by another path than an HTTP route (a socket action, a later caller).
   */
  assertNotSupervisor(actor: ChatActor): void {
    if (actor.supervisor) throw ChatErrors.supervisorReadOnly();
  },

  /**
   * A read of the team's data (staff directory, labels, label filter): staff and read-only supervisors,
   * who "see every conversation as staff do"; never candidates.
   */
  assertStaffReader(actor: ChatActor, action: string): void {
    if (actor.kind !== 'staff') {
      throw new ChatError(ChatErrorCode.Forbidden, `Solo el equipo de soporte puede ${action}.`, HttpStatus.FORBIDDEN);
    }
  },

  assertStaff(actor: ChatActor, action: string): void {
    ConversationPolicy.assertNotSupervisor(actor);
    if (actor.kind !== 'staff') {
      throw new ChatError(ChatErrorCode.Forbidden, `Solo el equipo de soporte puede ${action}.`, HttpStatus.FORBIDDEN);
    }
  },
};

export const STATUS_LABELS: Record<ConversationStatus, string> = {
  open: 'abierta',
  resolved: 'resuelta',
  closed: 'cerrada',
};

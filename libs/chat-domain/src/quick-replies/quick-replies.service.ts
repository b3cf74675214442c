import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';

import { ChatAuditTrail } from '../audit/chat-audit-trail';
import { ChatActor } from '../auth/chat-actor';
import { type SupportChatConfig, SUPPORT_CHAT_CONFIG } from '../config/support-chat.config';
import { ConversationPolicy } from '../conversations/conversation.policy';
import { ConversationsService } from '../conversations/conversations.service';
import { renderQuickReply, unknownQuickReplyVariables, QUICK_REPLY_VARIABLES } from '../domain/quick-reply-variables';
import { canManageTeamTools } from '../domain/team-tools';
import { ChatError, ChatErrorCode } from '../errors/chat-error';
import { ChatTransactions, isUniqueViolation } from '../persistence/chat-transactions';
import { SupportQuickReplyEntity } from '../persistence/entities';
import { personalQuickReplyScope, QuickReplyRepository, TEAM_QUICK_REPLY_SCOPE } from '../persistence/repositories';
import { UserLookup } from '../users/user-lookup';
import { CreateQuickReplyDto, ListQuickRepliesQueryDto, QuickReplyDto, QuickReplyListDto, toQuickReplyDto, UpdateQuickReplyDto } from './dto/quick-reply.dto';

/**
 * Quick replies: every staff member's own and the team's (managed by the admin roles). Variables are
 * checked against the whitelist when a reply is saved, and filled per conversation when listed.
 */
@Injectable()
export class QuickRepliesService {
  constructor(
    @Inject(SUPPORT_CHAT_CONFIG) private readonly config: SupportChatConfig,
    private readonly transactions: ChatTransactions,
    private readonly replies: QuickReplyRepository,
    private readonly conversations: ConversationsService,
    private readonly users: UserLookup,
    private readonly audit: ChatAuditTrail,
  ) {}

  /** The caller's replies and the team's, by position; with `conversation_id`, each with its text filled in. */
  async list(actor: ChatActor, query: ListQuickRepliesQueryDto): Promise<QuickReplyListDto> {
    ConversationPolicy.assertStaff(actor, 'usar respuestas rápidas');
    const render = query.conversation_id ? await this.renderer(actor, query.conversation_id) : null;
    const pattern = query.search ? `%${escapeLike(query.search.toLowerCase())}%` : undefined;
    const replies = await this.replies.visibleTo(actor.id, pattern);
    return {
      quick_replies: replies.map((reply) => toQuickReplyDto(reply, this.canEdit(actor, reply), render ? render(reply.body) : undefined)),
      can_manage_team: canManageTeamTools(actor, this.config.adminRoles),
    };
  }

  async create(actor: ChatActor, input: CreateQuickReplyDto): Promise<QuickReplyDto> {
    ConversationPolicy.assertStaff(actor, 'usar respuestas rápidas');
    if (input.scope === 'team') this.assertCanManageTeam(actor);
    assertKnownVariables(input.body);
    const now = new Date();
    const ownerUserId = input.scope === 'team' ? null : actor.id;
    const reply = Object.assign(new SupportQuickReplyEntity(), {
      id: randomUUID(),
      ownerScope: ownerUserId === null ? TEAM_QUICK_REPLY_SCOPE : personalQuickReplyScope(ownerUserId),
      ownerUserId,
      title: input.title,
      body: input.body,
      createdByUserId: actor.id,
      createdAt: now,
      updatedAt: now,
    });
    setShortcut(reply, input.shortcut ?? null);
    await this.saving(() =>
      this.transactions.run(async (manager) => {
        reply.position = input.position ?? (await this.replies.nextPosition(manager, reply.ownerScope));
        await this.replies.insert(manager, reply);
        await this.audit.record(manager, { actor, action: 'quick_reply.created', after: quickReplyValues(reply), at: now });
      }),
    );
    return toQuickReplyDto(reply, true);
  }

  async update(actor: ChatActor, id: string, input: UpdateQuickReplyDto): Promise<QuickReplyDto> {
    const reply = await this.findEditable(actor, id);
    const before = quickReplyValues(reply);
    if (input.body !== undefined) assertKnownVariables(input.body);
    if (input.title !== undefined) reply.title = input.title;
    if (input.body !== undefined) reply.body = input.body;
    if (input.shortcut !== undefined) setShortcut(reply, input.shortcut);
    if (input.position !== undefined) reply.position = input.position;
    reply.updatedAt = new Date();
    await this.saving(() =>
      this.transactions.run(async (manager) => {
        await this.replies.update(manager, reply);
        await this.audit.record(manager, { actor, action: 'quick_reply.changed', before, after: quickReplyValues(reply), at: reply.updatedAt });
      }),
    );
    return toQuickReplyDto(reply, true);
  }

  async delete(actor: ChatActor, id: string): Promise<void> {
    const reply = await this.findEditable(actor, id);
    await this.transactions.run(async (manager) => {
      await this.replies.delete(manager, reply.id);
      await this.audit.record(manager, { actor, action: 'quick_reply.deleted', before: quickReplyValues(reply) });
    });
  }

  /** A reply the caller may change: their own, or (admin roles) the team's. Someone else's personal reply does not exist for them. */
  private async findEditable(actor: ChatActor, id: string): Promise<SupportQuickReplyEntity> {
    ConversationPolicy.assertStaff(actor, 'usar respuestas rápidas');
    const reply = await this.replies.byId(id);
    if (!reply || (reply.ownerUserId !== null && reply.ownerUserId !== actor.id)) {
      throw new ChatError(ChatErrorCode.QuickReplyNotFound, 'La respuesta rápida no existe.', HttpStatus.NOT_FOUND);
    }
    if (reply.ownerUserId === null) this.assertCanManageTeam(actor);
    return reply;
  }

  private canEdit(actor: ChatActor, reply: SupportQuickReplyEntity): boolean {
    return reply.ownerUserId === actor.id || (reply.ownerUserId === null && canManageTeamTools(actor, this.config.adminRoles));
  }

  private assertCanManageTeam(actor: ChatActor): void {
    if (!canManageTeamTools(actor, this.config.adminRoles)) {
      throw new ChatError(ChatErrorCode.Forbidden, 'Solo un administrador puede gestionar las respuestas rápidas del equipo.', HttpStatus.FORBIDDEN);
    }
  }

  /** Fills the variables with the conversation's values (404 when the caller cannot see it). */
  private async renderer(actor: ChatActor, conversationId: string): Promise<(body: string) => string> {
    const conversation = await this.conversations.findVisible(actor, conversationId);
    const candidate = (await this.users.byIds([conversation.candidateUserId])).get(conversation.candidateUserId);
    const values = {
      'candidato.nombre': candidate?.full_name,
      'candidato.usuario': candidate?.username,
      'agente.nombre': actor.full_name,
      'conversacion.asunto': conversation.subject,
    };
    return (body) => renderQuickReply(body, values);
  }

  /** Runs a write; a shortcut another reply of the same scope already has becomes a 409. */
  private async saving(write: () => Promise<void>): Promise<void> {
    try {
      await write();
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      throw new ChatError(ChatErrorCode.QuickReplyShortcutTaken, 'Ya hay otra respuesta rápida con ese atajo.', HttpStatus.CONFLICT, [
        { field: 'shortcut', code: ChatErrorCode.QuickReplyShortcutTaken, message: 'Elige otro atajo.' },
      ]);
    }
  }
}

function setShortcut(reply: SupportQuickReplyEntity, shortcut: string | null): void {
  const value = shortcut ? shortcut.toLowerCase() : null;
  reply.shortcut = value;
  reply.shortcutKey = value ?? `#${reply.id}`;
}

function assertKnownVariables(body: string): void {
  const unknown = unknownQuickReplyVariables(body);
  if (unknown.length === 0) return;
  const allowed = QUICK_REPLY_VARIABLES.map((name) => `{{${name}}}`).join(', ');
  const message = `Variable desconocida: ${unknown.map((name) => `{{${name}}}`).join(', ')}. Se permiten: ${allowed}.`;
  throw new ChatError(ChatErrorCode.QuickReplyUnknownVariable, message, HttpStatus.BAD_REQUEST, [
    { field: 'body', code: ChatErrorCode.QuickReplyUnknownVariable, message },
  ]);
}

/** Escapes LIKE wildcards with `!` (as the inbox search does). */
function escapeLike(text: string): string {
  return text.replace(/[!%_[\]]/g, (char) => `!${char}`);
}

/** What the audit trail keeps of a quick reply. */
function quickReplyValues(reply: SupportQuickReplyEntity): Record<string, unknown> {
  return {
    id: reply.id,
    scope: reply.ownerUserId === null ? 'team' : 'personal',
    title: reply.title,
    body: reply.body,
    shortcut: reply.shortcut,
    position: reply.position,
  };
}

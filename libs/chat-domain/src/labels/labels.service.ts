import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';

import { ChatAuditTrail } from '../audit/chat-audit-trail';
import { ChatActor } from '../auth/chat-actor';
import { type SupportChatConfig, SUPPORT_CHAT_CONFIG } from '../config/support-chat.config';
import { ConversationPolicy } from '../conversations/conversation.policy';
import { ConversationsService } from '../conversations/conversations.service';
import { LabelDto, toLabelDto } from '../conversations/dto/conversation-label.dto';
import { canManageTeamTools } from '../domain/team-tools';
import { ChatError, ChatErrorCode } from '../errors/chat-error';
import { ChatEventBus } from '../events/chat-events';
import { ChatTransactions, isUniqueViolation } from '../persistence/chat-transactions';
import { SupportLabelEntity } from '../persistence/entities';
import { ConversationRepository, LabelRepository } from '../persistence/repositories';
import { ConversationLabelsDto, CreateLabelDto, LabelListDto, UpdateLabelDto } from './dto/label.dto';

/**
 * Labels: the admin roles manage them, any staff member puts them on conversations and takes them off.
 * Candidates never see them (see `ChatAudience.dataFor` and `toConversationDto`).
 */
@Injectable()
export class LabelsService {
  constructor(
    @Inject(SUPPORT_CHAT_CONFIG) private readonly config: SupportChatConfig,
    private readonly transactions: ChatTransactions,
    private readonly labels: LabelRepository,
    private readonly conversationRows: ConversationRepository,
    private readonly conversations: ConversationsService,
    private readonly events: ChatEventBus,
    private readonly audit: ChatAuditTrail,
  ) {}

  async list(actor: ChatActor): Promise<LabelListDto> {
    ConversationPolicy.assertStaffReader(actor, 'ver las etiquetas');
    return { labels: (await this.labels.all()).map(toLabelDto), can_manage: canManageTeamTools(actor, this.config.adminRoles) };
  }

  async create(actor: ChatActor, input: CreateLabelDto): Promise<LabelDto> {
    this.assertCanManage(actor);
    const now = new Date();
    const label = Object.assign(new SupportLabelEntity(), {
      id: randomUUID(),
      name: input.name,
      nameKey: input.name.toLowerCase(),
      color: input.color,
      createdAt: now,
      updatedAt: now,
    });
    await this.saving(() =>
      this.transactions.run(async (manager) => {
        label.position = input.position ?? (await this.labels.nextPosition(manager));
        await this.labels.insert(manager, label);
        await this.audit.record(manager, { actor, action: 'label.created', after: labelValues(label), at: now });
      }),
    );
    return toLabelDto(label);
  }

  async update(actor: ChatActor, id: string, input: UpdateLabelDto): Promise<LabelDto> {
    this.assertCanManage(actor);
    const label = await this.find(id);
    const before = labelValues(label);
    if (input.name !== undefined) Object.assign(label, { name: input.name, nameKey: input.name.toLowerCase() });
    if (input.color !== undefined) label.color = input.color;
    if (input.position !== undefined) label.position = input.position;
    label.updatedAt = new Date();
    await this.saving(() =>
      this.transactions.run(async (manager) => {
        await this.labels.update(manager, label);
        await this.audit.record(manager, { actor, action: 'label.changed', before, after: labelValues(label), at: label.updatedAt });
      }),
    );
    return toLabelDto(label);
  }

  /** Deletes the label and takes it off every conversation. */
  async delete(actor: ChatActor, id: string): Promise<void> {
    this.assertCanManage(actor);
    const label = await this.find(id);
    await this.transactions.run(async (manager) => {
      const now = new Date();
      await this.labels.delete(manager, label.id, now);
      await this.audit.record(manager, { actor, action: 'label.deleted', before: labelValues(label), at: now });
    });
  }

  /** Puts a label on a conversation (`present: true`) or takes it off; idempotent. Other staff get a `conversation.updated` (`labels`). */
  async setOnConversation(actor: ChatActor, conversationId: string, labelId: string, present: boolean): Promise<ConversationLabelsDto> {
    ConversationPolicy.assertStaff(actor, 'cambiar las etiquetas de una conversación');
    await this.conversations.findVisible(actor, conversationId);
    const label = await this.find(labelId);
    const changed = await this.transactions.run(async (manager) => {
      const conversation = await this.conversations.findVisible(actor, conversationId, manager);
      // One label change at a time per conversation: the look-then-insert below cannot race.
      await this.conversationRows.lock(manager, conversation.id);
      const now = new Date();
      const done = present
        ? await this.labels.attach(manager, conversation.id, labelId, actor.id, now)
        : await this.labels.detach(manager, conversation.id, labelId, now);
      if (done) {
        await this.audit.record(manager, {
          actor,
          action: 'labels.changed',
          conversationId: conversation.id,
          before: { label_id: label.id, label_name: label.name, attached: !present },
          after: { label_id: label.id, label_name: label.name, attached: present },
          at: now,
        });
      }
      return done;
    });
    const labels = await this.conversations.labelsOf(conversationId);
    if (changed) {
      const conversation = await this.conversations.findVisible(actor, conversationId);
      const view = await this.conversations.present(conversation, null);
      this.events.publish({
        name: 'conversation.updated',
        candidate_user_id: conversation.candidateUserId,
        data: { conversation_id: conversation.id, conversation: { ...view, labels }, changes: ['labels'] },
      });
    }
    return { conversation_id: conversationId, labels };
  }

  private async find(id: string): Promise<SupportLabelEntity> {
    const label = await this.labels.byId(id);
    if (!label) throw new ChatError(ChatErrorCode.LabelNotFound, 'La etiqueta no existe.', HttpStatus.NOT_FOUND);
    return label;
  }

  private assertCanManage(actor: ChatActor): void {
    ConversationPolicy.assertStaff(actor, 'gestionar etiquetas');
    if (!canManageTeamTools(actor, this.config.adminRoles)) {
      throw new ChatError(ChatErrorCode.Forbidden, 'Solo un administrador puede crear, cambiar o borrar etiquetas.', HttpStatus.FORBIDDEN);
    }
  }

  /** Runs a write; a name another label already has (in any case) becomes a 409. */
  private async saving(write: () => Promise<void>): Promise<void> {
    try {
      await write();
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      throw new ChatError(ChatErrorCode.LabelNameTaken, 'Ya hay una etiqueta con ese nombre.', HttpStatus.CONFLICT, [
        { field: 'name', code: ChatErrorCode.LabelNameTaken, message: 'Elige otro nombre.' },
      ]);
    }
  }
}

/** What the audit trail keeps of a label. */
function labelValues(label: SupportLabelEntity): Record<string, unknown> {
  return { id: label.id, name: label.name, color: label.color, position: label.position };
}

import { ApiProperty } from '@nestjs/swagger';

import { ChatActor } from '../../auth/chat-actor';
import { MessageDto } from '../../messages/dto/message-response.dto';
import { SupportConversationEntity } from '../../persistence/entities';
import { ChatUserRecord } from '../../users/chat-user-directory';
import { toUserSummary, UserSummaryDto } from '../../users/user-summary';
import { CONVERSATION_PRIORITIES, CONVERSATION_STATUSES, type ConversationPriority, type ConversationStatus } from '../../domain/conversation-status';

export class ConversationDto {
  @ApiProperty() id!: string;
  @ApiProperty() candidate_user_id!: string;
  @ApiProperty({ type: UserSummaryDto }) candidate!: UserSummaryDto;
  @ApiProperty() created_by_user_id!: string;
  @ApiProperty({ nullable: true, type: String }) assigned_support_user_id!: string | null;
  @ApiProperty({ type: UserSummaryDto, nullable: true }) assigned_support_user!: UserSummaryDto | null;
  @ApiProperty({ nullable: true, type: String }) subject!: string | null;
  @ApiProperty({ enum: CONVERSATION_STATUSES }) status!: ConversationStatus;
  @ApiProperty({ enum: CONVERSATION_PRIORITIES, required: false, description: 'Solo para el personal de soporte; los candidatos no la reciben.' })
  priority?: ConversationPriority;
  @ApiProperty({ format: 'date-time' }) created_at!: string;
  @ApiProperty({ format: 'date-time' }) updated_at!: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String, description: 'Hora del último mensaje; null si aún no hay mensajes.' })
  last_message_at!: string | null;
  @ApiProperty({ description: '`seq` del último mensaje (0 si no hay).' }) last_message_seq!: number;
}

export class ConversationListItemDto extends ConversationDto {
  @ApiProperty({ type: MessageDto, nullable: true }) last_message!: MessageDto | null;
  @ApiProperty() unread_count!: number;
}

export class ConversationEnvelopeDto {
  @ApiProperty({ type: ConversationDto }) conversation!: ConversationDto;
}

export class ConversationListDto {
  @ApiProperty({ type: [ConversationListItemDto] }) conversations!: ConversationListItemDto[];
  @ApiProperty() page!: number;
  @ApiProperty() per_page!: number;
  @ApiProperty() total!: number;
  @ApiProperty() pages!: number;
}

export function toConversationDto(conversation: SupportConversationEntity, users: ReadonlyMap<string, ChatUserRecord>, viewer: ChatActor): ConversationDto {
  const assignee = conversation.assignedSupportUserId;
  return {
    id: conversation.id,
    candidate_user_id: conversation.candidateUserId,
    candidate: toUserSummary(conversation.candidateUserId, users.get(conversation.candidateUserId), viewer),
    created_by_user_id: conversation.createdByUserId,
    assigned_support_user_id: assignee,
    assigned_support_user: assignee ? toUserSummary(assignee, users.get(assignee), viewer) : null,
    subject: conversation.subject,
    status: conversation.status,
    // Triage is internal: candidates see their conversation's status and who handles it, not its priority.
    ...(viewer.kind === 'staff' ? { priority: conversation.priority } : {}),
    created_at: conversation.createdAt.toISOString(),
    updated_at: conversation.updatedAt.toISOString(),
    last_message_at: conversation.lastMessageSeq > 0 ? conversation.lastMessageAt.toISOString() : null,
    last_message_seq: conversation.lastMessageSeq,
  };
}

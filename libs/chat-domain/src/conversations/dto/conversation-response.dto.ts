import { ApiProperty, ApiPropertyOptional } from '../../openapi/api-docs';

import { ChatActor } from '../../auth/chat-actor';
import { RatingDto } from '../../csat/dto/rating.dto';
import { MessageDto } from '../../messages/dto/message-response.dto';
import { LabelDto } from './conversation-label.dto';
import { SupportConversationEntity } from '../../persistence/entities';
import { ChatUserRecord } from '../../users/chat-user-directory';
import { toUserSummary, UserSummaryDto } from '../../users/user-summary';
import { CONVERSATION_PRIORITIES, CONVERSATION_STATUSES, type ConversationPriority, type ConversationStatus } from '../../domain/conversation-status';
import { HANDLING_TIERS, type HandlingTier } from '../../domain/handling-tier';

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
  @ApiProperty({ description: '`seq` del último mensaje que ve quien pregunta (0 si no hay); para candidatos, sin contar notas internas.' })
  last_message_seq!: number;
  @ApiProperty({ enum: HANDLING_TIERS, required: false, description: 'Solo soporte: `coordinator` mientras está turnada a coordinación.' })
  handling_tier?: HandlingTier;
  @ApiProperty({ format: 'date-time', nullable: true, type: String, required: false, description: 'Solo soporte: cuándo se turnó a coordinación.' })
  escalated_at?: string | null;
  @ApiProperty({
    format: 'date-time',
    nullable: true,
    type: String,
    required: false,
    description: 'Solo soporte: desde cuándo espera respuesta el mensaje más antiguo sin contestar del candidato (null si nada espera).',
  })
  waiting_since?: string | null;
  @ApiProperty({ required: false, description: 'Solo soporte: `seq` del último mensaje que ve el candidato (sin notas internas).' })
  last_visible_message_seq?: number;
  @ApiPropertyOptional({ description: 'Solo soporte: el primer mensaje del candidato llegó fuera del horario de atención.' })
  arrived_outside_hours?: boolean;
  @ApiPropertyOptional({ format: 'date-time', nullable: true, type: String, description: 'Solo soporte: primera respuesta del equipo.' })
  first_response_at?: string | null;
  @ApiPropertyOptional({ description: 'Solo soporte: veces que pasó de abierta a resuelta o cerrada.' })
  resolution_count?: number;
  @ApiPropertyOptional({ format: 'date-time', nullable: true, type: String, description: 'Solo soporte: la última resolución.' })
  resolved_at?: string | null;
  @ApiPropertyOptional({
    nullable: true,
    type: Number,
    description: 'Solo soporte: la calificación más reciente del candidato (1-5); null si no ha calificado.',
  })
  latest_rating_value?: number | null;
  @ApiPropertyOptional({
    type: RatingDto,
    nullable: true,
    description: 'Solo soporte, al consultar una conversación: la calificación más reciente, con su comentario.',
  })
  latest_rating?: RatingDto | null;
  @ApiProperty({
    type: [LabelDto],
    required: false,
    description:
      'Etiquetas de la conversación. Solo para el personal de soporte (listas, detalle y el evento de cambio de etiquetas); los candidatos nunca las reciben.',
  })
  labels?: LabelDto[];
}

/** Fields of a conversation only staff receive (stripped from candidates' copies of events). */
export const STAFF_ONLY_CONVERSATION_FIELDS = [
  'priority',
  'labels',
  'handling_tier',
  'escalated_at',
  'waiting_since',
  'last_visible_message_seq',
  'arrived_outside_hours',
  'first_response_at',
  'resolution_count',
  'resolved_at',
  'latest_rating_value',
  'latest_rating',
] as const;

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
    created_at: conversation.createdAt.toISOString(),
    updated_at: conversation.updatedAt.toISOString(),
    last_message_at: conversation.lastMessageSeq > 0 ? conversation.lastMessageAt.toISOString() : null,
    // Internal notes take a `seq` but never show to candidates: their newest entry is the visible one.
    last_message_seq: viewer.kind === 'staff' ? conversation.lastMessageSeq : conversation.lastVisibleMessageSeq,
    // Triage, hand-off and service-level bookkeeping are internal: candidates see their conversation's status
    // and who handles it.
    ...(viewer.kind === 'staff' ? staffOnlyFields(conversation) : {}),
  };
}

/**
 * Every staff-only field held on the conversation row (labels and the rating's comment come from other tables):
 * the one place that maps them, for staff views and for the staff copy of events.
 */
export function staffOnlyFields(
  conversation: SupportConversationEntity,
): Omit<Pick<ConversationDto, (typeof STAFF_ONLY_CONVERSATION_FIELDS)[number]>, 'labels' | 'latest_rating'> {
  return {
    priority: conversation.priority,
    handling_tier: conversation.handlingTier,
    escalated_at: conversation.escalatedAt?.toISOString() ?? null,
    waiting_since: conversation.waitingSince?.toISOString() ?? null,
    last_visible_message_seq: conversation.lastVisibleMessageSeq,
    arrived_outside_hours: conversation.arrivedOutsideHours === 1,
    first_response_at: conversation.firstResponseAt?.toISOString() ?? null,
    resolution_count: conversation.resolutionCount,
    resolved_at: conversation.resolvedAt?.toISOString() ?? null,
    latest_rating_value: conversation.latestRating,
  };
}

import { ApiProperty } from '../../openapi/api-docs';
import { IsIn } from 'class-validator';

import { SCHEMA_LIMITS } from '../../config/support-chat.config';
import { OptionalEnum, OptionalText, OptionalUserId, OptionalUuid, QueryBoolean, QueryInt } from '../../validation/validators';
import { CONVERSATION_PRIORITIES, CONVERSATION_STATUSES, type ConversationPriority, type ConversationStatus } from '../../domain/conversation-status';
import { HANDLING_TIERS, type HandlingTier } from '../../domain/handling-tier';

/** The largest inbox page; a larger `per_page` is clamped to it, as the original module did. */
export const MAX_LIST_PER_PAGE = 100;

export class CreateConversationDto {
  @OptionalText('subject', SCHEMA_LIMITS.subjectLength, 'Asunto (se recorta; máximo SUPPORT_CHAT_MAX_SUBJECT_LENGTH).', 'No puedo iniciar mi examen')
  subject?: string;

  @OptionalEnum('priority', CONVERSATION_PRIORITIES, 'Solo soporte puede fijarla; por omisión `normal`.')
  priority?: ConversationPriority;

  @OptionalUserId('candidate_user_id', 'Obligatorio para soporte: el candidato para quien se abre. Un candidato no lo envía.')
  candidate_user_id?: string;
}

export class ListConversationsQueryDto {
  @QueryInt('page', { min: 1, max: 100000, default: 1, description: 'Página (1 = actividad más reciente).' })
  page?: number;

  @QueryInt('per_page', { min: 1, max: MAX_LIST_PER_PAGE, default: 20, clamp: true, description: 'Conversaciones por página.' })
  per_page?: number;

  @OptionalEnum('status', CONVERSATION_STATUSES, 'Filtra por estado.')
  status?: ConversationStatus;

  @QueryBoolean('assigned_to_me', 'Soporte: solo las asignadas a mí.')
  assigned_to_me?: boolean;

  @OptionalText('search', 100, 'Soporte: busca por nombre del candidato o asunto.')
  search?: string;

  @OptionalUuid('label_id', 'Soporte: solo las conversaciones con esta etiqueta.')
  label_id?: string;
  @QueryBoolean('unassigned', 'Soporte: la cola «Sin asignar», ordenada por tiempo de espera (la más antigua primero).')
  unassigned?: boolean;

  @OptionalEnum('tier', HANDLING_TIERS, 'Soporte: nivel de atención (`coordinator`: turnadas a coordinación).')
  tier?: HandlingTier;
}

export class UpdateStatusDto {
  @ApiProperty({ enum: CONVERSATION_STATUSES })
  @IsIn(CONVERSATION_STATUSES, { context: { code: 'invalid_status', message: '"status" debe ser open, resolved o closed.' } })
  status!: ConversationStatus;
}

/** Staff-only changes to a conversation's handling. `assigned_support_user_id: null` unassigns. */
export class UpdateConversationDto {
  @OptionalUserId('assigned_support_user_id', 'Agente asignado (null para quitar la asignación).')
  assigned_support_user_id?: string | null;

  @OptionalEnum('priority', CONVERSATION_PRIORITIES, 'Prioridad.')
  priority?: ConversationPriority;
}

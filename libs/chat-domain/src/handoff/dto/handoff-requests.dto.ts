import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsDefined, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';

import { SCHEMA_LIMITS } from '../../config/support-chat.config';
import { OptionalText, OptionalUuid } from '../../validation/validators';

const ctx = (code: string, message: string) => ({ context: { code, message } });

/** The optional internal note that travels with a transfer, escalation or return. */
const NoteField = () =>
  OptionalText('note', SCHEMA_LIMITS.messageLength, 'Nota interna que acompaña el cambio (solo la ve el equipo; máximo SUPPORT_CHAT_MAX_MESSAGE_LENGTH).');

export class CreateNoteDto {
  @ApiProperty({ description: 'Texto de la nota interna. `@usuario` de un miembro del equipo le avisa.', example: '@admin1 ¿puedes revisar su pago?' })
  @IsDefined(ctx('message_empty', 'La nota debe tener texto.'))
  @IsString(ctx('validation_failed', '"content" debe ser texto.'))
  @MaxLength(SCHEMA_LIMITS.messageLength, ctx('message_too_long', 'La nota supera el máximo permitido.'))
  content!: string;

  @OptionalUuid('client_message_id', 'Clave de idempotencia generada por el cliente: reenviar la misma devuelve la nota original.')
  client_message_id?: string;
}

export class TransferConversationDto {
  @ApiProperty({ format: 'uuid', description: 'Miembro activo del equipo que recibe la conversación.' })
  @IsDefined(ctx('assignee_not_staff', 'Indica a quién se transfiere ("assigned_support_user_id").'))
  @IsUUID('all', ctx('invalid_assigned_support_user_id', '"assigned_support_user_id" debe ser un UUID.'))
  assigned_support_user_id!: string;

  @NoteField()
  note?: string;
}

export class EscalateConversationDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'Coordinador que la recibe; sin él, queda en la cola de coordinación sin asignar.' })
  @IsOptional()
  @IsUUID('all', ctx('invalid_coordinator_user_id', '"coordinator_user_id" debe ser un UUID.'))
  coordinator_user_id?: string;

  @NoteField()
  note?: string;
}

export class ReturnConversationDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'Agente que la recibe de vuelta; sin él, vuelve a la cola «Sin asignar».' })
  @IsOptional()
  @IsUUID('all', ctx('invalid_assigned_support_user_id', '"assigned_support_user_id" debe ser un UUID.'))
  assigned_support_user_id?: string;

  @NoteField()
  note?: string;
}

export class StaffDirectoryQueryDto {
  @OptionalText('search', 100, 'Filtra por nombre, usuario o correo.')
  search?: string;
}

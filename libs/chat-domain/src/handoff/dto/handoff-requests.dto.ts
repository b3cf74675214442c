import { ApiProperty } from '../../openapi/api-docs';
import { IsDefined, IsString, MaxLength } from 'class-validator';

import { SCHEMA_LIMITS } from '../../config/support-chat.config';
import { MaxUtf16Length, OptionalText, OptionalUserId, OptionalUuid } from '../../validation/validators';

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
  @ApiProperty({ maxLength: 36, description: 'Miembro activo del equipo que recibe la conversación.' })
  @IsDefined(ctx('invalid_assigned_support_user_id', 'Indica a quién se transfiere ("assigned_support_user_id").'))
  @IsString(ctx('invalid_assigned_support_user_id', '"assigned_support_user_id" debe ser texto.'))
  @MaxUtf16Length(36, ctx('invalid_assigned_support_user_id', '"assigned_support_user_id" no es un identificador válido.'))
  assigned_support_user_id!: string;

  @NoteField()
  note?: string;
}

export class EscalateConversationDto {
  @OptionalUserId('coordinator_user_id', 'Coordinador que la recibe; sin él (o null), queda en la cola de coordinación sin asignar.')
  coordinator_user_id?: string | null;

  @NoteField()
  note?: string;
}

export class ReturnConversationDto {
  @OptionalUserId('assigned_support_user_id', 'Agente que la recibe de vuelta; sin él (o null), vuelve a la cola «Sin asignar».')
  assigned_support_user_id?: string | null;

  @NoteField()
  note?: string;
}

export class StaffDirectoryQueryDto {
  @OptionalText('search', 100, 'Filtra por nombre, usuario o correo.')
  search?: string;
}

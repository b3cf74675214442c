import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

import { ChatActor } from '../../auth/chat-actor';
import { SupportMessageEntity } from '../../persistence/entities';
import { ChatUserRecord } from '../../users/chat-user-directory';
import { PARTICIPANT_ROLES, type ParticipantRole } from '../../domain/conversation-status';
import { MESSAGE_TYPES, type MessageType } from '../../domain/message-type';
import { SYSTEM_SENDER, SYSTEM_SENDER_ID } from '../../domain/system-sender';

export class AttachmentDto {
  @ApiProperty() url!: string;
  @ApiProperty({ nullable: true, type: String }) name!: string | null;
  @ApiProperty() mime_type!: string;
  @ApiProperty() size_bytes!: number;
}

export class MessageSenderDto {
  @ApiProperty() id!: string;
  @ApiProperty({ example: 'Ana López' }) full_name!: string;
  @ApiProperty({ example: 'soporte' }) role!: string;
}

export class MessageDto {
  @ApiProperty() id!: string;
  @ApiProperty() conversation_id!: string;
  @ApiProperty({ description: 'Posición en la conversación: 1, 2, 3… sin huecos.' }) seq!: number;
  @ApiProperty() client_message_id!: string;
  @ApiProperty() sender_user_id!: string;
  @ApiProperty({ type: MessageSenderDto }) sender!: MessageSenderDto;
  @ApiProperty({ nullable: true, type: String }) content!: string | null;
  @ApiProperty({ enum: MESSAGE_TYPES }) message_type!: MessageType;
  @ApiProperty({ type: AttachmentDto, nullable: true }) attachment!: AttachmentDto | null;
  @ApiProperty({ format: 'date-time' }) created_at!: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) edited_at!: string | null;
}

export class MessageEnvelopeDto {
  @ApiProperty({ type: MessageDto }) message!: MessageDto;
}

export class MessagePageDto {
  @ApiProperty() conversation_id!: string;
  @ApiProperty({ type: [MessageDto], description: 'En orden cronológico (seq ascendente).' }) messages!: MessageDto[];
  @ApiProperty({ nullable: true, type: Number, description: 'Página pedida; null con cursores.' }) page!: number | null;
  @ApiProperty() per_page!: number;
  @ApiProperty({ description: 'Mensajes en la conversación.' }) total!: number;
  @ApiProperty() pages!: number;
  @ApiProperty({ description: 'Hay mensajes más antiguos que el primero de esta página.' }) has_older!: boolean;
  @ApiProperty({ description: 'Hay mensajes más recientes que el último de esta página.' }) has_newer!: boolean;
}

export class ReadStateDto {
  @ApiProperty() conversation_id!: string;
  @ApiPropertyOptional({ nullable: true, type: String }) last_read_message_id!: string | null;
  @ApiProperty() last_read_seq!: number;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) last_read_at!: string | null;
  @ApiProperty() unread_count!: number;
}

/** Another participant's read marker: how far they have read, for "Visto" on one's own messages. */
export class ReadMarkerDto {
  @ApiProperty() user_id!: string;
  @ApiProperty({ enum: PARTICIPANT_ROLES, description: 'Lado de la conversación: el candidato o el equipo de soporte.' }) role!: ParticipantRole;
  @ApiProperty({ description: '`seq` del último mensaje leído.' }) last_read_seq!: number;
  @ApiProperty({ nullable: true, type: String }) last_read_message_id!: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) last_read_at!: string | null;
}

export class ReadMarkerListDto {
  @ApiProperty({ type: [ReadMarkerDto], description: 'Marcadores de lectura de los demás participantes (nunca el propio), los que ya leyeron algo.' })
  markers!: ReadMarkerDto[];
  @ApiProperty({ description: 'Mensajes sin leer de quien pregunta en esta conversación: dónde va el separador «Mensajes nuevos» al abrirla.' })
  unread_count!: number;
}

export class UnreadCountDto {
  @ApiProperty({ description: 'Mensajes sin leer del usuario en todas sus conversaciones.' }) unread_count!: number;
  @ApiProperty({ description: 'Conversaciones con al menos un mensaje sin leer.' }) conversations_with_unread!: number;
}

export const isoOrNull = (date: Date | null): string | null => (date ? date.toISOString() : null);

export function toMessageDto(message: SupportMessageEntity, sender: ChatUserRecord | undefined, _viewer: ChatActor): MessageDto {
  return {
    id: message.id,
    conversation_id: message.conversationId,
    seq: message.seq,
    client_message_id: message.clientMessageId,
    sender_user_id: message.senderUserId,
    sender:
      message.senderUserId === SYSTEM_SENDER_ID
        ? { id: SYSTEM_SENDER_ID, full_name: SYSTEM_SENDER.full_name, role: SYSTEM_SENDER.role }
        : { id: message.senderUserId, full_name: sender?.full_name ?? 'Usuario no disponible', role: sender?.role ?? 'desconocido' },
    content: message.content,
    message_type: message.messageType,
    attachment: message.attachmentUrl
      ? {
          url: message.attachmentUrl,
          name: message.attachmentName,
          mime_type: message.attachmentMimeType ?? 'application/octet-stream',
          size_bytes: message.attachmentSizeBytes ?? 0,
        }
      : null,
    created_at: message.createdAt.toISOString(),
    edited_at: isoOrNull(message.editedAt),
  };
}

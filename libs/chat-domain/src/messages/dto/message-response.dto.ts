import { ApiExtraModels, ApiProperty, ApiPropertyOptional, getSchemaPath } from '../../openapi/api-docs';

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

/** A sender as a history page names them once, in `users`. */
export class PageUserDto {
  @ApiProperty({ example: 'Ana López' }) full_name!: string;
  @ApiProperty({ example: 'soporte' }) role!: string;
}

/**
 * A message in a history page: the page carries `conversation_id` and the senders (`users`) once, so
 * each entry omits them; fields that are null or default are left out (the schema says which). No
 * `client_message_id`: it is the sender's idempotency key, answered by the send and the event.
 */
export class PageMessageDto {
  @ApiProperty() id!: string;
  @ApiProperty({ description: 'Posición en la conversación: 1, 2, 3… sin huecos.' }) seq!: number;
  @ApiProperty({ description: 'Clave en `users` de la página.' }) sender_user_id!: string;
  @ApiPropertyOptional({ description: 'Ausente si el mensaje es solo un adjunto.' }) content?: string;
  @ApiPropertyOptional({ enum: MESSAGE_TYPES, default: 'text', description: 'Ausente cuando es `text`.' }) message_type?: MessageType;
  @ApiPropertyOptional({ type: AttachmentDto, description: 'Ausente si no hay adjunto.' }) attachment?: AttachmentDto;
  @ApiProperty({ format: 'date-time' }) created_at!: string;
  @ApiPropertyOptional({ format: 'date-time', description: 'Ausente si nunca se editó.' }) edited_at?: string;
}

@ApiExtraModels(PageUserDto)
export class MessagePageDto {
  @ApiProperty() conversation_id!: string;
  @ApiProperty({
    type: 'object',
    additionalProperties: { $ref: getSchemaPath(PageUserDto) },
    description: 'Quienes escribieron los mensajes de la página, una vez cada uno, por `sender_user_id`.',
  })
  users!: Record<string, PageUserDto>;
  @ApiProperty({ type: [PageMessageDto], description: 'En orden cronológico (seq ascendente).' }) messages!: PageMessageDto[];
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

function senderOf(senderUserId: string, sender: ChatUserRecord | undefined): MessageSenderDto {
  return senderUserId === SYSTEM_SENDER_ID
    ? { id: SYSTEM_SENDER_ID, full_name: SYSTEM_SENDER.full_name, role: SYSTEM_SENDER.role }
    : { id: senderUserId, full_name: sender?.full_name ?? 'Usuario no disponible', role: sender?.role ?? 'desconocido' };
}

function attachmentOf(message: SupportMessageEntity): AttachmentDto | null {
  return message.attachmentUrl
    ? {
        url: message.attachmentUrl,
        name: message.attachmentName,
        mime_type: message.attachmentMimeType ?? 'application/octet-stream',
        size_bytes: message.attachmentSizeBytes ?? 0,
      }
    : null;
}

export function toMessageDto(message: SupportMessageEntity, sender: ChatUserRecord | undefined, _viewer: ChatActor): MessageDto {
  return {
    id: message.id,
    conversation_id: message.conversationId,
    seq: message.seq,
    client_message_id: message.clientMessageId,
    sender_user_id: message.senderUserId,
    sender: senderOf(message.senderUserId, sender),
    content: message.content,
    message_type: message.messageType,
    attachment: attachmentOf(message),
    created_at: message.createdAt.toISOString(),
    edited_at: isoOrNull(message.editedAt),
  };
}

/** One history page entry: only the fields that carry something (see `PageMessageDto`). */
export function toPageMessageDto(message: SupportMessageEntity): PageMessageDto {
  const entry: PageMessageDto = { id: message.id, seq: message.seq, sender_user_id: message.senderUserId, created_at: message.createdAt.toISOString() };
  if (message.content !== null) entry.content = message.content;
  if (message.messageType !== 'text') entry.message_type = message.messageType;
  const attachment = attachmentOf(message);
  if (attachment) entry.attachment = attachment;
  if (message.editedAt) entry.edited_at = message.editedAt.toISOString();
  return entry;
}

/** The page's senders, once each, keyed by id. */
export function toPageUsers(messages: readonly SupportMessageEntity[], users: ReadonlyMap<string, ChatUserRecord>): Record<string, PageUserDto> {
  // No prototype: a host user id is any string, "__proto__" included.
  const result = Object.create(null) as Record<string, PageUserDto>;
  for (const { senderUserId } of messages) {
    if (Object.hasOwn(result, senderUserId)) continue;
    const { full_name, role } = senderOf(senderUserId, users.get(senderUserId));
    result[senderUserId] = { full_name, role };
  }
  return result;
}

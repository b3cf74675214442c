import { ApiProperty, ApiPropertyOptional } from '../../openapi/api-docs';
import { Type } from 'class-transformer';
import { IsDefined, IsInt, IsObject, IsOptional, IsString, MaxLength, Min, ValidateNested } from 'class-validator';

import { SCHEMA_LIMITS } from '../../config/support-chat.config';
import { MaxUtf16Length, OptionalUuid, QueryInt } from '../../validation/validators';

/** The largest history page; a larger `per_page` is clamped to it, as the original module did. */
export const MAX_HISTORY_PER_PAGE = 200;

const ctx = (code: string, message: string) => ({ context: { code, message } });

// Stored strings use MaxUtf16Length: the columns' limits as SQL Server's NVARCHAR counts them.

/** Metadata of a file already uploaded to the host's storage; the chat never receives the bytes. */
export class AttachmentInputDto {
  @ApiProperty({
    description: 'URL https del archivo ya subido.',
    example: 'https://files.example.com/u/123/captura.png',
    maxLength: SCHEMA_LIMITS.attachmentUrlLength,
  })
  @IsDefined(ctx('attachment_url_required', 'El adjunto requiere "url".'))
  @IsString(ctx('attachment_url_invalid', '"attachment.url" debe ser texto.'))
  @MaxUtf16Length(SCHEMA_LIMITS.attachmentUrlLength, ctx('attachment_url_invalid', '"attachment.url" es demasiado larga.'))
  url!: string;

  @ApiPropertyOptional({ description: 'Nombre del archivo.', example: 'captura.png', maxLength: SCHEMA_LIMITS.attachmentNameLength })
  @IsOptional()
  @IsString(ctx('attachment_name_invalid', '"attachment.name" debe ser texto.'))
  @MaxUtf16Length(SCHEMA_LIMITS.attachmentNameLength, ctx('attachment_name_invalid', '"attachment.name" es demasiado largo.'))
  name?: string;

  @ApiProperty({ description: 'Tipo MIME (en SUPPORT_CHAT_ATTACHMENT_MIMES).', example: 'image/png' })
  @IsDefined(ctx('attachment_mime_required', 'El adjunto requiere "mime_type".'))
  @IsString(ctx('attachment_mime_not_allowed', '"attachment.mime_type" debe ser texto.'))
  @MaxUtf16Length(SCHEMA_LIMITS.mimeTypeLength, ctx('attachment_mime_not_allowed', '"attachment.mime_type" no es válido.'))
  mime_type!: string;

  @ApiProperty({ description: 'Tamaño en bytes (≤ SUPPORT_CHAT_ATTACHMENT_MAX_BYTES).', example: 48213 })
  @IsDefined(ctx('attachment_size_invalid', 'El adjunto requiere "size_bytes".'))
  @IsInt(ctx('attachment_size_invalid', '"attachment.size_bytes" debe ser un número entero.'))
  @Min(0, ctx('attachment_size_invalid', '"attachment.size_bytes" no puede ser negativo.'))
  size_bytes!: number;
}

export class SendMessageDto {
  @ApiPropertyOptional({
    description: 'Texto del mensaje (máximo SUPPORT_CHAT_MAX_MESSAGE_LENGTH). Se requiere `content` o `attachment`.',
    example: 'Hola, no puedo abrir el examen.',
  })
  @IsOptional()
  @IsString(ctx('validation_failed', '"content" debe ser texto.'))
  @MaxLength(SCHEMA_LIMITS.messageLength, ctx('message_too_long', `El mensaje supera el máximo permitido.`))
  content?: string;

  @ApiPropertyOptional({ type: AttachmentInputDto })
  @IsOptional()
  @IsObject(ctx('validation_failed', '"attachment" debe ser un objeto.'))
  @ValidateNested()
  @Type(() => AttachmentInputDto)
  attachment?: AttachmentInputDto;

  @OptionalUuid('client_message_id', 'Clave de idempotencia generada por el cliente: reenviar la misma devuelve el mensaje original.')
  client_message_id?: string;
}

export class HistoryQueryDto {
  @QueryInt('page', { min: 1, max: 10000000, default: 1, description: 'Página (1 = mensajes más recientes); cada página en orden cronológico.' })
  page?: number;

  @QueryInt('per_page', { min: 1, max: MAX_HISTORY_PER_PAGE, default: 50, clamp: true, description: 'Mensajes por página.' })
  per_page?: number;

  @QueryInt('before_seq', { min: 1, max: 2147483647, description: 'Cursor: mensajes anteriores a este `seq` (los más cercanos).' })
  before_seq?: number;

  @QueryInt('after_seq', { min: 0, max: 2147483647, description: 'Cursor: mensajes posteriores a este `seq` (los más cercanos).' })
  after_seq?: number;

  @QueryInt('around_seq', {
    min: 1,
    max: 2147483647,
    description:
      'Ventana alrededor de este `seq` (p. ej. un resultado de búsqueda): el mensaje y los más cercanos antes y después. No se combina con `before_seq`/`after_seq`.',
  })
  around_seq?: number;
}

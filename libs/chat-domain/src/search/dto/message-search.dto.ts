import { ApiProperty } from '../../openapi/api-docs';
import { IsDefined, IsString, MaxLength } from 'class-validator';

import { ConversationDto } from '../../conversations/dto/conversation-response.dto';
import { MessageDto } from '../../messages/dto/message-response.dto';
import { QueryInt } from '../../validation/validators';

/** The longest query text accepted (only its first words are used: see `MAX_SEARCH_TERMS`). */
export const MAX_SEARCH_QUERY_LENGTH = 200;
/** The most conversations one search returns. */
export const MAX_SEARCH_RESULTS = 50;

const ctx = (code: string, message: string) => ({ context: { code, message } });

export class MessageSearchQueryDto {
  @ApiProperty({
    description:
      'Palabras a buscar en el texto de los mensajes (sin distinguir mayúsculas ni acentos; cada palabra como inicio de una palabra del mensaje, todas requeridas). Los signos y operadores se ignoran.',
    example: 'examen cancelado',
    maxLength: MAX_SEARCH_QUERY_LENGTH,
  })
  @IsDefined(ctx('search_query_invalid', 'Escribe qué buscar ("q").'))
  @IsString(ctx('search_query_invalid', '"q" debe ser texto.'))
  @MaxLength(MAX_SEARCH_QUERY_LENGTH, ctx('search_query_invalid', `La búsqueda admite hasta ${MAX_SEARCH_QUERY_LENGTH} caracteres.`))
  q!: string;

  @QueryInt('limit', { min: 1, max: MAX_SEARCH_RESULTS, default: 20, clamp: true, description: 'Conversaciones como máximo.' })
  limit?: number;
}

/** A piece of the snippet: show `text` as plain text, emphasised when `match` is true (never as HTML). */
export class SnippetSegmentDto {
  @ApiProperty() text!: string;
  @ApiProperty({ description: 'El fragmento coincide con la búsqueda (resaltarlo).' }) match!: boolean;
}

export class MessageSearchResultDto {
  @ApiProperty({ type: ConversationDto }) conversation!: ConversationDto;
  @ApiProperty({ type: MessageDto, description: 'El mensaje más reciente de la conversación que coincide; abrirla en su `seq`.' })
  message!: MessageDto;
  @ApiProperty({ type: [SnippetSegmentDto], description: 'Fragmento del mensaje alrededor de la coincidencia.' })
  snippet!: SnippetSegmentDto[];
}

export class MessageSearchListDto {
  @ApiProperty({ type: [String], description: 'Las palabras buscadas, normalizadas (minúsculas, sin acentos).' }) terms!: string[];
  @ApiProperty({ type: [MessageSearchResultDto], description: 'Conversaciones con mensajes que coinciden, la coincidencia más reciente primero.' })
  results!: MessageSearchResultDto[];
}

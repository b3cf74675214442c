import { IsOptional, IsString, MaxLength } from 'class-validator';
import { ApiPropertyOptional } from '../../openapi/api-docs';

export class MarkReadDto {
  @ApiPropertyOptional({ description: 'Último mensaje leído; si se omite, se marca todo lo recibido hasta ahora.' })
  @IsOptional()
  @IsString({ context: { code: 'invalid_last_message_id', message: '"last_message_id" debe ser texto.' } })
  @MaxLength(36, { context: { code: 'message_not_found', message: 'El mensaje indicado no pertenece a esta conversación.' } })
  last_message_id?: string;
}

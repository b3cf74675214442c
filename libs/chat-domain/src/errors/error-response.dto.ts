import { ApiProperty, ApiPropertyOptional } from '../openapi/api-docs';

export class ErrorDetailDto {
  @ApiPropertyOptional({ description: 'Campo del cuerpo o de la consulta que falló.', example: 'content' })
  field?: string;

  @ApiProperty({ example: 'message_too_long' })
  code!: string;

  @ApiProperty({ example: 'El mensaje supera los 4000 caracteres.' })
  message!: string;
}

/** The body of every error response. */
export class ErrorResponseDto {
  @ApiProperty({ description: 'Mensaje para personas, en español.', example: 'La conversación no existe.' })
  error!: string;

  @ApiProperty({ description: 'Código estable para programas.', example: 'conversation_not_found' })
  code!: string;

  @ApiPropertyOptional({ type: [ErrorDetailDto] })
  details?: ErrorDetailDto[];
}

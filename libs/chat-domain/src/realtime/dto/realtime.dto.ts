import { ApiProperty, ApiPropertyOptional } from '../../openapi/api-docs';
import { IsObject, IsOptional } from 'class-validator';

export class RealtimeTicketRequestDto {
  @ApiPropertyOptional({
    description:
      'Último `seq` que el cliente tiene de cada conversación (como máximo `SUPPORT_CHAT_REALTIME_MAX_SINCE_ENTRIES`, 200 por omisión); el flujo reenvía desde la base de datos lo que falte.',
    type: 'object',
    additionalProperties: { type: 'integer', minimum: 0 },
    example: { '6f1c1d2e-8a4b-4c11-9f1e-1a2b3c4d5e6f': 42 },
  })
  @IsOptional()
  @IsObject({ context: { code: 'validation_failed', message: '"since" debe ser un objeto { conversation_id: seq }.' } })
  since?: Record<string, number>;
}

export class RealtimeTicketDto {
  @ApiProperty({ description: 'Ticket de un solo uso para `GET /events?ticket=` o el handshake de Socket.IO.' }) ticket!: string;
  @ApiProperty({ description: 'Segundos de validez.' }) expires_in!: number;
}

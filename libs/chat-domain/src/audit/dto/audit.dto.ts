import { ApiProperty, ApiPropertyOptional } from '../../openapi/api-docs';
import { IsISO8601, IsOptional, IsString, Matches } from 'class-validator';

import { OptionalEnum, OptionalUserId, OptionalUuid } from '../../validation/validators';
import { AUDIT_ACTIONS, type AuditAction } from '../audit-actions';

const isoContext = (field: string) => ({
  context: { code: `invalid_${field}`, message: `"${field}" debe ser una fecha ISO 8601 (p. ej. 2026-11-30T00:00:00Z).` },
});

/** Filters of the audit trail (list and CSV export). */
export class AuditEventsQueryDto {
  @OptionalUserId('actor_user_id', 'Solo las acciones de este usuario.')
  actor_user_id?: string;

  @OptionalEnum('action', AUDIT_ACTIONS, 'Solo esta acción.')
  action?: AuditAction;

  @OptionalUuid('conversation_id', 'Solo las acciones sobre esta conversación.')
  conversation_id?: string;

  @ApiPropertyOptional({ type: String, format: 'date-time', description: 'Desde este instante (incluido).' })
  @IsOptional()
  @IsISO8601({ strict: true }, isoContext('from'))
  from?: string;

  @ApiPropertyOptional({ type: String, format: 'date-time', description: 'Hasta este instante (excluido).' })
  @IsOptional()
  @IsISO8601({ strict: true }, isoContext('to'))
  to?: string;

  @ApiPropertyOptional({ type: String, description: 'El `next_cursor` de la página anterior.' })
  @IsOptional()
  @IsString({ context: { code: 'invalid_audit_cursor', message: '"cursor" no es válido.' } })
  @Matches(/^[A-Za-z0-9_-]{1,200}$/, { context: { code: 'invalid_audit_cursor', message: '"cursor" no es válido.' } })
  cursor?: string;
}

export class AuditEventDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'date-time' }) occurred_at!: string;
  @ApiProperty() actor_user_id!: string;
  @ApiProperty({ description: 'Nombre del usuario hoy («Usuario no disponible» si ya no existe).' }) actor_name!: string;
  @ApiProperty({ description: 'Rol del usuario cuando actuó.' }) actor_role!: string;
  @ApiProperty({ enum: AUDIT_ACTIONS }) action!: AuditAction;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) conversation_id!: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true, description: 'Valores antes de la acción.' })
  before!: Record<string, unknown> | null;
  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true, description: 'Valores después de la acción.' })
  after!: Record<string, unknown> | null;
}

export class AuditEventPageDto {
  @ApiProperty({ type: [AuditEventDto], description: 'Más recientes primero.' }) events!: AuditEventDto[];
  @ApiProperty({ type: String, nullable: true, description: 'Para la página siguiente (entradas más antiguas); null al final.' })
  next_cursor!: string | null;
}

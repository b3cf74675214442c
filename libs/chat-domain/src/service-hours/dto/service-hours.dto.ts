import { ApiProperty } from '../../openapi/api-docs';
import { ArrayMaxSize, IsArray, IsBoolean, IsString, MaxLength } from 'class-validator';

import { MaxUtf16Length } from '../../validation/validators';
import { AUTO_REPLY_TEXT_MAX } from '../service-hours.config';

const ctx = (code: string, message: string) => ({ context: { code, message } });

/** What the candidate page shows before anyone writes (`GET /service-status`). */
export class ServiceStatusDto {
  @ApiProperty({ description: 'Si el equipo atiende en este momento.' }) open!: boolean;
  @ApiProperty({ example: 'America/Mexico_City' }) time_zone!: string;
  @ApiProperty({ example: 'de lunes a viernes de 9:00 a 18:00 (hora de America/Mexico_City)' }) schedule_text!: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String, description: 'Cuándo cierra (si está abierto).' }) closes_at!: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String, description: 'Próxima apertura (si está cerrado).' }) next_opening_at!: string | null;
  @ApiProperty({ nullable: true, type: String, example: 'a partir del lunes a las 9:00' }) next_opening_text!: string | null;
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'Aviso para el candidato fuera de horario; null si está abierto.',
    example: 'Nuestro horario es de lunes a viernes de 9:00 a 18:00 (hora de America/Mexico_City). Te responderemos a partir del lunes a las 9:00.',
  })
  closed_notice!: string | null;
  @ApiProperty({
    nullable: true,
    type: Number,
    description: 'Mediana del tiempo de primera respuesta de los últimos 7 días en horario de atención (minutos); null si hay pocos datos.',
  })
  expected_reply_minutes!: number | null;
}

/** The business hours as the admin saves them (`PUT /settings/business-hours`). */
export class UpdateBusinessHoursDto {
  @ApiProperty({ example: 'America/Mexico_City', description: 'Zona horaria IANA.' })
  @IsString(ctx('validation_failed', '"time_zone" debe ser texto.'))
  @MaxLength(64, ctx('validation_failed', '"time_zone" supera los 64 caracteres.'))
  time_zone!: string;

  @ApiProperty({ example: 'mon-fri 09:00-18:00; sat 10:00-14:00', description: 'Horario semanal; vacío = siempre cerrado.' })
  @IsString(ctx('validation_failed', '"weekly_hours" debe ser texto.'))
  @MaxLength(500, ctx('validation_failed', '"weekly_hours" supera los 500 caracteres.'))
  weekly_hours!: string;

  @ApiProperty({ type: [String], example: ['2026-12-25'], description: 'Días festivos (AAAA-MM-DD), cerrados todo el día.' })
  @IsArray(ctx('validation_failed', '"holidays" debe ser una lista de fechas.'))
  @ArrayMaxSize(400, ctx('validation_failed', '"holidays" admite hasta 400 fechas.'))
  @IsString({ each: true, ...ctx('validation_failed', 'Cada fecha de "holidays" debe ser texto AAAA-MM-DD.') })
  holidays!: string[];

  @ApiProperty({ description: 'Enviar la respuesta automática fuera de horario.' })
  @IsBoolean(ctx('validation_failed', '"auto_reply_enabled" debe ser true o false.'))
  auto_reply_enabled!: boolean;

  @ApiProperty({ description: 'Texto de la respuesta automática; variables {horario} y {proxima_apertura}.', maxLength: AUTO_REPLY_TEXT_MAX })
  @IsString(ctx('validation_failed', '"auto_reply_text" debe ser texto.'))
  @MaxUtf16Length(AUTO_REPLY_TEXT_MAX, ctx('validation_failed', `"auto_reply_text" supera los ${AUTO_REPLY_TEXT_MAX} caracteres.`))
  auto_reply_text!: string;
}

/** The business hours in effect (`GET`/`PUT /settings/business-hours`). */
export class BusinessHoursSettingsDto extends UpdateBusinessHoursDto {
  @ApiProperty({ format: 'date-time', nullable: true, type: String, description: 'Última modificación; null mientras rigen los valores del entorno.' })
  updated_at!: string | null;
}

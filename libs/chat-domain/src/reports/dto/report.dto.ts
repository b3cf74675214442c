import { ApiProperty, ApiPropertyOptional } from '../../openapi/api-docs';
import { IsIn, IsOptional, Matches } from 'class-validator';

export const REPORT_GROUPS = ['overall', 'agent', 'label'] as const;
export type ReportGroup = (typeof REPORT_GROUPS)[number];

const dateContext = (field: string) => ({
  context: { code: 'report_range_invalid', message: `"${field}" debe ser una fecha AAAA-MM-DD (día de la Ciudad de México).` },
});

/** The range of a report: local days in the configured zone, both included. */
export class ReportRangeQueryDto {
  @ApiProperty({ example: '2026-11-01', description: 'Primer día (incluido), en la zona horaria del horario de atención.' })
  @Matches(/^\d{4}-\d{2}-\d{2}$/, dateContext('from'))
  from!: string;

  @ApiProperty({ example: '2026-11-30', description: 'Último día (incluido).' })
  @Matches(/^\d{4}-\d{2}-\d{2}$/, dateContext('to'))
  to!: string;

  @ApiPropertyOptional({ enum: ['json', 'csv'], description: '`csv` descarga la tabla en CSV (UTF-8 con BOM).' })
  @IsOptional()
  @IsIn(['json', 'csv'], { context: { code: 'invalid_format', message: '"format" debe ser json o csv.' } })
  format?: 'json' | 'csv';
}

export class ReportSummaryQueryDto extends ReportRangeQueryDto {
  @ApiPropertyOptional({ enum: REPORT_GROUPS, default: 'overall', description: 'Agrupar por agente, etiqueta o en total.' })
  @IsOptional()
  @IsIn(REPORT_GROUPS, { context: { code: 'invalid_group_by', message: '"group_by" debe ser overall, agent o label.' } })
  group_by?: ReportGroup;
}

export class DurationFiguresDto {
  @ApiProperty({ description: 'Conversaciones con este valor.' })
  count!: number;
  @ApiProperty({ type: Number, nullable: true, description: 'Mediana en minutos de reloj.' })
  median_minutes!: number | null;
  @ApiProperty({ type: Number, nullable: true, description: 'Percentil 90 en minutos de reloj.' })
  p90_minutes!: number | null;
  @ApiProperty({ type: Number, nullable: true, description: 'Mediana en minutos hábiles (horario de atención).' })
  business_median_minutes!: number | null;
  @ApiProperty({ type: Number, nullable: true, description: 'Percentil 90 en minutos hábiles.' })
  business_p90_minutes!: number | null;
}

export class CsatFiguresDto {
  @ApiProperty()
  count!: number;
  @ApiProperty({ type: Number, nullable: true, description: 'Promedio (1 a 5).' })
  average!: number | null;
  @ApiProperty({ type: [Number], description: 'Calificaciones de 1 a 5: cuántas de cada una (índice 0 = 1).' })
  distribution!: number[];
}

export class ReportRowDto {
  @ApiProperty({ description: '`overall`, el id del agente o de la etiqueta; `sin_asignar` / `sin_etiqueta`.' })
  key!: string;
  @ApiProperty()
  name!: string;
  @ApiProperty({ description: 'Conversaciones abiertas (creadas) en el periodo.' })
  opened!: number;
  @ApiProperty({ description: 'Conversaciones resueltas en el periodo.' })
  resolved!: number;
  @ApiProperty({ type: DurationFiguresDto, description: 'Primera respuesta (de las abiertas en el periodo).' })
  first_response!: DurationFiguresDto;
  @ApiProperty({ type: DurationFiguresDto, description: 'Tiempo de resolución (de las resueltas en el periodo).' })
  resolution!: DurationFiguresDto;
  @ApiProperty({ type: CsatFiguresDto })
  csat!: CsatFiguresDto;
  @ApiProperty({ type: Number, nullable: true, description: 'Mensajes por conversación (promedio, de las abiertas en el periodo).' })
  messages_per_conversation!: number | null;
  @ApiProperty({ description: 'Abiertas ahora.' })
  backlog_open!: number;
  @ApiProperty({ description: 'Abiertas ahora esperando respuesta del equipo.' })
  backlog_waiting!: number;
  @ApiProperty({ type: String, nullable: true, description: 'Desde cuándo espera la conversación más antigua sin respuesta.' })
  oldest_waiting_since!: string | null;
  @ApiProperty({ type: String, nullable: true })
  oldest_waiting_conversation_id!: string | null;
}

export class ReportSummaryDto {
  @ApiProperty()
  from!: string;
  @ApiProperty()
  to!: string;
  @ApiProperty({ example: 'America/Mexico_City' })
  time_zone!: string;
  @ApiProperty({ enum: REPORT_GROUPS })
  group_by!: ReportGroup;
  @ApiProperty({ type: [ReportRowDto] })
  rows!: ReportRowDto[];
}

export class ReportDayDto {
  @ApiProperty({ example: '2026-11-30' })
  date!: string;
  @ApiProperty()
  opened!: number;
  @ApiProperty()
  resolved!: number;
  @ApiProperty({ type: Number, nullable: true, description: 'CSAT promedio de las conversaciones resueltas ese día.' })
  csat_average!: number | null;
  @ApiProperty()
  csat_count!: number;
}

export class ResponseBucketDto {
  @ApiProperty()
  key!: string;
  @ApiProperty()
  label!: string;
  @ApiProperty()
  count!: number;
}

export class ReportVolumeDto {
  @ApiProperty()
  from!: string;
  @ApiProperty()
  to!: string;
  @ApiProperty()
  time_zone!: string;
  @ApiProperty({ type: [ReportDayDto] })
  days!: ReportDayDto[];
  @ApiProperty({ type: [ResponseBucketDto], description: 'Distribución de la primera respuesta (minutos de reloj).' })
  response_time_distribution!: ResponseBucketDto[];
}

export class LiveAgentDto {
  @ApiProperty()
  id!: string;
  @ApiProperty()
  full_name!: string;
  @ApiProperty()
  role!: string;
  @ApiProperty()
  online!: boolean;
  @ApiProperty({ description: 'Conversaciones abiertas asignadas.' })
  open_conversations!: number;
  @ApiProperty({ description: 'De ellas, esperando respuesta del equipo.' })
  waiting_conversations!: number;
}

export class LiveAgentsDto {
  @ApiProperty({ type: [LiveAgentDto] })
  agents!: LiveAgentDto[];
  @ApiProperty({ description: 'Abiertas sin asignar.' })
  unassigned_open!: number;
}

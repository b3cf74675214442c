import { Controller, Get, Header, Headers, HttpStatus, Query, Res, UseFilters, UsePipes } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiResponse, ApiTags } from '../openapi/api-docs';

import type { ChatActor } from '../auth/chat-actor';
import { ChatAuth, CurrentChatActor } from '../auth/chat-auth.decorators';
import { ChatExceptionFilter } from '../errors/chat-exception.filter';
import { ErrorResponseDto } from '../errors/error-response.dto';
import type { ChatHttpResponse } from '../http/http-response';
import { createChatValidationPipe } from '../validation/chat-validation.pipe';
import { LiveAgentsDto, ReportRangeQueryDto, ReportSummaryDto, ReportSummaryQueryDto, ReportVolumeDto } from './dto/report.dto';
import { ReportsService } from './reports.service';

/**
 * Reports (read-only): supervisors and `SUPPORT_CHAT_REPORT_ROLES` (default `admin`); anyone else in the
 * chat gets 403 `reports_forbidden`. `format=csv` (or `Accept: text/csv`) downloads the table as CSV.
 */
@ApiTags('Chat de soporte: reportes')
@Controller('support/chat/reports')
@ChatAuth()
@UsePipes(createChatValidationPipe())
@UseFilters(ChatExceptionFilter)
@ApiBadRequestResponse({ description: 'Periodo o filtros inválidos (`report_range_invalid`).', type: ErrorResponseDto })
@ApiResponse({ status: HttpStatus.FORBIDDEN, description: 'Sin acceso a los reportes (`reports_forbidden`) o rol fuera del chat.', type: ErrorResponseDto })
export class SupportChatReportsController {
  constructor(private readonly reports: ReportsService) {}

  @Get('summary')
  @ApiProduces('application/json', 'text/csv')
  @ApiOperation({
    summary: 'Resumen del periodo',
    description:
      'Por agente, por etiqueta o en total: abiertas y resueltas, primera respuesta y resolución (mediana y p90, en reloj y en horario hábil), CSAT, mensajes por conversación y pendientes actuales.',
  })
  @ApiOkResponse({ type: ReportSummaryDto })
  async summary(
    @CurrentChatActor() actor: ChatActor,
    @Query() query: ReportSummaryQueryDto,
    @Headers('accept') accept: string | undefined,
    @Res({ passthrough: true }) response: ChatHttpResponse,
  ): Promise<ReportSummaryDto | string> {
    const summary = await this.reports.summary(actor, query);
    if (!wantsCsv(query, accept)) return summary;
    sendCsv(response, `reporte-resumen-${summary.from}-${summary.to}.csv`);
    return this.reports.summaryCsv(summary);
  }

  @Get('volume')
  @ApiProduces('application/json', 'text/csv')
  @ApiOperation({
    summary: 'Volumen por día',
    description: 'Abiertas y resueltas por día (zona del horario de atención), CSAT por día y distribución de la primera respuesta.',
  })
  @ApiOkResponse({ type: ReportVolumeDto })
  async volume(
    @CurrentChatActor() actor: ChatActor,
    @Query() query: ReportRangeQueryDto,
    @Headers('accept') accept: string | undefined,
    @Res({ passthrough: true }) response: ChatHttpResponse,
  ): Promise<ReportVolumeDto | string> {
    const volume = await this.reports.volume(actor, query);
    if (!wantsCsv(query, accept)) return volume;
    sendCsv(response, `reporte-volumen-${volume.from}-${volume.to}.csv`);
    return this.reports.volumeCsv(volume);
  }

  @Get('agents/live')
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    summary: 'Agentes en línea y su carga',
    description: 'Equipo activo: en línea o no, conversaciones abiertas asignadas y cuántas esperan respuesta.',
  })
  @ApiOkResponse({ type: LiveAgentsDto })
  live(@CurrentChatActor() actor: ChatActor): Promise<LiveAgentsDto> {
    return this.reports.liveAgents(actor);
  }
}

function wantsCsv(query: ReportRangeQueryDto, accept: string | undefined): boolean {
  if (query.format) return query.format === 'csv';
  return /\btext\/csv\b/.test(accept ?? '');
}

function sendCsv(response: ChatHttpResponse, filename: string): void {
  response.header('Content-Type', 'text/csv; charset=utf-8');
  response.header('Content-Disposition', `attachment; filename="${filename}"`);
  response.header('Cache-Control', 'no-store');
}

import { Controller, Get, HttpStatus, Query, Res, StreamableFile, UseFilters, UsePipes } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiResponse, ApiTags } from '../openapi/api-docs';
import { Readable } from 'node:stream';

import type { ChatActor } from '../auth/chat-actor';
import { ChatAuth, CurrentChatActor } from '../auth/chat-auth.decorators';
import { ChatExceptionFilter } from '../errors/chat-exception.filter';
import { ErrorResponseDto } from '../errors/error-response.dto';
import type { ChatHttpResponse } from '../http/http-response';
import { createChatValidationPipe } from '../validation/chat-validation.pipe';
import { ChatAuditTrail } from './chat-audit-trail';
import { AuditEventPageDto, AuditEventsQueryDto } from './dto/audit.dto';

/**
 * The audit trail, read-only: there is no route that edits or deletes an entry. Supervisors and
 * `SUPPORT_CHAT_AUDIT_ROLES` (default `admin`); anyone else in the chat gets 403 `audit_forbidden`.
 */
@ApiTags('Chat de soporte: auditoría')
@Controller('support/chat/audit-events')
@ChatAuth()
@UsePipes(createChatValidationPipe())
@UseFilters(ChatExceptionFilter)
@ApiBadRequestResponse({ description: 'Filtros inválidos (ver `code` y `details`).', type: ErrorResponseDto })
@ApiResponse({ status: HttpStatus.FORBIDDEN, description: 'Sin acceso a la bitácora (`audit_forbidden`) o rol fuera del chat.', type: ErrorResponseDto })
export class SupportChatAuditController {
  constructor(private readonly audit: ChatAuditTrail) {}

  @Get()
  @ApiOperation({ summary: 'Bitácora de auditoría', description: 'Acciones del equipo, más recientes primero, 50 por página (`next_cursor`).' })
  @ApiOkResponse({ type: AuditEventPageDto })
  list(@CurrentChatActor() actor: ChatActor, @Query() query: AuditEventsQueryDto): Promise<AuditEventPageDto> {
    return this.audit.page(actor, query);
  }

  @Get('export')
  @ApiProduces('text/csv')
  @ApiOperation({
    summary: 'Exportar la bitácora (CSV)',
    description:
      'Todas las entradas que cumplen los filtros (`cursor` se ignora), en CSV UTF-8 con BOM; los campos que una hoja de cálculo tomaría por fórmula llevan un apóstrofo inicial.',
  })
  @ApiOkResponse({ description: 'CSV: fecha_utc, usuario_id, usuario, rol, accion, conversacion_id, antes, despues.', schema: { type: 'string' } })
  export(@CurrentChatActor() actor: ChatActor, @Query() query: AuditEventsQueryDto, @Res({ passthrough: true }) response: ChatHttpResponse): StreamableFile {
    // Checked before any header is set, so a refusal is an ordinary JSON error.
    this.audit.assertCanExport(actor);
    response.header('Cache-Control', 'no-store');
    return new StreamableFile(Readable.from(this.audit.csv(actor, query)), {
      type: 'text/csv; charset=utf-8',
      disposition: 'attachment; filename="auditoria-chat-soporte.csv"',
    });
  }
}

import { Body, Controller, Get, Put, UseFilters, UsePipes } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation, ApiTags } from '../openapi/api-docs';

import type { ChatActor } from '../auth/chat-actor';
import { ChatAuth, CurrentChatActor } from '../auth/chat-auth.decorators';
import { ChatExceptionFilter } from '../errors/chat-exception.filter';
import { ErrorResponseDto } from '../errors/error-response.dto';
import { ChatRateLimit } from '../limits/chat-rate-limit.guard';
import { createChatValidationPipe } from '../validation/chat-validation.pipe';
import { BusinessHoursSettingsDto, ServiceStatusDto, UpdateBusinessHoursDto } from './dto/service-hours.dto';
import { ServiceStatusService } from './service-status.service';

/** Business hours: what candidates see before writing, and the admin's settings. */
@ApiTags('Chat de soporte: horario de atención')
@Controller('support/chat')
@ChatAuth()
@UsePipes(createChatValidationPipe())
@UseFilters(ChatExceptionFilter)
@ApiBadRequestResponse({ description: 'Datos inválidos (ver `code` y `details`).', type: ErrorResponseDto })
export class ServiceHoursController {
  constructor(private readonly status: ServiceStatusService) {}

  @Get('service-status')
  @ApiOperation({
    summary: 'Horario y tiempo de respuesta',
    description: 'Si el equipo atiende ahora, el horario, la próxima apertura y el tiempo de respuesta habitual (null si hay pocos datos).',
  })
  @ApiOkResponse({ type: ServiceStatusDto })
  serviceStatus(): Promise<ServiceStatusDto> {
    return this.status.status();
  }

  @Get('settings/business-hours')
  @ApiOperation({ summary: 'Horario de atención (admin)' })
  @ApiOkResponse({ type: BusinessHoursSettingsDto })
  settings(@CurrentChatActor() actor: ChatActor): Promise<BusinessHoursSettingsDto> {
    return this.status.settings(actor);
  }

  @Put('settings/business-hours')
  @ChatRateLimit('status')
  @ApiOperation({ summary: 'Cambiar el horario de atención (admin)', description: 'Zona horaria IANA, horario semanal, festivos y respuesta automática.' })
  @ApiOkResponse({ type: BusinessHoursSettingsDto })
  updateSettings(@CurrentChatActor() actor: ChatActor, @Body() body: UpdateBusinessHoursDto): Promise<BusinessHoursSettingsDto> {
    return this.status.updateSettings(actor, body);
  }
}

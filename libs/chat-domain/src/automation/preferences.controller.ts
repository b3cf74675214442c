import { Body, Controller, Get, Put, UseFilters, UsePipes } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation, ApiTags } from '../openapi/api-docs';

import type { ChatActor } from '../auth/chat-actor';
import { ChatAuth, CurrentChatActor } from '../auth/chat-auth.decorators';
import { ChatExceptionFilter } from '../errors/chat-exception.filter';
import { ErrorResponseDto } from '../errors/error-response.dto';
import { ChatRateLimit } from '../limits/chat-rate-limit.guard';
import { createChatValidationPipe } from '../validation/chat-validation.pipe';
import { ChatPreferencesDto, UpdateChatPreferencesDto } from './dto/preferences.dto';
import { PreferencesService } from './preferences.service';

/** The caller's chat preferences (issue 17: e-mail when away). */
@ApiTags('Chat de soporte')
@Controller('support/chat')
@ChatAuth()
@UsePipes(createChatValidationPipe())
@UseFilters(ChatExceptionFilter)
@ApiBadRequestResponse({ description: 'Datos inválidos (ver `code` y `details`).', type: ErrorResponseDto })
export class ChatPreferencesController {
  constructor(private readonly preferences: PreferencesService) {}

  @Get('me/preferences')
  @ApiOperation({ summary: 'Mis preferencias del chat', description: 'Por omisión el correo por respuestas sin leer está activado.' })
  @ApiOkResponse({ type: ChatPreferencesDto })
  getPreferences(@CurrentChatActor() actor: ChatActor): Promise<ChatPreferencesDto> {
    return this.preferences.get(actor);
  }

  @Put('me/preferences')
  @ChatRateLimit('preferences')
  @ApiOperation({ summary: 'Cambiar mis preferencias del chat' })
  @ApiOkResponse({ type: ChatPreferencesDto })
  updatePreferences(@CurrentChatActor() actor: ChatActor, @Body() body: UpdateChatPreferencesDto): Promise<ChatPreferencesDto> {
    return this.preferences.update(actor, body);
  }
}

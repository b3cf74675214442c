import { Body, Controller, Get, Put, UseFilters, UsePipes } from '@nestjs/common';
import { ApiBadRequestResponse, ApiConflictResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '../openapi/api-docs';

import type { ChatActor } from '../auth/chat-actor';
import { ChatAuth, CurrentChatActor } from '../auth/chat-auth.decorators';
import { ChatExceptionFilter } from '../errors/chat-exception.filter';
import { ErrorResponseDto } from '../errors/error-response.dto';
import { ChatRateLimit } from '../limits/chat-rate-limit.guard';
import { createChatValidationPipe } from '../validation/chat-validation.pipe';
import { RateConversationDto, RatingStateEnvelopeDto } from './dto/rating.dto';
import { RatingsService } from './ratings.service';
import { ConversationIdParam } from '../validation/route-params';

/** The satisfaction survey (CSAT) of a conversation. */
@ApiTags('Chat de soporte: satisfacción')
@Controller('support/chat/conversations/:conversationId/rating')
@ChatAuth()
@UsePipes(createChatValidationPipe())
@UseFilters(ChatExceptionFilter)
@ApiBadRequestResponse({ description: 'Datos inválidos (ver `code` y `details`).', type: ErrorResponseDto })
export class CsatController {
  constructor(private readonly ratings: RatingsService) {}

  @Get()
  @ApiOperation({
    summary: 'Estado de la encuesta de satisfacción',
    description: 'Candidato: su calificación de la resolución actual y si puede calificar. Soporte: además, el historial de calificaciones.',
  })
  @ApiOkResponse({ type: RatingStateEnvelopeDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  async get(@CurrentChatActor() actor: ChatActor, @ConversationIdParam() conversationId: string): Promise<RatingStateEnvelopeDto> {
    return { rating: await this.ratings.state(actor, conversationId) };
  }

  @Put()
  @ChatRateLimit('status')
  @ApiOperation({
    summary: 'Calificar la atención (candidato)',
    description: 'De 1 a 5 con comentario opcional, una vez por resolución; se puede cambiar durante SUPPORT_CHAT_RATING_EDIT_DAYS días (7).',
  })
  @ApiOkResponse({ type: RatingStateEnvelopeDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  @ApiConflictResponse({
    description: 'La conversación no está resuelta (`rating_not_available`) o el plazo terminó (`rating_window_closed`).',
    type: ErrorResponseDto,
  })
  async rate(
    @CurrentChatActor() actor: ChatActor,
    @ConversationIdParam() conversationId: string,
    @Body() body: RateConversationDto,
  ): Promise<RatingStateEnvelopeDto> {
    return { rating: await this.ratings.rate(actor, conversationId, body) };
  }
}

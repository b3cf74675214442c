import { Controller, Get, Header, Query, Res, UseFilters, UsePipes } from '@nestjs/common';
import { ApiBadRequestResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '../openapi/api-docs';

import type { ChatActor } from '../auth/chat-actor';
import { ChatAuth, CurrentChatActor } from '../auth/chat-auth.decorators';
import { ChatExceptionFilter } from '../errors/chat-exception.filter';
import { ErrorResponseDto } from '../errors/error-response.dto';
import type { ChatHttpResponse } from '../http/http-response';
import { ChatRateLimit } from '../limits/chat-rate-limit.guard';
import { createChatValidationPipe } from '../validation/chat-validation.pipe';
import { TranscriptQueryDto } from './dto/transcript-query.dto';
import { TranscriptService } from './transcript.service';
import { ConversationIdParam } from '../validation/route-params';

/** Downloading a conversation (issue 17). */
@ApiTags('Chat de soporte')
@Controller('support/chat')
@ChatAuth()
@UsePipes(createChatValidationPipe())
@UseFilters(ChatExceptionFilter)
@ApiBadRequestResponse({ description: 'Datos inválidos (ver `code` y `details`), p. ej. `invalid_time_zone`.', type: ErrorResponseDto })
export class TranscriptController {
  constructor(private readonly transcripts: TranscriptService) {}

  @Get('conversations/:conversationId/transcript')
  @ChatRateLimit('transcripts')
  @Header('Cache-Control', 'private, no-store')
  @Header('X-Content-Type-Options', 'nosniff')
  @ApiOperation({
    summary: 'Descargar la conversación (HTML imprimible)',
    description:
      'Una página HTML autocontenida (se puede imprimir como PDF) con nombres, horas en la zona `tz` y los adjuntos listados. Candidatos: solo sus conversaciones y nunca notas internas.',
  })
  @ApiProduces('text/html')
  @ApiOkResponse({ description: 'La transcripción, como archivo adjunto (`Content-Disposition`).', schema: { type: 'string' } })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  async transcript(
    @CurrentChatActor() actor: ChatActor,
    @ConversationIdParam() conversationId: string,
    @Query() query: TranscriptQueryDto,
    @Res({ passthrough: true }) response: ChatHttpResponse,
  ): Promise<string> {
    const { filename, html } = await this.transcripts.render(actor, conversationId, query.tz);
    response.header('Content-Type', 'text/html; charset=utf-8');
    response.header('Content-Disposition', `attachment; filename="${filename}"`);
    return html;
  }
}

import { Controller, Get, Query, UseFilters, UsePipes } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation, ApiTags } from '../openapi/api-docs';

import type { ChatActor } from '../auth/chat-actor';
import { ChatAuth, CurrentChatActor } from '../auth/chat-auth.decorators';
import { ChatExceptionFilter } from '../errors/chat-exception.filter';
import { ErrorResponseDto } from '../errors/error-response.dto';
import { ChatRateLimit } from '../limits/chat-rate-limit.guard';
import { createChatValidationPipe } from '../validation/chat-validation.pipe';
import { MessageSearchListDto, MessageSearchQueryDto } from './dto/message-search.dto';
import { SearchService } from './search.service';

/** Search over message text (issue 16). Thin: one service call. */
@ApiTags('Chat de soporte')
@Controller('support/chat')
@ChatAuth()
@UsePipes(createChatValidationPipe())
@UseFilters(ChatExceptionFilter)
@ApiBadRequestResponse({ description: 'Búsqueda inválida (`search_query_invalid`) u otros datos inválidos.', type: ErrorResponseDto })
export class SearchController {
  constructor(private readonly search: SearchService) {}

  @Get('search/messages')
  @ChatRateLimit('search')
  @ApiOperation({
    summary: 'Buscar en el texto de los mensajes',
    description:
      'Conversaciones con mensajes que contienen todas las palabras (sin distinguir acentos), la coincidencia más reciente primero, con un fragmento resaltado y el `seq` del mensaje para abrir la conversación ahí (`GET .../messages?around_seq=`). Candidato: solo sus conversaciones y nunca notas internas. Soporte: todas.',
  })
  @ApiOkResponse({ type: MessageSearchListDto })
  searchMessages(@CurrentChatActor() actor: ChatActor, @Query() query: MessageSearchQueryDto): Promise<MessageSearchListDto> {
    return this.search.searchMessages(actor, query);
  }
}

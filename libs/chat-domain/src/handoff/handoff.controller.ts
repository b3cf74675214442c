import { Body, Controller, Get, HttpCode, HttpStatus, Post, Query, Res, UseFilters, UsePipes } from '@nestjs/common';
import { ApiCreatedResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags, ApiBadRequestResponse } from '../openapi/api-docs';

import type { ChatActor } from '../auth/chat-actor';
import { ChatAuth, CurrentChatActor } from '../auth/chat-auth.decorators';
import { ConversationEnvelopeDto } from '../conversations/dto/conversation-response.dto';
import { ChatExceptionFilter } from '../errors/chat-exception.filter';
import { ErrorResponseDto } from '../errors/error-response.dto';
import type { ChatHttpResponse } from '../http/http-response';
import { ChatRateLimit } from '../limits/chat-rate-limit.guard';
import { MessageEnvelopeDto } from '../messages/dto/message-response.dto';
import { createChatValidationPipe } from '../validation/chat-validation.pipe';
import { CreateNoteDto, EscalateConversationDto, ReturnConversationDto, StaffDirectoryQueryDto, TransferConversationDto } from './dto/handoff-requests.dto';
import { StaffDirectoryDto } from './dto/handoff-response.dto';
import { HandoffService } from './handoff.service';
import { ConversationIdParam } from '../validation/route-params';

/** Staff-only: internal notes, transfer, escalation to coordinators and return, and the staff picker. */
@ApiTags('Chat de soporte')
@Controller('support/chat')
@ChatAuth()
@UsePipes(createChatValidationPipe())
@UseFilters(ChatExceptionFilter)
@ApiBadRequestResponse({ description: 'Datos inválidos (ver `code` y `details`).', type: ErrorResponseDto })
export class HandoffController {
  constructor(private readonly handoff: HandoffService) {}

  @Post('conversations/:conversationId/notes')
  @ChatRateLimit('messages')
  @ApiOperation({
    summary: 'Nota interna (solo soporte)',
    description:
      'Entrada del historial que solo ve el equipo: el candidato nunca la recibe por ninguna vía. No reabre, no asigna ni cuenta como respuesta. `@usuario` avisa a ese miembro del equipo.',
  })
  @ApiCreatedResponse({ type: MessageEnvelopeDto })
  @ApiOkResponse({ type: MessageEnvelopeDto, description: 'Reenvío idempotente: la nota ya existía.' })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  async addNote(
    @CurrentChatActor() actor: ChatActor,
    @ConversationIdParam() conversationId: string,
    @Body() body: CreateNoteDto,
    @Res({ passthrough: true }) response: ChatHttpResponse,
  ): Promise<MessageEnvelopeDto> {
    const { message, replayed } = await this.handoff.addNote(actor, conversationId, body);
    if (replayed) response.status(HttpStatus.OK);
    return { message };
  }

  @Post('conversations/:conversationId/transfer')
  @HttpCode(HttpStatus.OK)
  @ChatRateLimit('status')
  @ApiOperation({
    summary: 'Transferir a un colega (solo soporte)',
    description: 'Asigna la conversación a otro miembro del equipo, con una nota interna opcional; se le avisa en vivo. Repetirla no cambia nada.',
  })
  @ApiOkResponse({ type: ConversationEnvelopeDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  async transfer(
    @CurrentChatActor() actor: ChatActor,
    @ConversationIdParam() conversationId: string,
    @Body() body: TransferConversationDto,
  ): Promise<ConversationEnvelopeDto> {
    return { conversation: await this.handoff.transfer(actor, conversationId, body) };
  }

  @Post('conversations/:conversationId/escalate')
  @HttpCode(HttpStatus.OK)
  @ChatRateLimit('status')
  @ApiOperation({
    summary: 'Turnar a coordinación (solo soporte)',
    description:
      'Pasa la conversación al segundo nivel (roles de SUPPORT_CHAT_COORDINATOR_ROLES). El candidato ve solo «Tu conversación fue turnada a un coordinador».',
  })
  @ApiOkResponse({ type: ConversationEnvelopeDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  async escalate(
    @CurrentChatActor() actor: ChatActor,
    @ConversationIdParam() conversationId: string,
    @Body() body: EscalateConversationDto,
  ): Promise<ConversationEnvelopeDto> {
    return { conversation: await this.handoff.escalate(actor, conversationId, body) };
  }

  @Post('conversations/:conversationId/return')
  @HttpCode(HttpStatus.OK)
  @ChatRateLimit('status')
  @ApiOperation({
    summary: 'Regresar al equipo (solo soporte)',
    description: 'Devuelve una conversación turnada al primer nivel: a un agente o a «Sin asignar».',
  })
  @ApiOkResponse({ type: ConversationEnvelopeDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  async returnToAgents(
    @CurrentChatActor() actor: ChatActor,
    @ConversationIdParam() conversationId: string,
    @Body() body: ReturnConversationDto,
  ): Promise<ConversationEnvelopeDto> {
    return { conversation: await this.handoff.returnToAgents(actor, conversationId, body) };
  }

  @Get('staff')
  @ApiOperation({
    summary: 'Equipo de soporte (solo soporte)',
    description: 'Para elegir a quién transferir: miembros activos, si están en línea y cuántas conversaciones abiertas tiene cada uno.',
  })
  @ApiOkResponse({ type: StaffDirectoryDto })
  staffDirectory(@CurrentChatActor() actor: ChatActor, @Query() query: StaffDirectoryQueryDto): Promise<StaffDirectoryDto> {
    return this.handoff.staffDirectory(actor, query.search);
  }
}

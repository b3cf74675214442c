import { Body, Controller, Get, Headers, HttpCode, HttpStatus, Patch, Post, Query, Res, UseFilters, UsePipes } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiResponse,
  ApiTags,
} from './openapi/api-docs';

import { SupervisorAllowed } from './auth/chat-access.guard';
import { type ChatActor } from './auth/chat-actor';
import { ChatAuth, CurrentChatActor } from './auth/chat-auth.decorators';
import { ChatMeDto } from './auth/dto/chat-me.dto';
import { ConversationsService } from './conversations/conversations.service';
import { CreateConversationDto, ListConversationsQueryDto, UpdateConversationDto, UpdateStatusDto } from './conversations/dto/conversation-requests.dto';
import { ConversationEnvelopeDto, ConversationListDto } from './conversations/dto/conversation-response.dto';
import { ChatExceptionFilter } from './errors/chat-exception.filter';
import { ErrorResponseDto } from './errors/error-response.dto';
import type { ChatHttpResponse } from './http/http-response';
import { ChatRateLimit } from './limits/chat-rate-limit.guard';
import { HistoryQueryDto, SendMessageDto } from './messages/dto/message-requests.dto';
import { MessageEnvelopeDto, MessagePageDto, ReadMarkerListDto, ReadStateDto, UnreadCountDto } from './messages/dto/message-response.dto';
import { MessagesService } from './messages/messages.service';
import { MarkReadDto } from './read-state/dto/mark-read.dto';
import { ReadStateService } from './read-state/read-state.service';
import { createChatValidationPipe } from './validation/chat-validation.pipe';
import { ConversationIdParam } from './validation/route-params';

/**
 * The REST surface of the chat. Thin: each handler is one service call; rules live in the services
 * and policies. Pipes and the error filter are set here so the module behaves the same in any host.
 */
@ApiTags('Chat de soporte')
@Controller('support/chat')
@ChatAuth()
@UsePipes(createChatValidationPipe())
@UseFilters(ChatExceptionFilter)
@ApiBadRequestResponse({ description: 'Datos inválidos (ver `code` y `details`).', type: ErrorResponseDto })
export class SupportChatController {
  constructor(
    private readonly conversations: ConversationsService,
    private readonly messages: MessagesService,
    private readonly readState: ReadStateService,
  ) {}

  @Get('me')
  @ApiOperation({
    summary: 'Mi lado del chat',
    description: 'Si el usuario es candidato o parte del equipo de soporte, según la configuración del servidor. Un rol fuera del chat recibe 403.',
  })
  @ApiOkResponse({ type: ChatMeDto })
  @ApiResponse({ status: HttpStatus.FORBIDDEN, description: 'Rol fuera del chat (`forbidden_role`).', type: ErrorResponseDto })
  me(@CurrentChatActor() actor: ChatActor): ChatMeDto {
    return this.conversations.describeActor(actor);
  }

  @Post('conversations')
  @ChatRateLimit('conversations')
  @ApiOperation({ summary: 'Crear conversación', description: 'Candidato: para sí mismo. Soporte/admin/developer: para `candidate_user_id`.' })
  @ApiCreatedResponse({ type: ConversationEnvelopeDto })
  @ApiConflictResponse({ description: 'El candidato ya tiene el máximo de conversaciones abiertas (`open_conversation_limit`).', type: ErrorResponseDto })
  async createConversation(@CurrentChatActor() actor: ChatActor, @Body() body: CreateConversationDto): Promise<ConversationEnvelopeDto> {
    return { conversation: await this.conversations.create(actor, body) };
  }

  @Get('conversations')
  @ApiOperation({ summary: 'Listar conversaciones', description: 'Candidato: solo las suyas. Soporte: todas. Orden: actividad más reciente primero.' })
  @ApiOkResponse({
    type: ConversationListDto,
    headers: { ETag: { description: 'Versión de la página; reenvíala en If-None-Match.', schema: { type: 'string' } } },
  })
  @ApiResponse({ status: HttpStatus.NOT_MODIFIED, description: 'Nada cambió desde el ETag enviado en If-None-Match.' })
  async listConversations(
    @CurrentChatActor() actor: ChatActor,
    @Query() query: ListConversationsQueryDto,
    @Headers('if-none-match') ifNoneMatch: string | undefined,
    @Res({ passthrough: true }) response: ChatHttpResponse,
  ): Promise<ConversationListDto | undefined> {
    const { etag, list } = await this.conversations.list(actor, query, ifNoneMatch);
    response.header('ETag', etag);
    response.header('Cache-Control', 'private, no-cache');
    if (!list) {
      response.status(HttpStatus.NOT_MODIFIED);
      return undefined;
    }
    return list;
  }

  @Get('conversations/:conversationId')
  @ApiOperation({ summary: 'Obtener una conversación' })
  @ApiOkResponse({ type: ConversationEnvelopeDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  async getConversation(@CurrentChatActor() actor: ChatActor, @ConversationIdParam() conversationId: string): Promise<ConversationEnvelopeDto> {
    return { conversation: await this.conversations.get(actor, conversationId) };
  }

  @Patch('conversations/:conversationId')
  @ApiOperation({ summary: 'Asignar o cambiar prioridad (solo soporte)' })
  @ApiOkResponse({ type: ConversationEnvelopeDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  async updateConversation(
    @CurrentChatActor() actor: ChatActor,
    @ConversationIdParam() conversationId: string,
    @Body() body: UpdateConversationDto,
  ): Promise<ConversationEnvelopeDto> {
    return { conversation: await this.conversations.update(actor, conversationId, body) };
  }

  @Post('conversations/:conversationId/messages')
  @ChatRateLimit('messages')
  @ApiOperation({
    summary: 'Enviar mensaje',
    description: 'Texto y/o metadatos de un adjunto ya subido. Reenviar el mismo `client_message_id` devuelve el mensaje original (200).',
  })
  @ApiCreatedResponse({ type: MessageEnvelopeDto })
  @ApiOkResponse({ type: MessageEnvelopeDto, description: 'Reenvío idempotente: el mensaje ya existía.' })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  @ApiConflictResponse({ description: 'Conversación cerrada.', type: ErrorResponseDto })
  async sendMessage(
    @CurrentChatActor() actor: ChatActor,
    @ConversationIdParam() conversationId: string,
    @Body() body: SendMessageDto,
    @Res({ passthrough: true }) response: ChatHttpResponse,
  ): Promise<MessageEnvelopeDto> {
    const { message, replayed } = await this.messages.send(actor, conversationId, body);
    if (replayed) response.status(HttpStatus.OK);
    return { message };
  }

  @Get('conversations/:conversationId/messages')
  @ApiOperation({
    summary: 'Historial paginado',
    description: 'Página 1 = más recientes; cada página en orden cronológico. Cursores `before_seq`/`after_seq`.',
  })
  @ApiOkResponse({ type: MessagePageDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  listMessages(@CurrentChatActor() actor: ChatActor, @ConversationIdParam() conversationId: string, @Query() query: HistoryQueryDto): Promise<MessagePageDto> {
    return this.messages.history(actor, conversationId, query);
  }

  @Post('conversations/:conversationId/read')
  @SupervisorAllowed('a no-op for supervisors: their reading moves no marker and no unread count (ReadStateService)')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Marcar como leído', description: 'El marcador de lectura nunca retrocede.' })
  @ApiOkResponse({ type: ReadStateDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  markRead(@CurrentChatActor() actor: ChatActor, @ConversationIdParam() conversationId: string, @Body() body: MarkReadDto): Promise<ReadStateDto> {
    return this.readState.markRead(actor, conversationId, body);
  }

  @Get('conversations/:conversationId/read-markers')
  @ApiOperation({
    summary: 'Marcadores de lectura de los demás',
    description: 'Hasta qué `seq` leyó cada uno de los demás participantes (para mostrar «Visto»). Los cambios llegan después como `read.updated`.',
  })
  @ApiOkResponse({ type: ReadMarkerListDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  readMarkers(@CurrentChatActor() actor: ChatActor, @ConversationIdParam() conversationId: string): Promise<ReadMarkerListDto> {
    return this.readState.otherMarkers(actor, conversationId);
  }

  @Patch('conversations/:conversationId/status')
  @ChatRateLimit('status')
  @ApiOperation({ summary: 'Cambiar estado', description: 'Soporte: open/resolved/closed. Candidato: open/resolved en las suyas (no si está cerrada).' })
  @ApiOkResponse({ type: ConversationEnvelopeDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  async updateStatus(
    @CurrentChatActor() actor: ChatActor,
    @ConversationIdParam() conversationId: string,
    @Body() body: UpdateStatusDto,
  ): Promise<ConversationEnvelopeDto> {
    return { conversation: await this.conversations.updateStatus(actor, conversationId, body.status) };
  }

  @Get('unread-count')
  @ApiOperation({ summary: 'Total de mensajes sin leer (para la insignia del menú)' })
  @ApiOkResponse({ type: UnreadCountDto })
  unreadCount(@CurrentChatActor() actor: ChatActor): Promise<UnreadCountDto> {
    return this.readState.totalUnread(actor);
  }
}

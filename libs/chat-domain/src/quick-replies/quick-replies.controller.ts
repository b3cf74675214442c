import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Patch, Post, Query, UseFilters, UsePipes } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '../openapi/api-docs';

import type { ChatActor } from '../auth/chat-actor';
import { ChatAuth, CurrentChatActor } from '../auth/chat-auth.decorators';
import { ChatErrorCode } from '../errors/chat-error';
import { ChatExceptionFilter } from '../errors/chat-exception.filter';
import { ErrorResponseDto } from '../errors/error-response.dto';
import { ChatRateLimit } from '../limits/chat-rate-limit.guard';
import { createChatValidationPipe } from '../validation/chat-validation.pipe';
import { CreateQuickReplyDto, ListQuickRepliesQueryDto, QuickReplyEnvelopeDto, QuickReplyListDto, UpdateQuickReplyDto } from './dto/quick-reply.dto';
import { QuickRepliesService } from './quick-replies.service';
import { UuidParam } from '../validation/route-params';

const QuickReplyId = () => UuidParam('quickReplyId', ChatErrorCode.QuickReplyNotFound, 'La respuesta rápida no existe.');

/** Quick replies ("respuestas rápidas"): staff only; the team's are managed by the admin roles. */
@ApiTags('Respuestas rápidas')
@Controller('support/chat/quick-replies')
@ChatAuth()
@UsePipes(createChatValidationPipe())
@UseFilters(ChatExceptionFilter)
@ApiBadRequestResponse({
  description: 'Datos inválidos (ver `code` y `details`), o una variable desconocida (`quick_reply_unknown_variable`).',
  type: ErrorResponseDto,
})
export class QuickRepliesController {
  constructor(private readonly quickReplies: QuickRepliesService) {}

  @Get()
  @ApiOperation({
    summary: 'Listar respuestas rápidas',
    description: 'Las mías y las del equipo, en orden. Con `conversation_id`, cada una trae `rendered_body` con las variables sustituidas.',
  })
  @ApiOkResponse({ type: QuickReplyListDto })
  @ApiNotFoundResponse({ description: 'La conversación de `conversation_id` no existe.', type: ErrorResponseDto })
  list(@CurrentChatActor() actor: ChatActor, @Query() query: ListQuickRepliesQueryDto): Promise<QuickReplyListDto> {
    return this.quickReplies.list(actor, query);
  }

  @Post()
  @ChatRateLimit('quickRepliesAndLabels')
  @ApiOperation({ summary: 'Crear respuesta rápida', description: '`scope: team` solo para administradores (SUPPORT_CHAT_ADMIN_ROLES).' })
  @ApiCreatedResponse({ type: QuickReplyEnvelopeDto })
  @ApiConflictResponse({ description: 'El atajo ya existe (`quick_reply_shortcut_taken`).', type: ErrorResponseDto })
  async create(@CurrentChatActor() actor: ChatActor, @Body() body: CreateQuickReplyDto): Promise<QuickReplyEnvelopeDto> {
    return { quick_reply: await this.quickReplies.create(actor, body) };
  }

  @Patch(':quickReplyId')
  @ChatRateLimit('quickRepliesAndLabels')
  @ApiOperation({ summary: 'Cambiar respuesta rápida', description: 'Las propias; las del equipo, solo administradores.' })
  @ApiOkResponse({ type: QuickReplyEnvelopeDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  @ApiConflictResponse({ description: 'El atajo ya existe (`quick_reply_shortcut_taken`).', type: ErrorResponseDto })
  async update(@CurrentChatActor() actor: ChatActor, @QuickReplyId() id: string, @Body() body: UpdateQuickReplyDto): Promise<QuickReplyEnvelopeDto> {
    return { quick_reply: await this.quickReplies.update(actor, id, body) };
  }

  @Delete(':quickReplyId')
  @ChatRateLimit('quickRepliesAndLabels')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Borrar respuesta rápida', description: 'Las propias; las del equipo, solo administradores.' })
  @ApiNoContentResponse({ description: 'Borrada.' })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  remove(@CurrentChatActor() actor: ChatActor, @QuickReplyId() id: string): Promise<void> {
    return this.quickReplies.delete(actor, id);
  }
}

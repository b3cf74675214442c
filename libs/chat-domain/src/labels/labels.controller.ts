import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Patch, Post, Put, UseFilters, UsePipes } from '@nestjs/common';
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
import { ConversationLabelsDto, CreateLabelDto, LabelEnvelopeDto, LabelListDto, UpdateLabelDto } from './dto/label.dto';
import { LabelsService } from './labels.service';
import { ConversationIdParam, UuidParam } from '../validation/route-params';

const LabelId = () => UuidParam('labelId', ChatErrorCode.LabelNotFound, 'La etiqueta no existe.');

/** Labels ("etiquetas"): staff only, never shown to candidates; the admin roles manage them. */
@ApiTags('Etiquetas')
@Controller('support/chat')
@ChatAuth()
@UsePipes(createChatValidationPipe())
@UseFilters(ChatExceptionFilter)
@ApiBadRequestResponse({ description: 'Datos inválidos (ver `code` y `details`).', type: ErrorResponseDto })
export class LabelsController {
  constructor(private readonly labels: LabelsService) {}

  @Get('labels')
  @ApiOperation({ summary: 'Listar etiquetas', description: 'Solo soporte.' })
  @ApiOkResponse({ type: LabelListDto })
  list(@CurrentChatActor() actor: ChatActor): Promise<LabelListDto> {
    return this.labels.list(actor);
  }

  @Post('labels')
  @ChatRateLimit('quickRepliesAndLabels')
  @ApiOperation({ summary: 'Crear etiqueta', description: 'Solo administradores (SUPPORT_CHAT_ADMIN_ROLES).' })
  @ApiCreatedResponse({ type: LabelEnvelopeDto })
  @ApiConflictResponse({ description: 'Ya hay una etiqueta con ese nombre (`label_name_taken`).', type: ErrorResponseDto })
  async create(@CurrentChatActor() actor: ChatActor, @Body() body: CreateLabelDto): Promise<LabelEnvelopeDto> {
    return { label: await this.labels.create(actor, body) };
  }

  @Patch('labels/:labelId')
  @ChatRateLimit('quickRepliesAndLabels')
  @ApiOperation({ summary: 'Cambiar etiqueta', description: 'Solo administradores.' })
  @ApiOkResponse({ type: LabelEnvelopeDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  @ApiConflictResponse({ description: 'Ya hay una etiqueta con ese nombre (`label_name_taken`).', type: ErrorResponseDto })
  async update(@CurrentChatActor() actor: ChatActor, @LabelId() id: string, @Body() body: UpdateLabelDto): Promise<LabelEnvelopeDto> {
    return { label: await this.labels.update(actor, id, body) };
  }

  @Delete('labels/:labelId')
  @ChatRateLimit('quickRepliesAndLabels')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Borrar etiqueta', description: 'Solo administradores. Se quita de todas las conversaciones.' })
  @ApiNoContentResponse({ description: 'Borrada.' })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  remove(@CurrentChatActor() actor: ChatActor, @LabelId() id: string): Promise<void> {
    return this.labels.delete(actor, id);
  }

  @Put('conversations/:conversationId/labels/:labelId')
  @ChatRateLimit('quickRepliesAndLabels')
  @ApiOperation({ summary: 'Poner etiqueta a una conversación', description: 'Solo soporte. Idempotente.' })
  @ApiOkResponse({ type: ConversationLabelsDto })
  @ApiNotFoundResponse({ description: 'La conversación o la etiqueta no existe.', type: ErrorResponseDto })
  add(@CurrentChatActor() actor: ChatActor, @ConversationIdParam() conversationId: string, @LabelId() labelId: string): Promise<ConversationLabelsDto> {
    return this.labels.setOnConversation(actor, conversationId, labelId, true);
  }

  @Delete('conversations/:conversationId/labels/:labelId')
  @ChatRateLimit('quickRepliesAndLabels')
  @ApiOperation({ summary: 'Quitar etiqueta de una conversación', description: 'Solo soporte. Idempotente.' })
  @ApiOkResponse({ type: ConversationLabelsDto })
  @ApiNotFoundResponse({ description: 'La conversación o la etiqueta no existe.', type: ErrorResponseDto })
  removeFromConversation(
    @CurrentChatActor() actor: ChatActor,
    @ConversationIdParam() conversationId: string,
    @LabelId() labelId: string,
  ): Promise<ConversationLabelsDto> {
    return this.labels.setOnConversation(actor, conversationId, labelId, false);
  }
}

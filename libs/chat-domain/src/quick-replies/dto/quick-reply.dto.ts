import { ApiProperty, ApiPropertyOptional } from '../../openapi/api-docs';
import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, Min, MinLength, ValidateIf } from 'class-validator';

import type { QuickReplyScope } from '@support-chat/chat-contract';

import { SCHEMA_LIMITS } from '../../config/support-chat.config';
import { QUICK_REPLY_VARIABLES } from '../../domain/quick-reply-variables';
import { SupportQuickReplyEntity } from '../../persistence/entities';
import { MaxUtf16Length, OptionalText, OptionalUuid } from '../../validation/validators';

export const QUICK_REPLY_SCOPES: readonly QuickReplyScope[] = ['personal', 'team'];
/** Typed after `/` in the composer: letters, digits, `-` and `_`, no spaces. */
const SHORTCUT = /^[a-z0-9][a-z0-9_-]*$/i;
const ctx = (code: string, message: string) => ({ context: { code, message } });
const trim = Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value));
const VARIABLES_HELP = `Variables: ${QUICK_REPLY_VARIABLES.map((name) => `{{${name}}}`).join(', ')}; otra variable se rechaza al guardar (\`quick_reply_unknown_variable\`).`;

function Title(required: boolean): PropertyDecorator {
  return (target, key) => {
    (required ? ApiProperty : ApiPropertyOptional)({ type: String, maxLength: SCHEMA_LIMITS.quickReplyTitleLength, example: 'Saludo' })(target, key);
    if (!required) IsOptional()(target, key);
    trim(target, key);
    IsString(ctx('validation_failed', '"title" debe ser texto.'))(target, key);
    MinLength(1, ctx('title_required', 'Escribe un título.'))(target, key);
    MaxUtf16Length(SCHEMA_LIMITS.quickReplyTitleLength, ctx('title_too_long', `El título supera los ${SCHEMA_LIMITS.quickReplyTitleLength} caracteres.`))(
      target,
      key,
    );
  };
}

function Body(required: boolean): PropertyDecorator {
  return (target, key) => {
    (required ? ApiProperty : ApiPropertyOptional)({
      type: String,
      maxLength: SCHEMA_LIMITS.quickReplyBodyLength,
      description: VARIABLES_HELP,
      example: 'Hola {{candidato.nombre}}, soy {{agente.nombre}}. ¿En qué te ayudo?',
    })(target, key);
    if (!required) IsOptional()(target, key);
    IsString(ctx('validation_failed', '"body" debe ser texto.'))(target, key);
    Matches(/\S/, ctx('body_required', 'Escribe el texto de la respuesta.'))(target, key);
    MaxUtf16Length(SCHEMA_LIMITS.quickReplyBodyLength, ctx('body_too_long', `El texto supera los ${SCHEMA_LIMITS.quickReplyBodyLength} caracteres.`))(
      target,
      key,
    );
  };
}

/** Optional shortcut; `null` (on update) removes it. */
function Shortcut(): PropertyDecorator {
  return (target, key) => {
    ApiPropertyOptional({
      type: String,
      nullable: true,
      maxLength: SCHEMA_LIMITS.quickReplyShortcutLength,
      example: 'saludo',
      description: 'Atajo para el selector `/` (letras, números, `-` y `_`); único entre tus respuestas o entre las del equipo.',
    })(target, key);
    trim(target, key);
    ValidateIf((_object, value) => value !== undefined && value !== null && value !== '')(target, key);
    IsString(ctx('invalid_shortcut', '"shortcut" debe ser texto.'))(target, key);
    MaxUtf16Length(
      SCHEMA_LIMITS.quickReplyShortcutLength,
      ctx('invalid_shortcut', `El atajo supera los ${SCHEMA_LIMITS.quickReplyShortcutLength} caracteres.`),
    )(target, key);
    Matches(SHORTCUT, ctx('invalid_shortcut', 'El atajo solo admite letras, números, "-" y "_", sin espacios.'))(target, key);
  };
}

function Position(): PropertyDecorator {
  return (target, key) => {
    ApiPropertyOptional({ type: Number, minimum: 0, maximum: 100000, description: 'Orden (menor primero); por omisión, al final.' })(target, key);
    IsOptional()(target, key);
    IsInt(ctx('invalid_position', '"position" debe ser un número entero.'))(target, key);
    Min(0, ctx('invalid_position', '"position" debe ser al menos 0.'))(target, key);
    Max(100000, ctx('invalid_position', '"position" debe ser como máximo 100000.'))(target, key);
  };
}

export class CreateQuickReplyDto {
  @ApiProperty({ enum: QUICK_REPLY_SCOPES, description: '`personal`: solo tuya. `team`: de todo el equipo (solo administradores).' })
  @IsIn(QUICK_REPLY_SCOPES, ctx('invalid_scope', '"scope" debe ser personal o team.'))
  scope!: QuickReplyScope;

  @Title(true) title!: string;
  @Body(true) body!: string;
  @Shortcut() shortcut?: string | null;
  @Position() position?: number;
}

export class UpdateQuickReplyDto {
  @Title(false) title?: string;
  @Body(false) body?: string;
  @Shortcut() shortcut?: string | null;
  @Position() position?: number;
}

export class ListQuickRepliesQueryDto {
  @OptionalText('search', 100, 'Filtra por título, atajo o texto.')
  search?: string;

  @OptionalUuid('conversation_id', 'Devuelve además `rendered_body`: el texto con las variables de esta conversación ya sustituidas.')
  conversation_id?: string;
}

export class QuickReplyDto {
  @ApiProperty() id!: string;
  @ApiProperty({ enum: QUICK_REPLY_SCOPES }) scope!: QuickReplyScope;
  @ApiProperty() title!: string;
  @ApiProperty({ description: 'Texto con las variables sin sustituir.' }) body!: string;
  @ApiProperty({ type: String, nullable: true }) shortcut!: string | null;
  @ApiProperty() position!: number;
  @ApiProperty({ description: 'Si quien pregunta puede editarla o borrarla.' }) can_edit!: boolean;
  @ApiPropertyOptional({ description: 'Con `conversation_id`: el texto listo para insertar en el editor.' }) rendered_body?: string;
  @ApiProperty({ format: 'date-time' }) created_at!: string;
  @ApiProperty({ format: 'date-time' }) updated_at!: string;
}

export class QuickReplyEnvelopeDto {
  @ApiProperty({ type: QuickReplyDto }) quick_reply!: QuickReplyDto;
}

export class QuickReplyListDto {
  @ApiProperty({ type: [QuickReplyDto] }) quick_replies!: QuickReplyDto[];
  @ApiProperty({ description: 'Si quien pregunta puede gestionar las respuestas del equipo.' }) can_manage_team!: boolean;
}

export function toQuickReplyDto(reply: SupportQuickReplyEntity, canEdit: boolean, renderedBody?: string): QuickReplyDto {
  return {
    id: reply.id,
    scope: reply.ownerUserId === null ? 'team' : 'personal',
    title: reply.title,
    body: reply.body,
    shortcut: reply.shortcut,
    position: reply.position,
    can_edit: canEdit,
    ...(renderedBody !== undefined ? { rendered_body: renderedBody } : {}),
    created_at: reply.createdAt.toISOString(),
    updated_at: reply.updatedAt.toISOString(),
  };
}

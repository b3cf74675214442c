import { ApiProperty, ApiPropertyOptional } from '../../openapi/api-docs';
import { Transform } from 'class-transformer';
import { IsInt, IsOptional, IsString, Matches, Max, Min, MinLength } from 'class-validator';

import { SCHEMA_LIMITS } from '../../config/support-chat.config';
import { LabelDto } from '../../conversations/dto/conversation-label.dto';
import { MaxUtf16Length } from '../../validation/validators';

const ctx = (code: string, message: string) => ({ context: { code, message } });
const trim = Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value));
const lower = Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().toLowerCase() : value));

function Name(required: boolean): PropertyDecorator {
  return (target, key) => {
    (required ? ApiProperty : ApiPropertyOptional)({ type: String, maxLength: SCHEMA_LIMITS.labelNameLength, example: 'Acceso al examen' })(target, key);
    if (!required) IsOptional()(target, key);
    trim(target, key);
    IsString(ctx('validation_failed', '"name" debe ser texto.'))(target, key);
    MinLength(1, ctx('name_required', 'Escribe el nombre de la etiqueta.'))(target, key);
    MaxUtf16Length(SCHEMA_LIMITS.labelNameLength, ctx('name_too_long', `El nombre supera los ${SCHEMA_LIMITS.labelNameLength} caracteres.`))(target, key);
  };
}

function Color(required: boolean): PropertyDecorator {
  return (target, key) => {
    (required ? ApiProperty : ApiPropertyOptional)({ type: String, pattern: '^#[0-9a-fA-F]{6}$', example: '#1e88e5', description: 'Color `#rrggbb`.' })(
      target,
      key,
    );
    if (!required) IsOptional()(target, key);
    lower(target, key);
    IsString(ctx('invalid_color', '"color" debe ser un color #rrggbb.'))(target, key);
    Matches(/^#[0-9a-f]{6}$/, ctx('invalid_color', '"color" debe ser un color #rrggbb, por ejemplo #1e88e5.'))(target, key);
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

export class CreateLabelDto {
  @Name(true) name!: string;
  @Color(true) color!: string;
  @Position() position?: number;
}

export class UpdateLabelDto {
  @Name(false) name?: string;
  @Color(false) color?: string;
  @Position() position?: number;
}

export class LabelEnvelopeDto {
  @ApiProperty({ type: LabelDto }) label!: LabelDto;
}

export class LabelListDto {
  @ApiProperty({ type: [LabelDto] }) labels!: LabelDto[];
  @ApiProperty({ description: 'Si quien pregunta puede crear, cambiar y borrar etiquetas.' }) can_manage!: boolean;
}

/** The labels of one conversation after a change. */
export class ConversationLabelsDto {
  @ApiProperty() conversation_id!: string;
  @ApiProperty({ type: [LabelDto] }) labels!: LabelDto[];
}

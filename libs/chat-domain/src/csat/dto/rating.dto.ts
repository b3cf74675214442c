import { ApiProperty, ApiPropertyOptional } from '../../openapi/api-docs';
import { Transform } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, Min, ValidateIf } from 'class-validator';

import { SCHEMA_LIMITS } from '../../config/support-chat.config';
import { SupportConversationRatingEntity } from '../../persistence/entities';
import { MaxUtf16Length } from '../../validation/validators';

const ctx = (code: string, message: string) => ({ context: { code, message } });

export class RateConversationDto {
  @ApiProperty({ minimum: 1, maximum: 5, description: 'Calificación de 1 (mala) a 5 (excelente).' })
  @IsInt(ctx('invalid_rating', '"rating" debe ser un número entero del 1 al 5.'))
  @Min(1, ctx('invalid_rating', '"rating" debe ser un número entero del 1 al 5.'))
  @Max(5, ctx('invalid_rating', '"rating" debe ser un número entero del 1 al 5.'))
  rating!: number;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: SCHEMA_LIMITS.ratingCommentLength, description: 'Comentario opcional.' })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value))
  @ValidateIf((_object, value) => value !== null)
  @IsString(ctx('validation_failed', '"comment" debe ser texto.'))
  @MaxUtf16Length(SCHEMA_LIMITS.ratingCommentLength, ctx('comment_too_long', `"comment" supera los ${SCHEMA_LIMITS.ratingCommentLength} caracteres.`))
  comment?: string | null;
}

export class RatingDto {
  @ApiProperty({ description: 'Qué resolución de la conversación se califica (1 = la primera).' }) resolution_number!: number;
  @ApiProperty({ minimum: 1, maximum: 5 }) rating!: number;
  @ApiProperty({ nullable: true, type: String }) comment!: string | null;
  @ApiProperty({ format: 'date-time' }) created_at!: string;
  @ApiProperty({ format: 'date-time' }) updated_at!: string;
}

/** The survey's state for the candidate, and every rating for staff. */
export class RatingStateDto {
  @ApiProperty() conversation_id!: string;
  @ApiProperty({ description: 'Resoluciones de la conversación hasta ahora (0 = nunca resuelta).' }) resolution_count!: number;
  @ApiProperty({ description: 'Si quien consulta puede calificar (o cambiar su calificación) ahora.' }) can_rate!: boolean;
  @ApiProperty({ format: 'date-time', nullable: true, type: String, description: 'Hasta cuándo se puede calificar la resolución actual.' })
  rate_until!: string | null;
  @ApiProperty({ type: RatingDto, nullable: true, description: 'La calificación de la resolución actual, si la hay.' }) current!: RatingDto | null;
  @ApiPropertyOptional({ type: [RatingDto], description: 'Solo soporte: todas las calificaciones, de la primera resolución a la última.' })
  history?: RatingDto[];
}

export class RatingStateEnvelopeDto {
  @ApiProperty({ type: RatingStateDto }) rating!: RatingStateDto;
}

export function toRatingDto(rating: SupportConversationRatingEntity): RatingDto {
  return {
    resolution_number: rating.resolutionNumber,
    rating: rating.rating,
    comment: rating.comment,
    created_at: rating.createdAt.toISOString(),
    updated_at: rating.updatedAt.toISOString(),
  };
}

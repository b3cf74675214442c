import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '../openapi/api-docs';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, IsUUID, Max, Min, ValidateBy, ValidateIf, ValidationOptions } from 'class-validator';

/**
 * Small wrappers for the decorator stacks the DTOs repeat. Every constraint carries a Spanish message
 * and a stable code through `context`, which `validationErrorsToChatError` reads.
 */
const ctx = (code: string, message: string) => ({ context: { code, message } });

/**
 * At most `max` UTF-16 code units: what SQL Server's NVARCHAR(n) counts (an emoji takes two).
 * class-validator's `MaxLength` counts code points, so 255 emoji passed `MaxLength(255)` and then
 * overflowed NVARCHAR(255) with a truncation error (a 500) on SQL Server only. Use this for every
 * string stored in a sized column; PostgreSQL and MariaDB count characters, so it is stricter there.
 */
export function MaxUtf16Length(max: number, options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'maxUtf16Length',
      constraints: [max],
      // The default message must not be empty: class-validator drops `context` for an empty one.
      validator: {
        validate: (value: unknown) => typeof value === 'string' && value.length <= max,
        defaultMessage: () => `$property must be at most ${max} UTF-16 code units`,
      },
    },
    options,
  );
}

/** Optional free text, trimmed; `maxLength` is the schema's hard limit (configurable limits are checked by the services). */
export function OptionalText(field: string, maxLength: number, description: string, example?: string): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({ type: String, description, example, maxLength }),
    IsOptional(),
    Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value)),
    IsString(ctx('validation_failed', `"${field}" debe ser texto.`)),
    MaxUtf16Length(maxLength, ctx(`${field}_too_long`, `"${field}" supera los ${maxLength} caracteres.`)),
  );
}

/** Optional enum: the field may be absent, but `null` is not one of the values (it used to reach the database as NULL: a 500). */
export function OptionalEnum<T extends string>(field: string, values: readonly T[], description: string): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({ enum: values, description }),
    ValidateIf((_object, value) => value !== undefined),
    IsIn(values, ctx(`invalid_${field}`, `"${field}" debe ser uno de: ${values.join(', ')}.`)),
  );
}

export function OptionalUuid(field: string, description: string): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({ type: String, format: 'uuid', description }),
    IsOptional(),
    IsUUID('all', ctx(`invalid_${field}`, `"${field}" debe ser un UUID.`)),
  );
}

/** Optional user id as the host issues them (strings up to 36 characters). */
export function OptionalUserId(field: string, description: string): PropertyDecorator {
  return applyDecorators(
    // IsOptional() accepts null too: the schema says so, and null means "none" (e.g. unassign).
    ApiPropertyOptional({ type: String, nullable: true, maxLength: 36, description }),
    IsOptional(),
    IsString(ctx(`invalid_${field}`, `"${field}" debe ser texto.`)),
    MaxUtf16Length(36, ctx(`invalid_${field}`, `"${field}" no es un identificador válido.`)),
  );
}

/**
 * Optional integer from a query string. Only plain decimal digits are accepted ("1e3", "0x10", " 5"
 * and "5.0" are rejected) so that the meaning of a parameter never depends on JavaScript's coercion.
 * With `clamp`, a positive integer above `max` becomes `max` instead of a 400: page sizes work that way
 * because clients written for the original module ask for more than the maximum and expect to get it.
 */
export function QueryInt(field: string, options: { min: number; max: number; default?: number; description: string; clamp?: boolean }): PropertyDecorator {
  const toNumber = (value: unknown): unknown => {
    if (typeof value !== 'string') return value;
    // Leading zeros do not make a number large: "0000000000000000" is 0 (a 400), not the maximum.
    const digits = value.replace(/^0+(?=\d)/, '');
    if (options.clamp && /^\d+$/.test(digits) && (digits.length > 15 || Number(digits) > options.max)) return options.max;
    return /^-?\d{1,15}$/.test(value) ? Number(value) : value;
  };
  return applyDecorators(
    ApiPropertyOptional({
      type: Number,
      minimum: options.min,
      maximum: options.clamp ? undefined : options.max,
      default: options.default,
      description: options.clamp ? `${options.description} Máximo ${options.max}: un valor mayor se ajusta a ${options.max}.` : options.description,
    }),
    IsOptional(),
    Transform(({ value }: { value: unknown }) => toNumber(value)),
    IsInt(ctx(`invalid_${field}`, `"${field}" debe ser un número entero.`)),
    Min(options.min, ctx(`invalid_${field}`, `"${field}" debe ser al menos ${options.min}.`)),
    Max(options.max, ctx(`invalid_${field}`, `"${field}" debe ser como máximo ${options.max}.`)),
  );
}

/** Optional boolean from a query string: only `true` and `false`. */
export function QueryBoolean(field: string, description: string): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({ type: Boolean, description }),
    IsOptional(),
    Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value)),
    IsBoolean(ctx(`invalid_${field}`, `"${field}" debe ser true o false.`)),
  );
}

export { Type };

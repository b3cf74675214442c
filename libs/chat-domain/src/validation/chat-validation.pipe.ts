import { ArgumentMetadata, HttpStatus, Type, ValidationError, ValidationPipe } from '@nestjs/common';

import { ChatError, ChatErrorCode, ChatErrorDetail } from '../errors/chat-error';

/** Spanish text for class-validator constraints that are not given their own message. */
const CONSTRAINT_MESSAGES: Record<string, (field: string) => string> = {
  whitelistValidation: (field) => `El campo "${field}" no está permitido.`,
  isString: (field) => `"${field}" debe ser texto.`,
  isInt: (field) => `"${field}" debe ser un número entero.`,
  min: (field) => `"${field}" es menor que el mínimo permitido.`,
  max: (field) => `"${field}" es mayor que el máximo permitido.`,
  isIn: (field) => `"${field}" no tiene un valor permitido.`,
  isEnum: (field) => `"${field}" no tiene un valor permitido.`,
  isUuid: (field) => `"${field}" debe ser un UUID.`,
  isBoolean: (field) => `"${field}" debe ser true o false.`,
  isObject: (field) => `"${field}" debe ser un objeto.`,
  isNotEmpty: (field) => `"${field}" es obligatorio.`,
  isDefined: (field) => `"${field}" es obligatorio.`,
  maxLength: (field) => `"${field}" es demasiado largo.`,
  minLength: (field) => `"${field}" es demasiado corto.`,
  nestedValidation: (field) => `"${field}" debe ser un objeto.`,
};

/** Constraint name -> stable code, unless a decorator sets `context: { code }`. */
const CONSTRAINT_CODES: Record<string, ChatErrorCode> = {
  whitelistValidation: ChatErrorCode.UnknownField,
};

/** Presence and type checks explain a problem better than range checks, so they are reported first. */
const CONSTRAINT_PRIORITY = ['whitelistValidation', 'isDefined', 'isObject', 'nestedValidation', 'isString', 'isInt', 'isBoolean', 'isIn', 'isUuid'];
const priorityOf = (constraint: string) => {
  const index = CONSTRAINT_PRIORITY.indexOf(constraint);
  return index === -1 ? CONSTRAINT_PRIORITY.length : index;
};

function flatten(errors: ValidationError[], parentPath = ''): ChatErrorDetail[] {
  const details: ChatErrorDetail[] = [];
  for (const error of errors) {
    const field = parentPath ? `${parentPath}.${error.property}` : error.property;
    // One problem per field: the most fundamental one.
    const constraints = Object.entries(error.constraints ?? {})
      .sort(([a], [b]) => priorityOf(a) - priorityOf(b))
      .slice(0, 1);
    for (const [constraint, text] of constraints) {
      const context = error.contexts?.[constraint] as { code?: string; message?: string } | undefined;
      const spanish = context?.message ?? CONSTRAINT_MESSAGES[constraint]?.(field) ?? text;
      details.push({ field, code: context?.code ?? CONSTRAINT_CODES[constraint] ?? ChatErrorCode.ValidationFailed, message: spanish });
    }
    if (error.children?.length) details.push(...flatten(error.children, field));
  }
  return details;
}

/** Turns class-validator errors into one `ChatError`; the first problem gives the top-level code. */
export function validationErrorsToChatError(errors: ValidationError[]): ChatError {
  const details = flatten(errors);
  const first = details[0] ?? { code: ChatErrorCode.ValidationFailed, message: 'La solicitud no es válida.' };
  return new ChatError(first.code, first.message, HttpStatus.BAD_REQUEST, details);
}

/** A query string's values as Express gives them, or a query DTO's as the pipe made them (fields not given are `undefined`). */
type FlatValue = string | number | boolean | undefined;

/** The own values of `value` when it is an object of primitives only (a query string, a query DTO), else `null`. */
function flatValues(value: unknown): FlatValue[] | null {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return null;
  const values = Object.values(value);
  for (const item of values) if (item !== undefined && typeof item !== 'string' && typeof item !== 'number' && typeof item !== 'boolean') return null;
  return values as FlatValue[];
}

/**
 * `ValidationPipe` that remembers the query DTOs it has built. A poll sends the same few query strings
 * again and again, and each one went through class-transformer and class-validator twice (the host's global
 * pipe, then the controller's). The chat's query DTOs are pure functions of the query string (no validator
 * reads the clock or the database), so a query seen before gives a copy of the DTO built then. Only
 * successes are kept: an invalid query is validated every time and fails with the same error. Bodies and
 * route parameters are validated as before.
 */
export class ChatValidationPipe extends ValidationPipe {
  /** Kept DTOs per query DTO class; past this many, the oldest go first. */
  static readonly MAX_QUERIES_PER_CLASS = 256;
  /** Shared by every chat pipe: they all validate with the same options. */
  private static readonly built = new WeakMap<Type<unknown>, Map<string, object>>();

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const metatype = metadata.metatype as Type<unknown> | undefined;
    if (metadata.type !== 'query' || !metatype || !flatValues(value)) return super.transform(value, metadata);
    // The prototype is part of the key: the raw query string and the DTO the first pipe made are two inputs.
    const key = `${Object.getPrototypeOf(value) === metatype.prototype ? 'dto' : 'raw'}:${JSON.stringify(value)}`;
    let byQuery = ChatValidationPipe.built.get(metatype);
    const kept = byQuery?.get(key);
    if (kept) return Object.assign(Object.create(Object.getPrototypeOf(kept) as object) as object, kept);
    const result: unknown = await super.transform(value, metadata);
    if (result instanceof metatype && flatValues(result)) {
      if (!byQuery) ChatValidationPipe.built.set(metatype, (byQuery = new Map<string, object>()));
      if (byQuery.size >= ChatValidationPipe.MAX_QUERIES_PER_CLASS) byQuery.delete(byQuery.keys().next().value!);
      byQuery.set(key, Object.assign(Object.create(Object.getPrototypeOf(result) as object) as object, result));
    }
    return result;
  }
}

/**
 * The validation pipe the chat's controllers use (and the host may reuse globally): unknown fields
 * are rejected, payloads are transformed to DTO instances, errors come out in the chat's error shape.
 */
export function createChatValidationPipe(): ValidationPipe {
  return new ChatValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    validationError: { target: false, value: false },
    exceptionFactory: validationErrorsToChatError,
  });
}

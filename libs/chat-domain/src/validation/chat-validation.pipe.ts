import { HttpStatus, ValidationError, ValidationPipe } from '@nestjs/common';

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

/**
 * The validation pipe the chat's controllers use (and the host may reuse globally): unknown fields
 * are rejected, payloads are transformed to DTO instances, errors come out in the chat's error shape.
 */
export function createChatValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    validationError: { target: false, value: false },
    exceptionFactory: validationErrorsToChatError,
  });
}

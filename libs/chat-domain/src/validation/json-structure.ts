import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';

import { HttpStatus } from '@nestjs/common';
import { parse as parseContentType } from 'content-type';
import { decode, encodingExists } from 'iconv-lite';

import { ChatError, ChatErrorCode } from '../errors/chat-error';

/** How large a JSON body's structure may be, checked before it is parsed (see `jsonStructureVerifier`). */
export interface JsonStructureLimits {
  /** Deepest nesting of arrays and objects. */
  maxDepth: number;
  /** Most elements of one array, or members of one object. */
  maxValuesPerContainer: number;
  /** Most elements and members in the whole body. */
  maxValues: number;
}

/**
 * The chat's bodies nest three levels at most and hold a handful of values; the largest is a realtime
 * ticket's `since`, at most 1000 conversations. class-transformer and class-validator recurse once per
 * level, so a body nested tens of thousands deep overflowed their stack (a 500); and class-transformer's
 * time grows faster than linearly with the members of an object, so a 1 MB body of 100,000 members held
 * the event loop for seconds, on the login route before any authentication.
 */
export const JSON_STRUCTURE_LIMITS: Readonly<JsonStructureLimits> = Object.freeze({ maxDepth: 32, maxValuesPerContainer: 1000, maxValues: 2000 });

/**
 * What makes the JSON text exceed `limits`, or null. One linear pass without parsing: brackets and
 * commas inside strings do not count, and values are counted by their separating commas. Malformed text
 * is left to `JSON.parse` to reject.
 */
export function jsonStructureProblem(text: string, limits: JsonStructureLimits): 'depth' | 'values' | null {
  const commas: number[] = []; // per open container
  let values = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: the next character is escaped
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x5b || c === 0x7b) {
      if (commas.push(0) > limits.maxDepth) return 'depth';
      if (++values > limits.maxValues) return 'values';
    } else if (c === 0x2c && commas.length > 0) {
      if (++commas[commas.length - 1] >= limits.maxValuesPerContainer || ++values > limits.maxValues) return 'values';
    } else if (c === 0x5d || c === 0x7d) {
      commas.pop(); // never below zero: stray closing brackets cannot buy credit for later opening ones
    }
  }
  return null;
}

const STRUCTURE_ERRORS = {
  depth: (limits: JsonStructureLimits) =>
    new ChatError(
      ChatErrorCode.JsonTooDeep,
      `El cuerpo de la solicitud tiene demasiados niveles de anidamiento (máximo ${limits.maxDepth}).`,
      HttpStatus.BAD_REQUEST,
    ),
  values: (limits: JsonStructureLimits) =>
    new ChatError(
      ChatErrorCode.JsonTooManyValues,
      `El cuerpo de la solicitud tiene demasiados elementos (máximo ${limits.maxValuesPerContainer} por lista u objeto y ${limits.maxValues} en total).`,
      HttpStatus.BAD_REQUEST,
    ),
} as const;

const invalidJson = () => new ChatError(ChatErrorCode.InvalidJson, 'El cuerpo de la solicitud no es JSON válido.', HttpStatus.BAD_REQUEST);

/** Decodes the body as the JSON parser will, and throws the 400 for a structure that exceeds `limits`. */
function checkedText(body: Buffer, charset: string, limits: JsonStructureLimits): string {
  // Decoded by iconv-lite, as body-parser decodes before `JSON.parse`: the scan must see the same text
  // (for `charset=utf-16` without a BOM, TextDecoder assumes little-endian where iconv-lite detects
  // big-endian from the bytes, and the brackets would be invisible to the scan).
  if (!encodingExists(charset)) throw invalidJson();
  const text = decode(body, charset);
  const problem = jsonStructureProblem(text, limits);
  if (problem) throw STRUCTURE_ERRORS[problem](limits);
  return text;
}

/**
 * A `verify` hook for Express' JSON body parser (`app.useBodyParser('json', { verify })`): rejects a
 * body whose structure exceeds `limits` before it is parsed, let alone transformed, with 400
 * `json_too_deep` or `json_too_many_values`. It sees the raw (already decompressed) bytes and the
 * declared charset.
 */
export function jsonStructureVerifier(limits: JsonStructureLimits = JSON_STRUCTURE_LIMITS) {
  return (_req: IncomingMessage, _res: ServerResponse, body: Buffer, encoding: string | null): void => {
    checkedText(body, encoding ?? 'utf-8', limits);
  };
}

/**
 * The same check as a JSON body parser for Nest's Fastify adapter, whose parsers have no `verify` hook:
 * `app.useBodyParser('application/json', { bodyLimit: 1_048_576 }, jsonStructureBodyParser())`. It refuses a
 * body whose structure exceeds `limits` (400 `json_too_deep` / `json_too_many_values`) before parsing it,
 * and a body that is not JSON with 400 `invalid_json`; an empty body is `{}`, as Express' parser gives.
 */
export function jsonStructureBodyParser(limits: JsonStructureLimits = JSON_STRUCTURE_LIMITS) {
  return (request: { headers: IncomingHttpHeaders }, body: Buffer, done: (error: Error | null, parsed?: unknown) => void): void => {
    if (body.length === 0) return done(null, {});
    let parsed: unknown;
    try {
      const charset = parseContentType(request.headers['content-type'] ?? '').parameters.charset ?? 'utf-8';
      parsed = JSON.parse(checkedText(body, charset.toLowerCase(), limits));
    } catch (error) {
      return done(error instanceof ChatError ? error : invalidJson());
    }
    done(null, parsed);
  };
}

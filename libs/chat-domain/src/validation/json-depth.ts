import type { IncomingMessage, ServerResponse } from 'node:http';

import { HttpStatus } from '@nestjs/common';
import { decode, encodingExists } from 'iconv-lite';

import { ChatError, ChatErrorCode } from '../errors/chat-error';

/**
 * Deepest nesting of arrays and objects a JSON body may have. The chat's bodies nest three levels at
 * most; class-transformer and class-validator recurse once per level, so a body nested tens of
 * thousands deep overflows their stack (a 500 after blocking the event loop).
 */
export const MAX_JSON_DEPTH = 32;

/**
 * Whether the JSON text nests arrays/objects deeper than `maxDepth`. One linear pass without parsing;
 * brackets inside strings do not count. Malformed text is left to `JSON.parse` to reject.
 */
export function jsonDepthExceeds(text: string, maxDepth: number): boolean {
  let depth = 0;
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
      if (++depth > maxDepth) return true;
    } else if ((c === 0x5d || c === 0x7d) && depth > 0) {
      depth--; // never below zero: stray closing brackets cannot buy credit for later opening ones
    }
  }
  return false;
}

export const jsonTooDeepError = (maxDepth: number) =>
  new ChatError(ChatErrorCode.JsonTooDeep, `El cuerpo de la solicitud tiene demasiados niveles de anidamiento (máximo ${maxDepth}).`, HttpStatus.BAD_REQUEST);

/**
 * A `verify` hook for Express' JSON body parser (`app.useBodyParser('json', { verify })`): rejects a
 * body nested deeper than `maxDepth` before it is parsed, let alone transformed, with 400
 * `json_too_deep`. It sees the raw (already decompressed) bytes and the declared charset.
 */
export function jsonDepthVerifier(maxDepth = MAX_JSON_DEPTH) {
  return (_req: IncomingMessage, _res: ServerResponse, body: Buffer, encoding: string | null): void => {
    const charset = encoding ?? 'utf-8';
    // Decoded by iconv-lite, as body-parser decodes before `JSON.parse`: the scan must see the same text
    // (for `charset=utf-16` without a BOM, TextDecoder assumes little-endian where iconv-lite detects
    // big-endian from the bytes, and the brackets would be invisible to the scan).
    if (!encodingExists(charset)) throw new ChatError(ChatErrorCode.InvalidJson, 'El cuerpo de la solicitud no es JSON válido.', HttpStatus.BAD_REQUEST);
    if (jsonDepthExceeds(decode(body, charset), maxDepth)) throw jsonTooDeepError(maxDepth);
  };
}

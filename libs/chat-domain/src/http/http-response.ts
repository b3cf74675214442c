import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * The calls the chat's handlers make on an answer besides returning its body. Express' `Response` and
 * Fastify's `FastifyReply` both have them (`header`, `status`, `send`), so the module runs on either of
 * Nest's HTTP adapters and imports neither.
 */
export interface ChatHttpResponse {
  header(name: string, value: string): unknown;
  status(code: number): unknown;
}

/** What the error filter needs besides `ChatHttpResponse`: the body, and whether anything was sent already. */
export interface ChatHttpErrorResponse extends ChatHttpResponse {
  send(body: unknown): unknown;
  headersSent?: boolean;
  sent?: boolean;
}

/** A reply that wraps Node's own objects (Fastify); Express' request and response are Node's own. */
interface Wrapped<T> {
  raw: T;
}

function unwrap<T extends object>(value: T | Wrapped<T>): T {
  return 'raw' in value && typeof value.raw === 'object' && value.raw !== null ? value.raw : (value as T);
}

/**
 * Node's request and response under either adapter, for a handler that writes the stream itself (SSE).
 * On Fastify the reply is also hijacked, so that Fastify does not try to send an answer of its own.
 */
export function takeOverStream(request: object, response: object): { request: IncomingMessage; response: ServerResponse } {
  const reply = response as { hijack?: () => unknown };
  if (typeof reply.hijack === 'function' && 'raw' in response) reply.hijack();
  return { request: unwrap(request as IncomingMessage), response: unwrap(response as ServerResponse) };
}

/** Whether an answer has started already (Express: Node's `headersSent`; Fastify: `sent`). */
export function answerStarted(response: ChatHttpErrorResponse): boolean {
  return Boolean(response.headersSent ?? response.sent);
}

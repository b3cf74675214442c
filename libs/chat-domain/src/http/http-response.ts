import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';

/**
 * The calls the chat's handlers make on an answer besides returning its body. Express' `Response` and
 * Fastify's `FastifyReply` both have them (`header`, `status`, `send`), so the module runs on either of
 * Nest's HTTP adapters and imports neither.
 */
export interface ChatHttpResponse {
  header(name: string, value: string): unknown;
  status(code: number): unknown;
}

/** What an error answer needs besides `ChatHttpResponse`: the body, and whether anything was sent already. */
interface ChatHttpErrorResponse extends ChatHttpResponse {
  send(body: unknown): unknown;
  headersSent?: boolean;
  sent?: boolean;
  raw?: ServerResponse;
}

/** A reply that wraps Node's own objects (Fastify); Express' request and response are Node's own. */
interface Wrapped<T> {
  raw: T;
}

/** Fastify's reply as the stream takeover sees it. */
interface HijackableReply extends Wrapped<ServerResponse> {
  hijack(): unknown;
  getHeaders?(): OutgoingHttpHeaders;
}

function unwrap<T extends object>(value: T | Wrapped<T>): T {
  return 'raw' in value && typeof value.raw === 'object' && value.raw !== null ? value.raw : (value as T);
}

function isHijackable(response: object): response is HijackableReply {
  return typeof (response as Partial<HijackableReply>).hijack === 'function' && 'raw' in response;
}

/**
 * Node's request and response under either adapter, for a handler that writes the stream itself (SSE).
 * On Fastify the reply is also hijacked, so that Fastify does not try to send an answer of its own; the
 * headers set on the reply so far (a host's hook or interceptor) are kept, as Fastify would only write
 * them with an answer of its own.
 */
export function takeOverStream(request: object, response: object): { request: IncomingMessage; response: ServerResponse } {
  const node = unwrap(response as ServerResponse);
  if (isHijackable(response)) {
    for (const [name, value] of Object.entries(response.getHeaders?.() ?? {})) {
      if (value !== undefined && !node.hasHeader(name)) node.setHeader(name, value);
    }
    response.hijack();
  }
  return { request: unwrap(request as IncomingMessage), response: node };
}

/**
 * Whether an answer has started already: Express' response is Node's own (`headersSent`); Fastify's reply
 * is `sent` once hijacked or answered, and its Node response may have sent headers without it.
 */
function answerStarted(response: ChatHttpErrorResponse | ServerResponse): boolean {
  const reply = response as ChatHttpErrorResponse;
  return Boolean(reply.headersSent || reply.sent || reply.raw?.headersSent);
}

/**
 * Sends an error body as JSON on whatever response an exception filter is handed, unless an answer has
 * started already: Express' response, Fastify's reply, or Node's own response, which Nest passes to the
 * filters on Fastify for an error thrown in a middleware (middie runs middlewares on Node's objects).
 */
export function sendErrorAnswer(response: object, status: number, body: object, headers: Record<string, string>): void {
  const target = response as ChatHttpErrorResponse | ServerResponse;
  if (answerStarted(target)) return;
  if (typeof (target as ChatHttpErrorResponse).status === 'function') {
    const reply = target as ChatHttpErrorResponse;
    for (const [name, value] of Object.entries(headers)) reply.header(name, value);
    reply.status(status);
    reply.send(body);
    return;
  }
  const node = target as ServerResponse;
  node.statusCode = status;
  for (const [name, value] of Object.entries(headers)) node.setHeader(name, value);
  node.setHeader('Content-Type', 'application/json; charset=utf-8');
  node.end(JSON.stringify(body));
}

import { Body, Controller, Get, Headers, HttpCode, HttpStatus, Inject, Post, Query, Req, Res, UseFilters, UsePipes } from '@nestjs/common';
import { ApiCreatedResponse, ApiExcludeEndpoint, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '../openapi/api-docs';
import type { ServerResponse } from 'node:http';

import { SupervisorAllowed } from '../auth/chat-access.guard';
import type { ChatActor } from '../auth/chat-actor';
import { ChatAuth, CredentialExpiry, CurrentChatActor } from '../auth/chat-auth.decorators';
import { ChatExceptionFilter } from '../errors/chat-exception.filter';
import { ErrorResponseDto } from '../errors/error-response.dto';
import { takeOverStream } from '../http/http-response';
import { ChatRateLimit } from '../limits/chat-rate-limit.guard';
import { createChatValidationPipe } from '../validation/chat-validation.pipe';
import { RealtimeTicketDto, RealtimeTicketRequestDto } from './dto/realtime.dto';
import { MessageReplay } from './message-replay';
import { parseRealtimeEventId, RealtimeEventName } from './realtime-contract';
import { RealtimeConnection, RealtimeTransport } from './realtime-connection';
import { RealtimeHub } from './realtime-hub';
import { RealtimeTickets } from './realtime-tickets.service';
import { SUPPORT_CHAT_REALTIME_CONFIG, type SupportChatRealtimeConfig } from './realtime.config';

/**
 * The JSON of an event's data, computed once per event: the hub hands the same `data` object to every
 * recipient (109 streams per message in the benchmark), and only the frame's `id` line differs.
 */
const serializedData = new WeakMap<object, string>();

export function sseFrame(name: RealtimeEventName, data: object, id: string): string {
  let json = serializedData.get(data);
  if (json === undefined) {
    json = JSON.stringify(data);
    serializedData.set(data, json);
  }
  return `id: ${id}\nevent: ${name}\ndata: ${json}\n\n`;
}

/** Writes SSE frames to Node's response (under either adapter); drops a client that stops reading (it resumes by `since`). */
class SseTransport implements RealtimeTransport {
  constructor(
    private readonly response: ServerResponse,
    private readonly maxBufferedBytes: number,
  ) {}

  send(name: RealtimeEventName, data: object, id: string): void {
    this.write(sseFrame(name, data, id));
  }

  heartbeat(): void {
    this.write(': hb\n\n');
  }

  close(): void {
    if (!this.response.writableEnded) this.response.end();
  }

  private write(frame: string): void {
    if (this.response.writableEnded) return;
    this.response.write(frame);
    if (this.response.writableLength > this.maxBufferedBytes) this.response.destroy();
  }
}

/**
 * Server-Sent Events: one stream per browser tab carrying every event the user may see.
 * Wire format and resume rules: `realtime/README.md`.
 */
@ApiTags('Chat de soporte: tiempo real')
@Controller('support/chat/events')
@UseFilters(ChatExceptionFilter)
@UsePipes(createChatValidationPipe())
export class SupportChatRealtimeController {
  constructor(
    private readonly tickets: RealtimeTickets,
    private readonly hub: RealtimeHub,
    private readonly replay: MessageReplay,
    @Inject(SUPPORT_CHAT_REALTIME_CONFIG) private readonly config: SupportChatRealtimeConfig,
  ) {}

  @Post('ticket')
  @SupervisorAllowed('issues a ticket for the read-only event stream; changes no chat data')
  // Above @ChatAuth(): decorators apply bottom-up, so the rate limit guard runs after authentication.
  @ChatRateLimit('tickets')
  @ChatAuth()
  @HttpCode(HttpStatus.CREATED)
  @ApiOperation({
    summary: 'Ticket para el flujo de eventos',
    description: 'Ticket de un solo uso y corta duración para `GET /events?ticket=` o el WebSocket (EventSource no puede enviar `Authorization`).',
  })
  @ApiCreatedResponse({ type: RealtimeTicketDto })
  @ApiServiceUnavailableResponse({ description: 'Tiempo real no disponible: usar sondeo periódico.', type: ErrorResponseDto })
  issueTicket(
    @CurrentChatActor() actor: ChatActor,
    @CredentialExpiry() expiresAt: number | null,
    @Body() body: RealtimeTicketRequestDto,
  ): Promise<RealtimeTicketDto> {
    return this.tickets.issue(actor, body.since, expiresAt);
  }

  @Get()
  @ApiExcludeEndpoint()
  async stream(
    @Query('ticket') ticket: unknown,
    @Query('last_event_id') lastEventIdQuery: unknown,
    @Headers('last-event-id') lastEventIdHeader: string | undefined,
    @Req() httpRequest: object,
    @Res() httpResponse: object,
  ): Promise<void> {
    const { actor, since, expiresAt } = await this.tickets.redeem(ticket);
    const release = this.hub.admit(actor.id, 'sse');
    // The stream is written to Node's own response, under Express or Fastify alike. Only now: a refused
    // ticket or stream (401, 429) must still reach the error filter, which cannot answer a hijacked reply.
    const { request, response } = takeOverStream(httpRequest, httpResponse);
    response.on('close', release);
    // A client that left while its ticket was redeemed: its 'close' has been emitted already.
    if (response.destroyed) {
      release();
      return;
    }
    for (const id of [lastEventIdHeader, typeof lastEventIdQuery === 'string' ? lastEventIdQuery : undefined]) {
      const position = parseRealtimeEventId(id);
      if (position && position.seq > (since[position.conversation_id] ?? -1)) since[position.conversation_id] = position.seq;
    }

    response.writeHead(HttpStatus.OK, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache, no-transform',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    response.flushHeaders();
    request.socket.setNoDelay(true);
    request.socket.setKeepAlive(true);
    request.socket.setTimeout(0);
    response.write(`retry: ${this.config.retryMs}\n\n`);

    const connection = new RealtimeConnection(actor, new SseTransport(response, this.config.maxBufferedBytes), this.replay, since, expiresAt);
    this.hub.add(connection);
    response.on('close', () => {
      connection.markClosed();
      this.hub.remove(connection);
    });
    await connection.start({ heartbeatMs: this.config.heartbeatMs, retryMs: this.config.retryMs });
  }
}

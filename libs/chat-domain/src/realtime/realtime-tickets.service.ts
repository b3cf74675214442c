import { HttpStatus, Inject, Injectable, Logger } from '@nestjs/common';
import { randomBytes } from 'node:crypto';

import { ChatAccessGuard } from '../auth/chat-access.guard';
import type { ChatActor } from '../auth/chat-actor';
import { ChatError, ChatErrorCode, ChatErrors } from '../errors/chat-error';
import type { RealtimeTicketResponse } from './realtime-contract';
import { SUPPORT_CHAT_REALTIME_CONFIG, type SupportChatRealtimeConfig } from './realtime.config';
import { TicketStore } from './ticket-store';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const ticketInvalid = () =>
  new ChatError(ChatErrorCode.Unauthenticated, 'El ticket de conexión no es válido, ya se usó o expiró. Solicita uno nuevo.', HttpStatus.UNAUTHORIZED);

/**
 * Short-lived, single-use tickets that stand in for the bearer token where a browser cannot send one
 * (EventSource, and the WebSocket handshake, so the JWT never appears in a URL or a proxy log).
 */
@Injectable()
export class RealtimeTickets {
  private readonly logger = new Logger('RealtimeTickets');

  constructor(
    private readonly store: TicketStore,
    private readonly access: ChatAccessGuard,
    @Inject(SUPPORT_CHAT_REALTIME_CONFIG) private readonly config: SupportChatRealtimeConfig,
  ) {}

  /** @param expiresAt when the caller's credential expires (ms since the epoch), carried to the connection. */
  async issue(actor: ChatActor, since: unknown, expiresAt: number | null = null): Promise<RealtimeTicketResponse> {
    const ticket = randomBytes(32).toString('base64url');
    try {
      await this.store.save(
        ticket,
        { user_id: actor.id, since: parseSince(since, this.config.maxSinceEntries), expires_at: expiresAt },
        this.config.ticketTtlSeconds,
      );
    } catch (error) {
      if (error instanceof ChatError) throw error;
      this.logger.warn(`Ticket store unavailable: ${(error as Error).message}`);
      throw new ChatError(
        ChatErrorCode.ServiceUnavailable,
        'El tiempo real no está disponible por el momento; los mensajes se actualizarán periódicamente.',
        HttpStatus.SERVICE_UNAVAILABLE,
      );
    }
    return { ticket, expires_in: this.config.ticketTtlSeconds };
  }

  /** Consumes the ticket and loads the user again (a deactivated account, or an expired credential, cannot connect). */
  async redeem(ticket: unknown): Promise<{ actor: ChatActor; since: Record<string, number>; expiresAt: number | null }> {
    if (typeof ticket !== 'string' || ticket.length < 16 || ticket.length > 128) throw ticketInvalid();
    let claims;
    try {
      claims = await this.store.consume(ticket);
    } catch (error) {
      this.logger.warn(`Ticket store unavailable: ${(error as Error).message}`);
      throw new ChatError(ChatErrorCode.ServiceUnavailable, 'El tiempo real no está disponible por el momento.', HttpStatus.SERVICE_UNAVAILABLE);
    }
    if (!claims) throw ticketInvalid();
    const expiresAt = claims.expires_at ?? null;
    if (expiresAt !== null && expiresAt <= Date.now()) throw ChatErrors.sessionExpired();
    return { actor: await this.access.resolveActor(claims.user_id), since: claims.since, expiresAt };
  }
}

/**
 * `{ "<conversation uuid>": <seq> }`, at most `maxEntries` entries: a ticket's claims are kept (in Redis
 * with several instances) until it is used, and each entry costs a replay query on connect.
 */
export function parseSince(value: unknown, maxEntries: number): Record<string, number> {
  if (value === undefined || value === null) return {};
  const invalid = (message: string) =>
    new ChatError(ChatErrorCode.ValidationFailed, message, HttpStatus.BAD_REQUEST, [{ field: 'since', code: ChatErrorCode.ValidationFailed, message }]);
  if (typeof value !== 'object' || Array.isArray(value)) throw invalid('"since" debe ser un objeto { conversation_id: seq }.');
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length > maxEntries) throw invalid(`"since" admite como máximo ${maxEntries} conversaciones.`);
  const since: Record<string, number> = {};
  for (const [conversationId, seq] of entries) {
    if (!UUID.test(conversationId)) throw invalid('Las claves de "since" deben ser identificadores de conversación.');
    if (typeof seq !== 'number' || !Number.isInteger(seq) || seq < 0 || seq > 2_147_483_647) throw invalid('Los valores de "since" deben ser enteros >= 0.');
    since[conversationId.toLowerCase()] = seq;
  }
  return since;
}

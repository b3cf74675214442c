import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import type { Socket } from 'socket.io';

import { ChatAccessGuard } from '../../auth/chat-access.guard';
import { type ChatActor, chatSide } from '../../auth/chat-actor';
import { ConversationsService } from '../../conversations/conversations.service';
import { ChatError, ChatErrors } from '../../errors/chat-error';
import { MessageReplay } from '../message-replay';
import { RealtimeConnection, RealtimeTransport } from '../realtime-connection';
import type { RealtimeEventName } from '../realtime-contract';
import { RealtimeHub, roleChanged } from '../realtime-hub';
import { parseSince, RealtimeTickets } from '../realtime-tickets.service';
import { SUPPORT_CHAT_REALTIME_CONFIG, type SupportChatRealtimeConfig } from '../realtime.config';
import type { SocketPresence } from './presence.service';

/** One authenticated socket. */
export interface SocketSession {
  actor: ChatActor;
  connection: RealtimeConnection;
  /** Conversations whose visibility was checked on this socket, with their candidate. */
  conversations: Map<string, string>;
  /** Carries the event stream (replay, `ready`, chat events) unless the handshake said `stream: false`. */
  stream: boolean;
}

class SocketTransport implements RealtimeTransport {
  constructor(private readonly socket: Socket) {}
  send(name: RealtimeEventName, data: object): void {
    this.socket.emit(name, data);
  }
  heartbeat(): void {
    // Engine.IO pings by itself.
  }
  close(): void {
    this.socket.disconnect(true);
  }
}

/** Sockets' sessions: the ticket handshake, access re-checks and per-socket visibility of conversations. */
@Injectable()
export class SocketSessions {
  private readonly sessions = new WeakMap<Socket, SocketSession>();

  constructor(
    private readonly tickets: RealtimeTickets,
    private readonly hub: RealtimeHub,
    private readonly replay: MessageReplay,
    private readonly conversations: ConversationsService,
    private readonly access: ChatAccessGuard,
    @Inject(SUPPORT_CHAT_REALTIME_CONFIG) private readonly config: SupportChatRealtimeConfig,
  ) {}

  /**
   * Handshake: redeems the ticket (`auth.ticket`), merges `auth.since`, counts the socket against the user's
   * limit. `auth.stream: false`: a socket for typing and presence only (a tab that has the SSE stream).
   */
  async open(socket: Socket): Promise<void> {
    const auth = (socket.handshake.auth ?? {}) as { ticket?: unknown; since?: unknown; stream?: unknown };
    const { actor, since, expiresAt } = await this.tickets.redeem(auth.ticket);
    const merged = mergeSince(since, parseSince(auth.since, this.config.maxSinceEntries));
    const release = this.hub.admit(actor.id, 'socket');
    // Released when the underlying connection closes, also when it closed before the socket connected.
    if (socket.conn.readyState === 'open') socket.conn.once('close', release);
    else release();
    (socket.data as SocketPresence) = { user_id: actor.id, full_name: actor.full_name, kind: actor.kind, ...(actor.supervisor ? { supervisor: true } : {}) };
    const connection = new RealtimeConnection(actor, new SocketTransport(socket), this.replay, merged, expiresAt);
    this.sessions.set(socket, { actor, connection, conversations: new Map(), stream: auth.stream !== false });
  }

  of(socket: Socket): SocketSession | undefined {
    return this.sessions.get(socket);
  }

  /**
   * Re-checks access (credential expiry, then the directory: active, chat role), so that nothing is done
   * for a user who lost it since the last periodic re-check. On failure the socket is closed with
   * `access_revoked` right after the action's answer (the error) is sent.
   */
  async verify(socket: Socket): Promise<SocketSession> {
    const session = this.sessions.get(socket);
    if (!session) throw ChatErrors.unauthenticated();
    let lost: ChatError | null = null;
    const expiresAt = session.connection.expiresAt;
    if (expiresAt !== null && expiresAt <= Date.now()) {
      lost = ChatErrors.sessionExpired();
    } else {
      try {
        const actor = await this.access.resolveActor(session.actor.id);
        if (chatSide(actor) !== chatSide(session.actor)) lost = roleChanged();
      } catch (error) {
        if (!(error instanceof ChatError)) throw error;
        lost = error;
      }
    }
    if (!lost) return session;
    const error = lost;
    setImmediate(() => this.hub.revoke(session.connection, error));
    throw error;
  }

  /** The conversation's candidate, after checking (once per socket) that the actor may see it. */
  async visibleConversation(session: SocketSession, conversationId: string): Promise<string> {
    const known = session.conversations.get(conversationId);
    if (known !== undefined) return known;
    const conversation = await this.conversations.findVisible(session.actor, conversationId);
    session.conversations.set(conversationId, conversation.candidateUserId);
    return conversation.candidateUserId;
  }
}

/** Socket actions run only for a socket whose user still has access (see `SocketSessions.verify`). */
@Injectable()
export class SocketAccessGuard implements CanActivate {
  constructor(private readonly sessions: SocketSessions) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    await this.sessions.verify(context.switchToWs().getClient<Socket>());
    return true;
  }
}

/** The furthest position of each conversation from two sources (the ticket and the handshake). */
function mergeSince(a: Record<string, number>, b: Record<string, number>): Record<string, number> {
  const merged = { ...a };
  for (const [conversationId, seq] of Object.entries(b)) merged[conversationId] = Math.max(seq, merged[conversationId] ?? -1);
  return merged;
}

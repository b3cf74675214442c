import { Inject, Logger, OnApplicationShutdown } from '@nestjs/common';
import {
  ConnectedSocket,
  MessageBody,
  OnGatewayConnection,
  OnGatewayDisconnect,
  OnGatewayInit,
  SubscribeMessage,
  WebSocketGateway,
  WebSocketServer,
} from '@nestjs/websockets';
import { createAdapter } from '@socket.io/redis-adapter';
import type { Redis } from 'ioredis';
import type { Server, Socket } from 'socket.io';

import { ChatAccessGuard } from '../auth/chat-access.guard';
import type { ChatActor } from '../auth/chat-actor';
import { ConversationsService } from '../conversations/conversations.service';
import { ChatError, ChatErrorCode, ChatErrors } from '../errors/chat-error';
import { ChatEventBus } from '../events/chat-events';
import { ChatRateLimiter } from '../limits/chat-rate-limit.guard';
import { ChatAudience, ChatRooms } from './chat-audience';
import { LastSeenStore } from './last-seen.store';
import { MessageReplay } from './message-replay';
import type { PresenceEntry, RealtimeEventName, WsClientEventMap, WsReply } from './realtime-contract';
import { RealtimeConnection, RealtimeTransport } from './realtime-connection';
import { RealtimeHub, roleChanged } from './realtime-hub';
import { parseSince, RealtimeTickets } from './realtime-tickets.service';
import { SUPPORT_CHAT_REALTIME_CONFIG, SUPPORT_CHAT_WS_PATH, SupportChatRealtimeConfig } from './realtime.config';
import { createRedisClient, quitRedis } from './redis-connection';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** A `typing: true` is re-broadcast at most this often while the user keeps typing. */
const TYPING_REBROADCAST_MS = 2_000;

/** What other instances can read about a socket (`fetchSockets()` through the Redis adapter): plain data only. */
interface SocketData {
  user_id: string;
  full_name: string;
  kind: ChatActor['kind'];
}

interface SocketState {
  actor: ChatActor;
  connection: RealtimeConnection;
  /** Conversations joined (visibility checked), with their candidate. */
  conversations: Map<string, string>;
  typing: Map<string, { since: number; timer: NodeJS.Timeout }>;
  acked: Map<string, number>;
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

/**
 * Socket.IO gateway for what needs two ways: typing, presence, acknowledgements. Server-to-client
 * events are the same `ChatEventMap` events as the SSE stream, delivered through the same hub (same
 * audience rule, replay and ordering). Authenticated in the handshake with a ticket.
 */
@WebSocketGateway({ path: SUPPORT_CHAT_WS_PATH, serveClient: false, transports: ['websocket', 'polling'] })
export class SupportChatGateway implements OnGatewayInit, OnGatewayConnection, OnGatewayDisconnect, OnApplicationShutdown {
  @WebSocketServer() server!: Server;
  private readonly logger = new Logger('SupportChatGateway');
  private readonly states = new WeakMap<Socket, SocketState>();
  private adapterClients: Redis[] = [];

  constructor(
    private readonly tickets: RealtimeTickets,
    private readonly hub: RealtimeHub,
    private readonly replay: MessageReplay,
    private readonly conversations: ConversationsService,
    private readonly bus: ChatEventBus,
    private readonly lastSeen: LastSeenStore,
    private readonly access: ChatAccessGuard,
    private readonly limiter: ChatRateLimiter,
    @Inject(SUPPORT_CHAT_REALTIME_CONFIG) private readonly config: SupportChatRealtimeConfig,
  ) {}

  afterInit(server: Server): void {
    if (this.config.redisUrl) {
      const pub = createRedisClient(this.config.redisUrl, 'chat-socket.io-pub', this.logger, { maxRetriesPerRequest: null });
      const sub = createRedisClient(this.config.redisUrl, 'chat-socket.io-sub', this.logger, { maxRetriesPerRequest: null });
      this.adapterClients = [pub, sub];
      server.adapter(createAdapter(pub, sub, { key: `${this.config.redisKeyPrefix}:socket.io`, requestsTimeout: 1_500 }));
    }
    server.use((socket, next) => {
      const auth = (socket.handshake.auth ?? {}) as { ticket?: unknown; since?: unknown };
      this.tickets
        .redeem(auth.ticket)
        .then(({ actor, since, expiresAt }) => {
          const merged = mergeSince(since, parseSince(auth.since, this.config.maxSinceEntries));
          return { actor, expiresAt, since: merged, release: this.hub.admit(actor.id, 'socket') };
        })
        .then(
          ({ actor, since, expiresAt, release }) => {
            // Released when the underlying connection closes, also when it closed before the socket connected.
            if (socket.conn.readyState === 'open') socket.conn.once('close', release);
            else release();
            (socket.data as SocketData) = { user_id: actor.id, full_name: actor.full_name, kind: actor.kind };
            const connection = new RealtimeConnection(actor, new SocketTransport(socket), this.replay, since, expiresAt);
            this.states.set(socket, { actor, connection, conversations: new Map(), typing: new Map(), acked: new Map() });
            next();
          },
          (error: unknown) => {
            const chatError = error instanceof ChatError ? error : ChatErrors.unauthenticated();
            const rejection = new Error(chatError.message) as Error & { data: unknown };
            rejection.data = { ...chatError.toBody(), status: chatError.status };
            next(rejection);
          },
        );
    });
  }

  async handleConnection(socket: Socket): Promise<void> {
    const state = this.states.get(socket);
    if (!state) {
      socket.disconnect(true);
      return;
    }
    await socket.join(ChatAudience.actorRooms(state.actor));
    this.lastSeen.touch(state.actor.id);
    this.hub.add(state.connection);
    await state.connection.start({ heartbeatMs: this.config.heartbeatMs, retryMs: this.config.retryMs });
  }

  async handleDisconnect(socket: Socket): Promise<void> {
    const state = this.states.get(socket);
    if (!state) return;
    state.connection.markClosed();
    this.hub.remove(state.connection);
    this.lastSeen.touch(state.actor.id);
    for (const conversationId of state.typing.keys()) this.stopTyping(state, conversationId);
    for (const [conversationId, candidateUserId] of state.conversations) await this.announceLeft(state.actor, conversationId, candidateUserId);
  }

  @SubscribeMessage('join')
  join(@ConnectedSocket() socket: Socket, @MessageBody() body: WsClientEventMap['join']['request']): Promise<WsClientEventMap['join']['reply']> {
    return this.handle(socket, body, async (state, conversationId) => {
      const alreadyJoined = state.conversations.has(conversationId);
      await this.visibleConversation(state, conversationId);
      await this.limiter.hit('presence', state.actor.id, conversationId);
      await socket.join(ChatRooms.conversation(conversationId));
      if (!alreadyJoined) this.publishPresence(state.actor, conversationId, state.conversations.get(conversationId)!, true);
      return { ok: true, conversation_id: conversationId };
    });
  }

  @SubscribeMessage('leave')
  leave(@ConnectedSocket() socket: Socket, @MessageBody() body: WsClientEventMap['leave']['request']): Promise<WsClientEventMap['leave']['reply']> {
    return this.handle(socket, body, async (state, conversationId) => {
      const candidateUserId = state.conversations.get(conversationId);
      if (candidateUserId !== undefined) {
        this.stopTyping(state, conversationId);
        state.conversations.delete(conversationId);
        await socket.leave(ChatRooms.conversation(conversationId));
        await this.announceLeft(state.actor, conversationId, candidateUserId);
      }
      return { ok: true, conversation_id: conversationId };
    });
  }

  /** `is_typing: true` while typing (repeat every few seconds); it expires by itself after `typingTimeoutMs`. */
  @SubscribeMessage('typing')
  typing(@ConnectedSocket() socket: Socket, @MessageBody() body: WsClientEventMap['typing']['request']): Promise<WsClientEventMap['typing']['reply']> {
    return this.handle(socket, body, async (state, conversationId) => {
      const candidateUserId = await this.visibleConversation(state, conversationId);
      // Over the limit the event is dropped (answered `rate_limited`); an indicator left on expires by itself.
      await this.limiter.hit('typing', state.actor.id, conversationId);
      if (body.is_typing !== true) {
        this.stopTyping(state, conversationId);
        return { ok: true, conversation_id: conversationId };
      }
      const current = state.typing.get(conversationId);
      const now = Date.now();
      if (current) clearTimeout(current.timer);
      const timer = setTimeout(() => this.stopTyping(state, conversationId), this.config.typingTimeoutMs);
      timer.unref();
      const rebroadcast = !current || now - current.since >= TYPING_REBROADCAST_MS;
      state.typing.set(conversationId, { since: rebroadcast ? now : current.since, timer });
      if (rebroadcast) this.publishTyping(state.actor, conversationId, candidateUserId, true);
      return { ok: true, conversation_id: conversationId };
    });
  }

  /** Who of the conversation's candidate and assigned agent is connected to it, and when each was last seen. */
  @SubscribeMessage('presence')
  presence(@ConnectedSocket() socket: Socket, @MessageBody() body: WsClientEventMap['presence']['request']): Promise<WsClientEventMap['presence']['reply']> {
    return this.handle(socket, body, async (state, conversationId) => {
      const conversation = await this.conversations.findVisible(state.actor, conversationId);
      await this.limiter.hit('presence', state.actor.id, conversationId);
      const online = new Map((await this.socketsIn(ChatRooms.conversation(conversationId))).map((data) => [data.user_id, data]));
      const people = new Map<string, { full_name: string; role: PresenceEntry['role'] }>();
      people.set(conversation.candidateUserId, { full_name: online.get(conversation.candidateUserId)?.full_name ?? '', role: 'candidate' });
      if (conversation.assignedSupportUserId)
        people.set(conversation.assignedSupportUserId, { full_name: online.get(conversation.assignedSupportUserId)?.full_name ?? '', role: 'staff' });
      for (const data of online.values()) if (!people.has(data.user_id)) people.set(data.user_id, { full_name: data.full_name, role: data.kind });
      const lastSeen = await this.lastSeen.get([...people.keys()]);
      // Candidates see staff names and whether they are online, never when staff were last seen.
      const mayKnowLastSeen = (person: { role: PresenceEntry['role'] }) => state.actor.kind === 'staff' || person.role !== 'staff';
      const users: PresenceEntry[] = [...people].map(([userId, person]) => ({
        user_id: userId,
        full_name: person.full_name,
        role: person.role,
        online: online.has(userId),
        last_seen_at: mayKnowLastSeen(person) ? (lastSeen.get(userId) ?? null) : null,
      }));
      return { ok: true, conversation_id: conversationId, users };
    });
  }

  /** Delivery receipt for a message (`seq`): kept per socket; the answer confirms the position the server recorded. */
  @SubscribeMessage('ack')
  ack(@ConnectedSocket() socket: Socket, @MessageBody() body: WsClientEventMap['ack']['request']): Promise<WsClientEventMap['ack']['reply']> {
    return this.handle(socket, body, async (state, conversationId) => {
      if (!Number.isInteger(body.seq) || body.seq < 0) throw new ChatError(ChatErrorCode.ValidationFailed, '"seq" debe ser un entero >= 0.');
      const seq = Math.max(body.seq, state.acked.get(conversationId) ?? 0);
      state.acked.set(conversationId, seq);
      return { ok: true, conversation_id: conversationId, seq };
    });
  }

  /** Called after Nest closed the Socket.IO server (the adapter unsubscribes while closing). */
  async onApplicationShutdown(): Promise<void> {
    await Promise.all(this.adapterClients.map((client) => quitRedis(client)));
  }

  private async handle<T extends { ok: true }>(
    socket: Socket,
    body: { conversation_id?: unknown } | undefined,
    work: (state: SocketState, conversationId: string) => Promise<T>,
  ): Promise<T | WsReply<never>> {
    const state = this.states.get(socket);
    try {
      if (!state) throw ChatErrors.unauthenticated();
      await this.verifyAccess(state);
      const conversationId = body?.conversation_id;
      if (typeof conversationId !== 'string' || !UUID.test(conversationId)) throw ChatErrors.conversationNotFound();
      return await work(state, conversationId.toLowerCase());
    } catch (error) {
      if (error instanceof ChatError) return { ok: false, code: error.code, error: error.message };
      this.logger.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
      return { ok: false, code: ChatErrorCode.Internal, error: 'Ocurrió un error inesperado.' };
    }
  }

  /**
   * Every socket action re-checks access (credential expiry, then the directory: active, chat role), so
   * that nothing is done for a user who lost it since the last periodic re-check. On failure the action is
   * answered with the error and the socket is then closed with `access_revoked` (after the answer is sent).
   */
  private async verifyAccess(state: SocketState): Promise<void> {
    let lost: ChatError | null = null;
    const expiresAt = state.connection.expiresAt;
    if (expiresAt !== null && expiresAt <= Date.now()) {
      lost = ChatErrors.sessionExpired();
    } else {
      try {
        const actor = await this.access.resolveActor(state.actor.id);
        if (actor.kind !== state.actor.kind) lost = roleChanged();
      } catch (error) {
        if (!(error instanceof ChatError)) throw error;
        lost = error;
      }
    }
    if (!lost) return;
    const error = lost;
    setImmediate(() => this.hub.revoke(state.connection, error));
    throw error;
  }

  /** The conversation's candidate, after checking (once per socket) that the actor may see it. */
  private async visibleConversation(state: SocketState, conversationId: string): Promise<string> {
    const known = state.conversations.get(conversationId);
    if (known !== undefined) return known;
    const conversation = await this.conversations.findVisible(state.actor, conversationId);
    state.conversations.set(conversationId, conversation.candidateUserId);
    return conversation.candidateUserId;
  }

  private stopTyping(state: SocketState, conversationId: string): void {
    const current = state.typing.get(conversationId);
    if (!current) return;
    clearTimeout(current.timer);
    state.typing.delete(conversationId);
    const candidateUserId = state.conversations.get(conversationId);
    if (candidateUserId !== undefined) this.publishTyping(state.actor, conversationId, candidateUserId, false);
  }

  private publishTyping(actor: ChatActor, conversationId: string, candidateUserId: string, isTyping: boolean): void {
    this.bus.publish({
      name: 'typing',
      candidate_user_id: candidateUserId,
      data: { conversation_id: conversationId, user_id: actor.id, full_name: actor.full_name, is_typing: isTyping },
    });
  }

  private publishPresence(actor: ChatActor, conversationId: string, candidateUserId: string, online: boolean): void {
    this.bus.publish({
      name: 'presence',
      candidate_user_id: candidateUserId,
      data: { conversation_id: conversationId, user_id: actor.id, online, last_seen_at: online ? null : new Date().toISOString() },
    });
  }

  /** Offline in a conversation once none of the user's sockets (on any instance) is in its room. */
  private async announceLeft(actor: ChatActor, conversationId: string, candidateUserId: string): Promise<void> {
    const remaining = await this.socketsIn(ChatRooms.conversation(conversationId));
    if (!remaining.some((data) => data.user_id === actor.id)) this.publishPresence(actor, conversationId, candidateUserId, false);
  }

  /** Sockets in a room on every instance (through the Redis adapter), or on this one if Redis does not answer. */
  private async socketsIn(room: string): Promise<SocketData[]> {
    try {
      return (await this.server.in(room).fetchSockets()).map((socket) => socket.data as SocketData);
    } catch {
      return (await this.server.local.in(room).fetchSockets()).map((socket) => socket.data as SocketData);
    }
  }
}

/** The furthest position of each conversation from two sources (the ticket and the handshake). */
function mergeSince(a: Record<string, number>, b: Record<string, number>): Record<string, number> {
  const merged = { ...a };
  for (const [conversationId, seq] of Object.entries(b)) merged[conversationId] = Math.max(seq, merged[conversationId] ?? -1);
  return merged;
}

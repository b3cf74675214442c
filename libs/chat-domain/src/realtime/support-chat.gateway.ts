import { Inject, Logger, UseFilters, UseGuards, UsePipes } from '@nestjs/common';
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
import type { Server, Socket } from 'socket.io';

import { ConversationPolicy } from '../conversations/conversation.policy';
import { ConversationsService } from '../conversations/conversations.service';
import { ChatError, ChatErrors } from '../errors/chat-error';
import { ChatWsExceptionFilter } from '../errors/chat-ws-exception.filter';
import { ChatRateLimiter } from '../limits/chat-rate-limit.guard';
import { createChatValidationPipe } from '../validation/chat-validation.pipe';
import { ChatAudience, ChatRooms } from './chat-audience';
import type { WsClientEventMap } from './realtime-contract';
import { RealtimeHub } from './realtime-hub';
import { SUPPORT_CHAT_REALTIME_CONFIG, SUPPORT_CHAT_WS_PATH, type SupportChatRealtimeConfig } from './realtime.config';
import { PresenceService, SocketPresence } from './socket/presence.service';
import { SocketAccessGuard, SocketSessions } from './socket/socket-sessions';
import { SocketConversationDto, SocketTypingDto } from './socket/socket.dto';
import { isClusteredSocketServer } from './socket/support-chat-io.adapter';
import { TypingService } from './socket/typing.service';

type Reply<K extends keyof WsClientEventMap> = Promise<Extract<WsClientEventMap[K]['reply'], { ok: true }>>;

/**
 * Socket.IO transport for what needs two ways (typing, presence). Authenticated in the handshake with a
 * ticket (`SocketSessions`); every action re-checks access (`SocketAccessGuard`), validates its body
 * (DTOs, the module's pipe) and answers failures `{ ok: false, error, code }` (`ChatWsExceptionFilter`).
 * Wire protocol: `realtime/README.md`.
 */
@WebSocketGateway({ path: SUPPORT_CHAT_WS_PATH, serveClient: false, transports: ['websocket', 'polling'] })
@UseFilters(ChatWsExceptionFilter)
@UseGuards(SocketAccessGuard)
@UsePipes(createChatValidationPipe())
export class SupportChatGateway implements OnGatewayInit, OnGatewayConnection, OnGatewayDisconnect {
  @WebSocketServer() server!: Server;
  private readonly logger = new Logger('SupportChatGateway');

  constructor(
    private readonly sessions: SocketSessions,
    private readonly hub: RealtimeHub,
    private readonly typingService: TypingService,
    private readonly presenceService: PresenceService,
    private readonly conversations: ConversationsService,
    private readonly limiter: ChatRateLimiter,
    @Inject(SUPPORT_CHAT_REALTIME_CONFIG) private readonly config: SupportChatRealtimeConfig,
  ) {}

  afterInit(server: Server): void {
    if (this.config.redisUrl && !isClusteredSocketServer(server))
      this.logger.warn(
        'REDIS_URL is set but Socket.IO is not clustered: install SupportChatIoAdapter (app.useWebSocketAdapter) for presence across instances.',
      );
    // Typing and presence go to the sockets viewing the conversation (its room, on every instance through
    // the Redis adapter), never through the event stream: a tab gets each of them once, and only if it looks.
    this.typingService.changes$.subscribe((data) => {
      server.to(ChatRooms.conversation(data.conversation_id)).except(ChatRooms.user(data.user_id)).emit('typing', data);
    });
    this.presenceService.changes$.subscribe((event) => {
      const room = ChatRooms.conversation(event.data.conversation_id);
      server.to(room).except(ChatRooms.user(event.candidate_user_id)).emit('presence', event.data);
      server
        .to(room)
        .except(ChatRooms.staff)
        .emit('presence', ChatAudience.dataFor({ id: event.candidate_user_id, kind: 'candidate' }, event));
    });
    server.use((socket, next) => {
      this.sessions.open(socket).then(
        () => next(),
        (error: unknown) => {
          const chatError = error instanceof ChatError ? error : ChatErrors.unauthenticated();
          next(Object.assign(new Error(chatError.message), { data: { ...chatError.toBody(), status: chatError.status } }));
        },
      );
    });
  }

  async handleConnection(socket: Socket): Promise<void> {
    const session = this.sessions.of(socket);
    if (!session) return void socket.disconnect(true);
    await socket.join(ChatAudience.actorRooms(session.actor));
    this.presenceService.touch(session.actor.id);
    this.hub.add(session.connection, session.stream);
    if (session.stream) await session.connection.start({ heartbeatMs: this.config.heartbeatMs, retryMs: this.config.retryMs });
  }

  async handleDisconnect(socket: Socket): Promise<void> {
    const session = this.sessions.of(socket);
    if (!session) return;
    session.connection.markClosed();
    this.hub.remove(session.connection);
    this.presenceService.touch(session.actor.id);
    this.typingService.stopAll(socket.id);
    for (const [conversationId, candidateUserId] of session.conversations) {
      this.presenceService.left(session.actor, conversationId, candidateUserId, await this.socketsIn(conversationId));
    }
  }

  @SubscribeMessage('join')
  async join(@ConnectedSocket() socket: Socket, @MessageBody() { conversation_id: id }: SocketConversationDto): Reply<'join'> {
    const session = this.sessions.of(socket)!;
    const alreadyJoined = session.conversations.has(id);
    const candidateUserId = await this.sessions.visibleConversation(session, id);
    await this.limiter.hit('presence', session.actor.id, id);
    await socket.join(ChatRooms.conversation(id));
    if (!alreadyJoined) this.presenceService.joined(session.actor, id, candidateUserId);
    return { ok: true, conversation_id: id };
  }

  @SubscribeMessage('leave')
  async leave(@ConnectedSocket() socket: Socket, @MessageBody() { conversation_id: id }: SocketConversationDto): Reply<'leave'> {
    const session = this.sessions.of(socket)!;
    const candidateUserId = session.conversations.get(id);
    if (candidateUserId !== undefined) {
      this.typingService.stop(socket.id, id);
      session.conversations.delete(id);
      await socket.leave(ChatRooms.conversation(id));
      this.presenceService.left(session.actor, id, candidateUserId, await this.socketsIn(id));
    }
    return { ok: true, conversation_id: id };
  }

  /** `is_typing: true` while typing (repeat every few seconds); it expires by itself after `typingTimeoutMs`. */
  @SubscribeMessage('typing')
  async typing(@ConnectedSocket() socket: Socket, @MessageBody() body: SocketTypingDto): Reply<'typing'> {
    const session = this.sessions.of(socket)!;
    // Supervisors read only: they never show as typing (their composer is hidden, this is the server's word).
    ConversationPolicy.assertNotSupervisor(session.actor);
    await this.sessions.visibleConversation(session, body.conversation_id);
    // Over the limit the event is dropped (answered `rate_limited`); an indicator left on expires by itself.
    await this.limiter.hit('typing', session.actor.id, body.conversation_id);
    this.typingService.update(socket.id, session.actor, body.conversation_id, body.is_typing);
    return { ok: true, conversation_id: body.conversation_id };
  }

  /** Who of the conversation's candidate and assigned agent is connected to it, and when each was last seen. */
  @SubscribeMessage('presence')
  async presence(@ConnectedSocket() socket: Socket, @MessageBody() { conversation_id: id }: SocketConversationDto): Reply<'presence'> {
    const session = this.sessions.of(socket)!;
    const conversation = await this.conversations.findVisible(session.actor, id);
    await this.limiter.hit('presence', session.actor.id, id);
    return { ok: true, conversation_id: id, users: await this.presenceService.list(session.actor, conversation, await this.socketsIn(id)) };
  }

  /** A conversation's room, on every instance (through the Redis adapter when installed). */
  private conversationRoom(conversationId: string) {
    return this.server.in(ChatRooms.conversation(conversationId));
  }

  /** Sockets in a conversation on every instance (through the Redis adapter), or on this one if Redis does not answer. */
  private async socketsIn(conversationId: string): Promise<SocketPresence[]> {
    try {
      return (await this.conversationRoom(conversationId).fetchSockets()).map((socket) => socket.data as SocketPresence);
    } catch {
      return (await this.server.local.in(ChatRooms.conversation(conversationId)).fetchSockets()).map((socket) => socket.data as SocketPresence);
    }
  }
}

import { Provider, Type } from '@nestjs/common';

import { ChatEventBus } from '../events/chat-events';
import { STAFF_PRESENCE } from '../handoff/staff-presence';
import { ChatEventBroker, InProcessChatEventBroker, RedisChatEventBroker } from './chat-event-broker';
import { LastSeenStore } from './last-seen.store';
import { MessageReplay } from './message-replay';
import { RealtimeHub } from './realtime-hub';
import { RealtimeTickets } from './realtime-tickets.service';
import { SupportChatRealtimeController } from './realtime.controller';
import { resolveRealtimeConfig, SUPPORT_CHAT_REALTIME_CONFIG, SupportChatRealtimeConfig, SupportChatRealtimeOptions } from './realtime.config';
import { PresenceService } from './socket/presence.service';
import { SocketAccessGuard, SocketSessions } from './socket/socket-sessions';
import { SocketIoRedisClients } from './socket/support-chat-io.adapter';
import { TypingService } from './socket/typing.service';
import { SupportChatGateway } from './support-chat.gateway';
import { InMemoryTicketStore, RedisTicketStore, TicketStore } from './ticket-store';

/** Needs the module's options under `SUPPORT_CHAT_OPTIONS`-like token given by the module. */
export function realtimeProviders(optionsToken: symbol): Provider[] {
  return [
    {
      provide: SUPPORT_CHAT_REALTIME_CONFIG,
      inject: [optionsToken],
      useFactory: (options: { realtime?: SupportChatRealtimeOptions; env?: Record<string, string | undefined> }) =>
        resolveRealtimeConfig(options.realtime, options.env ?? process.env),
    },
    {
      provide: ChatEventBroker,
      inject: [ChatEventBus, SUPPORT_CHAT_REALTIME_CONFIG],
      useFactory: (bus: ChatEventBus, config: SupportChatRealtimeConfig) =>
        config.redisUrl ? new RedisChatEventBroker(bus, config) : new InProcessChatEventBroker(bus),
    },
    {
      provide: TicketStore,
      inject: [ChatEventBroker, SUPPORT_CHAT_REALTIME_CONFIG],
      useFactory: (broker: ChatEventBroker, config: SupportChatRealtimeConfig) =>
        broker instanceof RedisChatEventBroker ? new RedisTicketStore(() => broker.commands, config.redisKeyPrefix) : new InMemoryTicketStore(),
    },
    {
      provide: LastSeenStore,
      inject: [ChatEventBroker, SUPPORT_CHAT_REALTIME_CONFIG],
      useFactory: (broker: ChatEventBroker, config: SupportChatRealtimeConfig) =>
        new LastSeenStore(broker instanceof RedisChatEventBroker ? () => broker.commands : null, `${config.redisKeyPrefix}:last-seen`),
    },
    MessageReplay,
    RealtimeHub,
    { provide: STAFF_PRESENCE, useExisting: RealtimeHub },
    RealtimeTickets,
    SocketSessions,
    SocketIoRedisClients,
    SocketAccessGuard,
    TypingService,
    PresenceService,
    SupportChatGateway,
  ];
}

export const SUPPORT_CHAT_REALTIME_CONTROLLERS: Type<unknown>[] = [SupportChatRealtimeController];

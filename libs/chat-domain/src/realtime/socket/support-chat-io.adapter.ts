import type { INestApplicationContext } from '@nestjs/common';
import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';
import { createAdapter } from '@socket.io/redis-adapter';
import type { Redis } from 'ioredis';
import type { Server, ServerOptions } from 'socket.io';

import { SUPPORT_CHAT_REALTIME_CONFIG, SupportChatRealtimeConfig } from '../realtime.config';
import { createRedisClient, quitRedis } from '../redis-connection';

/** Servers this adapter connected to Redis: the gateway warns when the host forgot to install it. */
const clustered = new WeakSet<object>();

export function isClusteredSocketServer(server: Server): boolean {
  return clustered.has(server);
}

/**
 * Socket.IO for the chat: with `realtime.redisUrl` set, the server gets `@socket.io/redis-adapter`, so
 * rooms, presence (`fetchSockets`) and room broadcasts span every instance. Install it once in the host's
 * bootstrap: `app.useWebSocketAdapter(new SupportChatIoAdapter(app))`. Its Redis connections close when
 * the application has shut down (`SocketIoRedisClients`).
 */
export class SupportChatIoAdapter extends IoAdapter {
  private readonly redisLogger = new Logger('SupportChatIoAdapter');

  constructor(private readonly app: INestApplicationContext) {
    super(app);
  }

  override createIOServer(port: number, options?: ServerOptions): Server {
    const server: Server = super.createIOServer(port, options);
    const config = this.app.get<SupportChatRealtimeConfig>(SUPPORT_CHAT_REALTIME_CONFIG, { strict: false });
    if (config.redisUrl) {
      const pub = createRedisClient(config.redisUrl, 'chat-socket.io-pub', this.redisLogger, { maxRetriesPerRequest: null });
      const sub = createRedisClient(config.redisUrl, 'chat-socket.io-sub', this.redisLogger, { maxRetriesPerRequest: null });
      this.app.get(SocketIoRedisClients, { strict: false }).add(pub, sub);
      server.adapter(createAdapter(pub, sub, { key: `${config.redisKeyPrefix}:socket.io`, requestsTimeout: 1_500 }));
      clustered.add(server);
    }
    return server;
  }
}

/**
 * The Redis connections of the Socket.IO adapter, closed when the application has shut down (after the
 * HTTP server and its sockets closed, so that departures announced at shutdown still reach Redis).
 */
@Injectable()
export class SocketIoRedisClients implements OnApplicationShutdown {
  private readonly clients: Redis[] = [];

  add(...clients: Redis[]): void {
    this.clients.push(...clients);
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all(this.clients.splice(0).map((client) => quitRedis(client)));
  }
}

import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { merge, Observable, Subject, Subscription } from 'rxjs';

import { ChatEventBus, StreamChatEvent } from '../events/chat-events';
import { isStreamChatEvent } from './realtime-contract';
import { SUPPORT_CHAT_REALTIME_CONFIG, type SupportChatRealtimeConfig } from './realtime.config';
import { createRedisClient, quitRedis } from './redis-connection';

/**
 * Carries the events this instance produces (on `ChatEventBus`) to every instance, and gives each
 * instance the single stream of events its local subscribers must receive: local events at once, other
 * instances' events as they arrive. Each event appears on `events$` exactly once per instance.
 *
 * Delivery through a broker is best effort; correctness does not depend on it (see README: clients
 * resume from the database by `seq`).
 */
export abstract class ChatEventBroker {
  abstract readonly events$: Observable<StreamChatEvent>;
  /** Emits when cross-instance delivery resumes after an interruption (events may have been lost). */
  abstract readonly recovered$: Observable<void>;
  /** Unique id of this instance. */
  abstract readonly instanceId: string;
}

/** The default: one instance, nothing to install. */
@Injectable()
export class InProcessChatEventBroker extends ChatEventBroker {
  readonly instanceId = randomUUID();
  readonly events$: Observable<StreamChatEvent>;
  readonly recovered$ = new Subject<void>().asObservable();

  constructor(bus: ChatEventBus) {
    super();
    this.events$ = bus.events$;
  }
}

interface Envelope {
  origin: string;
  event: StreamChatEvent;
}

/**
 * Redis pub/sub on one channel. Local events are delivered locally straight from the bus and published
 * for the others; our own publications coming back from Redis are ignored (no double delivery). While
 * Redis is down, events are dropped for other instances (logged once per outage); sending still works.
 */
@Injectable()
export class RedisChatEventBroker extends ChatEventBroker implements OnModuleInit, OnApplicationShutdown {
  readonly instanceId = randomUUID();
  readonly events$: Observable<StreamChatEvent>;
  private readonly remote = new Subject<StreamChatEvent>();
  private readonly recovered = new Subject<void>();
  readonly recovered$ = this.recovered.asObservable();
  private readonly logger = new Logger('ChatEventBroker');
  private readonly channel: string;
  private publisher: Redis | null = null;
  private subscriber: Redis | null = null;
  private subscription: Subscription | null = null;
  private droppedSinceOutage = 0;
  private interrupted = false;

  constructor(
    private readonly bus: ChatEventBus,
    @Inject(SUPPORT_CHAT_REALTIME_CONFIG) private readonly config: SupportChatRealtimeConfig,
  ) {
    super();
    this.channel = `${config.redisKeyPrefix}:events`;
    this.events$ = merge(bus.events$, this.remote);
  }

  /** Waits (briefly) for Redis so that the first tickets do not fail; a Redis that is down does not block start-up. */
  async onModuleInit(): Promise<void> {
    const url = this.config.redisUrl!;
    // Publishing fails fast while Redis is down instead of queueing stale events.
    this.publisher = createRedisClient(url, 'chat-events-pub', this.logger, { enableOfflineQueue: false, maxRetriesPerRequest: 0 });
    this.subscriber = createRedisClient(url, 'chat-events-sub', this.logger, { maxRetriesPerRequest: null });
    this.subscriber.on('message', (channel: string, raw: string) => this.onMessage(channel, raw));
    let readyOnce = false;
    this.subscriber.on('ready', () => {
      if (readyOnce && this.interrupted) {
        this.interrupted = false;
        // Give ioredis a moment to restore the subscription before asking subscribers to catch up.
        setTimeout(() => this.recovered.next(), 200).unref();
      }
      readyOnce = true;
    });
    this.subscriber.on('close', () => {
      this.interrupted = true;
    });
    const subscribed = this.subscriber
      .subscribe(this.channel)
      .catch((error: Error) => this.logger.warn(`Redis subscribe failed (will retry on reconnect): ${error.message}`));
    this.subscription = this.bus.events$.subscribe((event) => this.publish(event));
    // Until the subscription is active, events other instances publish would never reach our clients:
    // accept connections only once it is (or once Redis has had its chance).
    await Promise.all([waitForReady(this.publisher, 3_000), settleWithin(subscribed, 3_000)]);
  }

  /** The publishing connection, shared with the ticket store and presence (plain commands). */
  get commands(): Redis {
    return this.publisher!;
  }

  private publish(event: StreamChatEvent): void {
    const publisher = this.publisher;
    if (!publisher) return;
    const envelope: Envelope = { origin: this.instanceId, event };
    publisher.publish(this.channel, JSON.stringify(envelope)).then(
      () => {
        if (this.droppedSinceOutage > 0) {
          this.logger.log(`Redis publishing resumed; ${this.droppedSinceOutage} event(s) were not relayed to other instances meanwhile.`);
          this.droppedSinceOutage = 0;
        }
      },
      (error: Error) => {
        if (this.droppedSinceOutage++ === 0)
          this.logger.warn(`Redis publish failed, events are not relayed to other instances until it returns: ${error.message}`);
      },
    );
  }

  private onMessage(channel: string, raw: string): void {
    if (channel !== this.channel) return;
    let envelope: Envelope;
    try {
      envelope = JSON.parse(raw) as Envelope;
    } catch {
      return;
    }
    // Only stream events travel here: anything else on the channel (typing or presence from another
    // publisher, an unknown name) would otherwise reach every SSE stream.
    if (envelope?.origin === this.instanceId || !isStreamChatEvent(envelope?.event)) return;
    this.remote.next(envelope.event);
  }

  /** After the HTTP and WebSocket servers closed (Nest calls this last), so nothing uses the connections any more. */
  async onApplicationShutdown(): Promise<void> {
    this.subscription?.unsubscribe();
    this.remote.complete();
    this.recovered.complete();
    await Promise.all([quitRedis(this.subscriber), quitRedis(this.publisher)]);
  }
}

function waitForReady(client: Redis, timeoutMs: number): Promise<void> {
  if (client.status === 'ready') return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      client.off('ready', done);
      resolve();
    };
    const timer = setTimeout(done, timeoutMs);
    client.once('ready', done);
  });
}

function settleWithin(promise: Promise<unknown>, timeoutMs: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, timeoutMs);
    void promise.finally(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}

import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { Subscription } from 'rxjs';

import type { ChatEvent } from '../events/chat-events';
import { ChatEventBroker } from './chat-event-broker';
import { MessageReplay } from './message-replay';
import { RealtimeConnection } from './realtime-connection';
import { SUPPORT_CHAT_REALTIME_CONFIG, SupportChatRealtimeConfig } from './realtime.config';

/**
 * This instance's subscribers, indexed by audience so that an event costs O(its recipients): all staff
 * connections plus the conversation candidate's own. Sends the heartbeat, and after a broker outage
 * re-injects from the database the messages this instance's subscribers may have missed.
 */
@Injectable()
export class RealtimeHub implements OnModuleInit, OnModuleDestroy, BeforeApplicationShutdown {
  private readonly logger = new Logger('RealtimeHub');
  private readonly staff = new Set<RealtimeConnection>();
  private readonly candidates = new Map<string, Set<RealtimeConnection>>();
  private readonly subscriptions: Subscription[] = [];
  private heartbeat: NodeJS.Timeout | null = null;

  constructor(
    private readonly broker: ChatEventBroker,
    private readonly replay: MessageReplay,
    @Inject(SUPPORT_CHAT_REALTIME_CONFIG) private readonly config: SupportChatRealtimeConfig,
  ) {}

  onModuleInit(): void {
    this.subscriptions.push(this.broker.events$.subscribe((event) => this.dispatch(event)));
    this.subscriptions.push(this.broker.recovered$.subscribe(() => void this.recover()));
    this.heartbeat = setInterval(() => this.forEach((connection) => connection.heartbeat()), this.config.heartbeatMs);
    this.heartbeat.unref();
  }

  get size(): number {
    let size = this.staff.size;
    for (const set of this.candidates.values()) size += set.size;
    return size;
  }

  add(connection: RealtimeConnection): void {
    if (connection.actor.kind === 'staff') {
      this.staff.add(connection);
      return;
    }
    let set = this.candidates.get(connection.actor.id);
    if (!set) this.candidates.set(connection.actor.id, (set = new Set()));
    set.add(connection);
  }

  remove(connection: RealtimeConnection): void {
    if (connection.actor.kind === 'staff') {
      this.staff.delete(connection);
      return;
    }
    const set = this.candidates.get(connection.actor.id);
    set?.delete(connection);
    if (set?.size === 0) this.candidates.delete(connection.actor.id);
  }

  dispatch(event: ChatEvent): void {
    for (const connection of this.staff) connection.deliver(event);
    const own = this.candidates.get(event.candidate_user_id);
    if (own) for (const connection of own) connection.deliver(event);
  }

  /** After a broker interruption: replay what was committed meanwhile, then hint clients to refresh the rest. */
  async recover(): Promise<void> {
    const positions = new Map<string, number>();
    this.forEach((connection) => {
      for (const [conversationId, seq] of Object.entries(connection.cursor.since())) {
        positions.set(conversationId, Math.min(seq, positions.get(conversationId) ?? seq));
      }
    });
    try {
      const { events } = await this.replay.missed(positions, null);
      for (const event of events) this.dispatch(event);
      this.logger.log(`Broker recovered: re-delivered ${events.length} message(s) from the database to ${this.size} connection(s).`);
    } catch (error) {
      this.logger.warn(`Catch-up after broker recovery failed: ${(error as Error).message}`);
    }
    this.forEach((connection) => connection.control('resync', { conversation_id: null, reason: 'broker_recovered' }));
  }

  beforeApplicationShutdown(): void {
    this.forEach((connection) => connection.close());
    this.staff.clear();
    this.candidates.clear();
  }

  onModuleDestroy(): void {
    if (this.heartbeat) clearInterval(this.heartbeat);
    for (const subscription of this.subscriptions) subscription.unsubscribe();
    this.beforeApplicationShutdown();
  }

  private forEach(work: (connection: RealtimeConnection) => void): void {
    for (const connection of this.staff) work(connection);
    for (const set of this.candidates.values()) for (const connection of set) work(connection);
  }
}

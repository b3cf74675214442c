import { BeforeApplicationShutdown, HttpStatus, Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit, Optional } from '@nestjs/common';
import { Subscription } from 'rxjs';

import { CandidateActivity } from '../auth/candidate-activity';
import { ChatAccessGuard } from '../auth/chat-access.guard';
import { chatSide } from '../auth/chat-actor';
import { ChatError, ChatErrorCode, ChatErrors } from '../errors/chat-error';
import type { StreamChatEvent } from '../events/chat-events';
import type { StaffPresence } from '../handoff/staff-presence';
import { ChatEventBroker } from './chat-event-broker';
import { MessageReplay } from './message-replay';
import { DispatchContext, RealtimeConnection } from './realtime-connection';
import { SUPPORT_CHAT_REALTIME_CONFIG, type SupportChatRealtimeConfig } from './realtime.config';

/** Longest delay `setTimeout` honours; a credential expiring later is caught by the periodic re-check. */
const MAX_TIMER_MS = 2_147_483_647;
/** Users per directory call during the re-check (hosts' SQL `IN` lists have parameter limits). */
const RECHECK_BATCH = 500;

/** Conversations whose last dispatched `seq` the hub remembers (least recently active forgotten first). */
const MAX_TRACKED_CONVERSATIONS = 50_000;

/** Seconds a refused connection is told to wait (`Retry-After`): about one reconnection back-off step. */
const TOO_MANY_CONNECTIONS_RETRY_SECONDS = 30;

export type RealtimeTransportKind = 'sse' | 'socket';

export const roleChanged = () => new ChatError(ChatErrorCode.ForbiddenRole, 'Tu rol en el chat cambió. Vuelve a abrir el chat.', HttpStatus.FORBIDDEN);

/**
 * This instance's subscribers, indexed by audience so that an event costs O(its recipients): all staff
 * connections plus the conversation candidate's own. Sends the heartbeat, and after a broker outage
 * re-injects from the database the messages this instance's subscribers may have missed.
 *
 * Also keeps access current: every `accessRecheckSeconds` it loads the connected users again through
 * the directory (one batched call) and closes, with `access_revoked`, the connections of users who are
 * gone, inactive or outside the chat's roles; and it closes each connection when its credential expires.
 */
@Injectable()
export class RealtimeHub implements OnModuleInit, OnModuleDestroy, BeforeApplicationShutdown, StaffPresence {
  private readonly logger = new Logger('RealtimeHub');
  private readonly staff = new Set<RealtimeConnection>();
  private readonly candidates = new Map<string, Set<RealtimeConnection>>();
  /** Sockets without the event stream: kept for access checks, expiry and shutdown, never given events. */
  private readonly controlOnly = new Set<RealtimeConnection>();
  private readonly subscriptions: Subscription[] = [];
  private heartbeat: NodeJS.Timeout | null = null;
  private recheck: NodeJS.Timeout | null = null;
  private rechecking = false;
  private readonly expiryTimers = new Map<RealtimeConnection, NodeJS.Timeout>();
  /** Open connections per `<transport>:<user id>` on this instance. */
  private readonly openPerUser = new Map<string, number>();
  /** Highest message `seq` dispatched on this instance, per conversation: the baseline of connections that never saw it. */
  private readonly dispatched = new Map<string, number>();
  /** When this instance started receiving events: messages written before are history for all its connections. */
  private liveSince = new Date();

  constructor(
    private readonly broker: ChatEventBroker,
    private readonly replay: MessageReplay,
    private readonly access: ChatAccessGuard,
    @Inject(SUPPORT_CHAT_REALTIME_CONFIG) private readonly config: SupportChatRealtimeConfig,
    @Optional() private readonly activity?: CandidateActivity,
  ) {}

  onModuleInit(): void {
    this.liveSince = new Date();
    this.subscriptions.push(this.broker.events$.subscribe((event) => this.dispatch(event)));
    this.subscriptions.push(this.broker.recovered$.subscribe(() => void this.recover()));
    this.heartbeat = setInterval(() => {
      this.forEach((connection) => connection.heartbeat());
      // A candidate holding a stream has a tab open (issue 17: no away e-mail meanwhile).
      for (const candidateId of this.candidates.keys()) this.activity?.touch(candidateId);
    }, this.config.heartbeatMs);
    this.heartbeat.unref();
    this.recheck = setInterval(() => void this.recheckAccess(), this.config.accessRecheckSeconds * 1000);
    this.recheck.unref();
  }

  get size(): number {
    let size = this.staff.size + this.controlOnly.size;
    for (const set of this.candidates.values()) size += set.size;
    return size;
  }

  /** `events: false`: the connection receives no chat events (a socket for typing and presence only). */
  add(connection: RealtimeConnection, events = true): void {
    if (connection.actor.kind === 'candidate') this.activity?.touch(connection.actor.id);
    this.scheduleExpiry(connection);
    if (!events) {
      this.controlOnly.add(connection);
      return;
    }
    if (connection.actor.kind === 'staff') {
      this.staff.add(connection);
      return;
    }
    let set = this.candidates.get(connection.actor.id);
    if (!set) this.candidates.set(connection.actor.id, (set = new Set()));
    set.add(connection);
  }

  remove(connection: RealtimeConnection): void {
    const timer = this.expiryTimers.get(connection);
    if (timer) clearTimeout(timer);
    this.expiryTimers.delete(connection);
    if (this.controlOnly.delete(connection)) return;
    if (connection.actor.kind === 'staff') {
      this.staff.delete(connection);
      return;
    }
    const set = this.candidates.get(connection.actor.id);
    set?.delete(connection);
    if (set?.size === 0) this.candidates.delete(connection.actor.id);
  }

  /**
   * The given users with an open stream or socket on this instance (the staff picker's "en línea"). With
   * several instances behind a load balancer, a colleague connected to another instance shows as offline.
   */
  async onlineUserIds(userIds: readonly string[]): Promise<ReadonlySet<string>> {
    const wanted = new Set(userIds);
    const online = new Set<string>();
    for (const connection of [...this.staff, ...this.controlOnly]) {
      if (!connection.isClosed && wanted.has(connection.actor.id)) online.add(connection.actor.id);
    }
    return online;
  }

  dispatch(event: StreamChatEvent): void {
    const context = event.name === 'message.created' ? this.track(event.data.conversation_id, event.data.message.seq) : undefined;
    for (const connection of this.staff) connection.deliver(event, context);
    const own = this.candidates.get(event.candidate_user_id);
    if (own) for (const connection of own) connection.deliver(event, context);
  }

  /**
   * What this instance had dispatched of the conversation before this message. A connection that has no
   * position for the conversation takes it as its baseline: a message that overtook earlier ones (still
   * in flight from another instance) then reveals a hole to fill, instead of making them duplicates.
   */
  private track(conversationId: string, seq: number): DispatchContext {
    const previousSeq = this.dispatched.get(conversationId);
    this.dispatched.delete(conversationId); // re-inserted last: the map's order is least recently active first
    this.dispatched.set(conversationId, Math.max(seq, previousSeq ?? 0));
    if (this.dispatched.size > MAX_TRACKED_CONVERSATIONS) this.dispatched.delete(this.dispatched.keys().next().value!);
    return { previousSeq, liveSince: this.liveSince };
  }

  /**
   * Counts a new connection of the user against `maxStreamsPerUser` / `maxSocketsPerUser` (this instance):
   * over the limit the NEW connection is refused (429 `too_many_connections`), open ones are left alone,
   * so a user's working tabs are never closed by a runaway one. Returns the release function (idempotent).
   */
  admit(userId: string, transport: RealtimeTransportKind): () => void {
    const max = transport === 'sse' ? this.config.maxStreamsPerUser : this.config.maxSocketsPerUser;
    const key = `${transport}:${userId}`;
    const count = this.openPerUser.get(key) ?? 0;
    if (max > 0 && count >= max) {
      throw new ChatError(
        ChatErrorCode.TooManyConnections,
        'Tienes demasiadas conexiones abiertas al chat. Cierra otras pestañas o ventanas e inténtalo de nuevo.',
        HttpStatus.TOO_MANY_REQUESTS,
        undefined,
        { 'Retry-After': String(TOO_MANY_CONNECTIONS_RETRY_SECONDS) },
      );
    }
    this.openPerUser.set(key, count + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.openPerUser.get(key) ?? 1) - 1;
      if (left > 0) this.openPerUser.set(key, left);
      else this.openPerUser.delete(key);
    };
  }

  /** Sends `access_revoked` and closes the connection. */
  revoke(connection: RealtimeConnection, error: ChatError): void {
    connection.revoke(error);
    this.remove(connection);
  }

  /**
   * Loads every connected user again (batched) and closes the connections that lost access. A directory
   * that does not answer keeps the connections until the next round (logged): an outage of the host's user
   * store should not disconnect everyone, and REST requests are refused meanwhile anyway.
   */
  async recheckAccess(): Promise<void> {
    if (this.rechecking) return;
    this.rechecking = true;
    try {
      const now = Date.now();
      const byUser = new Map<string, RealtimeConnection[]>();
      this.forEach((connection) => {
        if (connection.expiresAt !== null && connection.expiresAt <= now) return this.revoke(connection, ChatErrors.sessionExpired());
        const list = byUser.get(connection.actor.id);
        if (list) list.push(connection);
        else byUser.set(connection.actor.id, [connection]);
      });
      const ids = [...byUser.keys()];
      for (let start = 0; start < ids.length; start += RECHECK_BATCH) {
        const verdicts = await this.access.resolveActors(ids.slice(start, start + RECHECK_BATCH));
        for (const [userId, verdict] of verdicts) {
          for (const connection of byUser.get(userId) ?? []) {
            if (verdict instanceof ChatError) this.revoke(connection, verdict);
            else if (chatSide(verdict) !== chatSide(connection.actor)) this.revoke(connection, roleChanged());
          }
        }
      }
    } catch (error) {
      this.logger.warn(`Access re-check of realtime connections failed; they are kept until the next one: ${(error as Error).message}`);
    } finally {
      this.rechecking = false;
    }
  }

  /** After a broker interruption: replay what was committed meanwhile, then hint clients to refresh the rest. */
  async recover(): Promise<void> {
    const positions = new Map<string, number>();
    this.forEachStream((connection) => {
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
    this.forEachStream((connection) => connection.control('resync', { conversation_id: null, reason: 'broker_recovered' }));
  }

  beforeApplicationShutdown(): void {
    this.forEach((connection) => connection.close());
    this.staff.clear();
    this.candidates.clear();
    this.controlOnly.clear();
  }

  onModuleDestroy(): void {
    if (this.heartbeat) clearInterval(this.heartbeat);
    if (this.recheck) clearInterval(this.recheck);
    for (const timer of this.expiryTimers.values()) clearTimeout(timer);
    this.expiryTimers.clear();
    for (const subscription of this.subscriptions) subscription.unsubscribe();
    this.beforeApplicationShutdown();
  }

  /** Closes the connection the moment its credential expires. */
  private scheduleExpiry(connection: RealtimeConnection): void {
    if (connection.expiresAt === null) return;
    const delay = connection.expiresAt - Date.now();
    if (delay > MAX_TIMER_MS) return;
    const timer = setTimeout(() => this.revoke(connection, ChatErrors.sessionExpired()), Math.max(0, delay));
    timer.unref();
    this.expiryTimers.set(connection, timer);
  }

  private forEach(work: (connection: RealtimeConnection) => void): void {
    for (const connection of this.controlOnly) work(connection);
    this.forEachStream(work);
  }

  private forEachStream(work: (connection: RealtimeConnection) => void): void {
    for (const connection of this.staff) work(connection);
    for (const set of this.candidates.values()) for (const connection of set) work(connection);
  }
}

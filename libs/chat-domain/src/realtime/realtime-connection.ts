import { Logger } from '@nestjs/common';

import type { ChatActor } from '../auth/chat-actor';
import type { StreamChatEvent } from '../events/chat-events';
import { ChatAudience } from './chat-audience';
import type { MessageReplay } from './message-replay';
import type { ChatError } from '../errors/chat-error';
import { AccessRevokedCode, formatRealtimeEventId, RealtimeControlEventMap, RealtimeCursor, RealtimeEventName, ResyncReason } from './realtime-contract';

/** How a connection reaches its client: an SSE response or a Socket.IO socket. */
export interface RealtimeTransport {
  send(name: RealtimeEventName, data: object, id: string): void;
  heartbeat(): void;
  close(): void;
}

export interface RealtimeConnectionOptions {
  heartbeatMs: number;
  retryMs: number;
}

/** What the instance knew of a message's conversation when it dispatched the message (see `RealtimeHub`). */
export interface DispatchContext {
  /** Highest `seq` of the conversation dispatched on this instance before this message; undefined if none. */
  previousSeq: number | undefined;
  /** Since when the instance receives events. */
  liveSince: Date;
}

/** Clock difference tolerated between instances when comparing a message's `created_at` with `liveSince`. */
const CLOCK_SKEW_MS = 5_000;

type Gap = { conversation_id: string; after_seq: number; before_seq: number; written_since?: Date };

const logger = new Logger('RealtimeConnection');

/**
 * One subscriber (an SSE stream or a WebSocket), whatever the transport. Guarantees, per conversation:
 * every message exactly once and in `seq` order, from the resume position on. Replay from the database
 * first, live events buffered meanwhile; duplicates (replay/live overlap, at-least-once brokers) are
 * dropped; a hole in the live stream (a broker that lost an event, or publications racing) is filled
 * from the database before the event that revealed it.
 */
export class RealtimeConnection {
  readonly cursor: RealtimeCursor;
  private readonly queue: { event: StreamChatEvent; context: DispatchContext | undefined }[] = [];
  /** True while replaying or filling a hole: live events wait in `queue`. */
  private busy = true;
  private closed = false;

  constructor(
    readonly actor: ChatActor,
    private readonly transport: RealtimeTransport,
    private readonly replay: MessageReplay,
    since: Record<string, number>,
    /** When the credential the connection was opened with expires (ms since the epoch), or null. */
    readonly expiresAt: number | null = null,
  ) {
    this.cursor = new RealtimeCursor(since);
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Replays what the client missed, announces `ready`, then goes live. */
  async start(options: RealtimeConnectionOptions): Promise<void> {
    const since = new Map(Object.entries(this.cursor.since()));
    let replayed = 0;
    try {
      const { events, tooMany } = await this.replay.missed(since, this.actor);
      for (const { conversation_id, last_seq } of tooMany) {
        this.control('resync', { conversation_id, reason: 'too_many_missed' });
        this.cursor.advance(conversation_id, last_seq);
      }
      for (const event of events) if (this.accept(event)) replayed++;
    } catch (error) {
      logger.warn(`Replay failed for ${this.actor.id}: ${(error as Error).message}`);
      this.control('resync', { conversation_id: null, reason: 'replay_failed' });
    }
    this.control('ready', { conversation_id: null, replayed, resync: since.size > 0, heartbeat_ms: options.heartbeatMs, retry_ms: options.retryMs });
    this.busy = false;
    this.drain();
  }

  /** Called by the hub for every event of the instance; checks the audience rule itself. */
  deliver(event: StreamChatEvent, context?: DispatchContext): void {
    if (this.closed || !ChatAudience.canReceive(this.actor, event)) return;
    this.queue.push({ event, context });
    if (!this.busy) this.drain();
  }

  control<K extends keyof RealtimeControlEventMap>(name: K, data: RealtimeControlEventMap[K]): void {
    if (this.closed) return;
    this.transport.send(name, data, formatRealtimeEventId(data.conversation_id, data.conversation_id ? (this.cursor.position(data.conversation_id) ?? 0) : 0));
  }

  heartbeat(): void {
    if (!this.closed) this.transport.heartbeat();
  }

  /** Access was lost: tell the client why (`access_revoked`, the REST error code), then close. */
  revoke(error: ChatError): void {
    if (this.closed) return;
    this.control('access_revoked', { conversation_id: null, code: error.code as AccessRevokedCode, error: error.message });
    logger.log(`Closed a realtime connection of ${this.actor.id}: ${error.code}`);
    this.close();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.queue.length = 0;
    this.transport.close();
  }

  /** Marks the connection closed when the client went away (the transport is already gone). */
  markClosed(): void {
    this.closed = true;
    this.queue.length = 0;
  }

  private drain(): void {
    while (!this.busy && !this.closed && this.queue.length > 0) {
      const entry = this.queue.shift()!;
      const event = entry.event;
      if (event.name === 'message.created') {
        const gap = this.holeBefore(event.data.conversation_id, event.data.message.seq, entry.context);
        if (gap === 'duplicate') continue;
        if (gap) {
          this.queue.unshift(entry);
          this.busy = true;
          void this.fill(gap, event.candidate_user_id).finally(() => {
            this.busy = false;
            this.drain();
          });
          return;
        }
      }
      this.accept(event);
    }
  }

  /**
   * The messages to fetch before this one, if any. A conversation this connection has no position for
   * starts where the instance was before the message: what the instance dispatched earlier is history,
   * anything between is still in flight (it overtook them) and comes from the database now. A conversation
   * the instance has not seen since it went live: the messages written since then.
   */
  private holeBefore(conversationId: string, seq: number, context: DispatchContext | undefined): Gap | 'duplicate' | null {
    const verdict = this.cursor.check(conversationId, seq);
    if (verdict === 'duplicate') return verdict;
    if (verdict !== 'deliver') return verdict.gap;
    if (seq <= 1 || !context || this.cursor.position(conversationId) !== undefined) return null;
    if (context.previousSeq === undefined) {
      return { conversation_id: conversationId, after_seq: 0, before_seq: seq, written_since: new Date(context.liveSince.getTime() - CLOCK_SKEW_MS) };
    }
    return seq > context.previousSeq + 1 ? { conversation_id: conversationId, after_seq: context.previousSeq, before_seq: seq } : null;
  }

  private async fill(gap: Gap, candidateUserId: string): Promise<void> {
    let filled = false;
    try {
      const missing = await this.replay.between(gap.conversation_id, candidateUserId, gap.after_seq, gap.before_seq, gap.written_since);
      for (const event of missing) this.accept(event);
      filled = true;
    } catch (error) {
      logger.warn(`Could not fill a hole in ${gap.conversation_id}: ${(error as Error).message}`);
    }
    if (filled && gap.written_since) {
      // Older messages were written before the instance went live: history, not part of this stream.
      this.cursor.advance(gap.conversation_id, gap.before_seq - 1);
    } else if ((this.cursor.position(gap.conversation_id) ?? 0) < gap.before_seq - 1) {
      // Still missing (database unreachable): tell the client, and do not wait for it forever.
      this.control('resync', { conversation_id: gap.conversation_id, reason: 'replay_failed' });
      this.cursor.advance(gap.conversation_id, gap.before_seq - 1);
    }
  }

  /** Sends one event; returns false for a duplicate message. */
  private accept(event: StreamChatEvent): boolean {
    if (this.closed) return false;
    const conversationId = event.data.conversation_id;
    if (event.name === 'message.created') {
      const seq = event.data.message.seq;
      if (this.cursor.check(conversationId, seq) === 'duplicate') return false;
      this.cursor.advance(conversationId, seq);
    } else if (event.name === 'conversation.created') {
      // Created while connected: all its messages are news, so one that overtakes an earlier one (that one
      // still in flight from another instance) reveals a hole to fill, instead of becoming the baseline.
      this.cursor.advance(conversationId, 0);
    }
    const data = ChatAudience.dataFor(this.actor, event);
    if (data === null) return false;
    this.transport.send(event.name, data, formatRealtimeEventId(conversationId, this.cursor.position(conversationId) ?? 0));
    return true;
  }
}

export type { ResyncReason };

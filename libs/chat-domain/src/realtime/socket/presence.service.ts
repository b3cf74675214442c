import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { Subject } from 'rxjs';

import type { ChatActor } from '../../auth/chat-actor';
import type { ChatEvent } from '../../events/chat-events';
import { LastSeenStore } from '../last-seen.store';
import type { PresenceEntry } from '../realtime-contract';

/** What other instances can read about a socket (`fetchSockets()` through the Redis adapter): plain data only. */
export interface SocketPresence {
  user_id: string;
  full_name: string;
  kind: ChatActor['kind'];
  /** Supervisors watch without being present: never announced, never listed. */
  supervisor?: boolean;
}

/**
 * Presence = connected to a conversation over Socket.IO. Announces arrivals and departures, answers
 * "who is here" for a conversation, and keeps last-seen times (they change only when a realtime
 * connection opens or closes).
 */
@Injectable()
export class PresenceService implements OnModuleDestroy {
  private readonly changes = new Subject<Extract<ChatEvent, { name: 'presence' }>>();
  /** Arrivals and departures; the gateway sends them to the sockets viewing the conversation. */
  readonly changes$ = this.changes.asObservable();

  constructor(private readonly lastSeen: LastSeenStore) {}

  onModuleDestroy(): void {
    this.changes.complete();
  }

  /** A realtime connection of the user opened or closed. */
  touch(userId: string): void {
    this.lastSeen.touch(userId);
  }

  joined(actor: ChatActor, conversationId: string, candidateUserId: string): void {
    if (actor.supervisor) return;
    this.publish(actor, conversationId, candidateUserId, true);
  }

  /** Offline in a conversation once none of the user's sockets (on any instance) is left in it. */
  left(actor: ChatActor, conversationId: string, candidateUserId: string, remaining: SocketPresence[]): void {
    if (actor.supervisor) return;
    if (!remaining.some((socket) => socket.user_id === actor.id)) this.publish(actor, conversationId, candidateUserId, false);
  }

  /**
   * The conversation's candidate, its assigned agent and anyone connected to it, as `viewer` may see
   * them: candidates see staff names and whether they are online, never when staff were last seen.
   */
  async list(
    viewer: Pick<ChatActor, 'kind'>,
    conversation: { candidateUserId: string; assignedSupportUserId: string | null },
    connected: SocketPresence[],
  ): Promise<PresenceEntry[]> {
    const online = new Map(connected.filter((socket) => !socket.supervisor).map((socket) => [socket.user_id, socket]));
    const people = new Map<string, { full_name: string; role: PresenceEntry['role'] }>();
    people.set(conversation.candidateUserId, { full_name: online.get(conversation.candidateUserId)?.full_name ?? '', role: 'candidate' });
    if (conversation.assignedSupportUserId)
      people.set(conversation.assignedSupportUserId, { full_name: online.get(conversation.assignedSupportUserId)?.full_name ?? '', role: 'staff' });
    for (const socket of online.values()) if (!people.has(socket.user_id)) people.set(socket.user_id, { full_name: socket.full_name, role: socket.kind });
    const lastSeen = await this.lastSeen.get([...people.keys()]);
    return [...people].map(([userId, person]) => ({
      user_id: userId,
      full_name: person.full_name,
      role: person.role,
      online: online.has(userId),
      last_seen_at: viewer.kind === 'staff' || person.role !== 'staff' ? (lastSeen.get(userId) ?? null) : null,
    }));
  }

  private publish(actor: ChatActor, conversationId: string, candidateUserId: string, online: boolean): void {
    this.changes.next({
      name: 'presence',
      candidate_user_id: candidateUserId,
      data: { conversation_id: conversationId, user_id: actor.id, online, last_seen_at: online ? null : new Date().toISOString() },
    });
  }
}

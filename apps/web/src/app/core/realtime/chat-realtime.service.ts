import { DestroyRef, inject, Injectable, InjectionToken, signal } from '@angular/core';
import { filter, map, Observable, Subject, Subscription } from 'rxjs';

import { Api } from '@app/api/api';
import { supportChatRealtimeControllerIssueTicket } from '@app/api/functions';
import { UnreadCountService } from '@app/core/unread/unread-count.service';
import { AuthService } from '@app/core/auth/auth.service';
import { PollCadence } from '@app/shared/polling/poll-cadence';
import { RealtimeAccessRevocation } from './realtime-access';
import { ChatEvent, REALTIME_EVENT_NAMES, RealtimeCursor, RealtimeEvent, RealtimeEventMap } from './realtime-events';

/** What the service needs of an `EventSource` (a fake one in unit tests). */
export interface EventSourceLike {
  addEventListener(type: string, listener: (event: MessageEvent) => void): void;
  close(): void;
}

export const EVENT_SOURCE_FACTORY = new InjectionToken<(url: string) => EventSourceLike>('EVENT_SOURCE_FACTORY', {
  providedIn: 'root',
  factory: () => (url: string) => new EventSource(url),
});

/** Back-off of the reconnection: first delay, cap, and how many failures before "down" is shown. */
export const REALTIME_BACKOFF = { initialMs: 1_000, maxMs: 30_000 };

export const EVENTS_PATH = '/api/support/chat/events';

export type RealtimeStatus = 'off' | 'connecting' | 'live' | 'down';

/**
 * The chat's realtime event stream (SSE, `GET /api/support/chat/events`): ONE EventSource per browser
 * tab, opened by the shells with `connect()`, carrying every event the user may see. Several tabs of
 * the same user each keep their own stream (an idle SSE connection costs the server a few KB; the
 * browser allows 6 connections per host, and a tab uses one).
 *
 * - Tickets are single-use, so the browser's own reconnection cannot work: on `error` the stream is
 *   closed and reopened with a fresh ticket after a back-off with jitter (1 s, 2 s, 4 s ... 30 s).
 * - The ticket carries `since` = the highest `seq` held per conversation shown (`track()`), so the
 *   server replays exactly what was missed. `ready {resync: true}` and `resync` emit `resync$`: the
 *   pages refetch their list, the unread badge is refreshed here.
 * - `access_revoked` (token expired, user deactivated, role changed): the stream is closed and the
 *   user re-authenticated (`RealtimeAccessRevocation`) instead of reconnecting.
 * - Polling never stops: while the stream is live it slows to a safety interval (`PollCadence`),
 *   while disconnected it runs at `pollIntervalMs`.
 */
@Injectable({ providedIn: 'root' })
export class ChatRealtimeService {
  private readonly api = inject(Api);
  private readonly createEventSource = inject(EVENT_SOURCE_FACTORY);
  private readonly cadence = inject(PollCadence);
  private readonly unreadCount = inject(UnreadCountService);
  private readonly auth = inject(AuthService);
  private readonly revocation = inject(RealtimeAccessRevocation);

  private readonly cursor = new RealtimeCursor();
  private readonly eventsSubject = new Subject<RealtimeEvent>();
  private readonly resyncSubject = new Subject<string | null>();
  private readonly statusState = signal<RealtimeStatus>('off');

  private users = 0;
  private source: EventSourceLike | null = null;
  private ticketRequest: Subscription | null = null;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private failures = 0;
  /** Bumped by every (re)connection: callbacks of an older one are ignored. */
  private attempt = 0;

  /** `live` once the server sent `ready`; `down` while waiting to reconnect. */
  readonly status = this.statusState.asReadonly();
  /** Every event received (`ready` and `resync` included). */
  readonly events$: Observable<RealtimeEvent> = this.eventsSubject.asObservable();
  /** The chat events only. */
  readonly chatEvents$: Observable<ChatEvent> = this.events$.pipe(
    filter((event): event is ChatEvent => event.name !== 'ready' && event.name !== 'resync' && event.name !== 'access_revoked'),
  );
  /** Something may have been missed: refetch lists (`null`) or that conversation. */
  readonly resync$: Observable<string | null> = this.resyncSubject.asObservable();

  /** Events named `name`, typed. */
  on<K extends keyof RealtimeEventMap>(name: K): Observable<RealtimeEventMap[K]> {
    return this.events$.pipe(
      filter((event) => event.name === name),
      map((event) => event.data as RealtimeEventMap[K]),
    );
  }

  /** Opens the stream (if not yet open) until `destroyRef` is destroyed; reference counted. */
  connect(destroyRef: DestroyRef): void {
    this.users++;
    destroyRef.onDestroy(() => {
      this.users--;
      if (this.users === 0) this.stop();
    });
    if (this.users === 1) this.open();
  }

  /** This tab holds the messages of `conversationId` up to `seq` (history, list previews, events). */
  track(conversationId: string, seq: number): void {
    this.cursor.advance(conversationId, seq);
  }

  /** The `since` sent with the next ticket request. */
  since(): Record<string, number> {
    return this.cursor.since();
  }

  private open(): void {
    const attempt = ++this.attempt;
    this.statusState.set('connecting');
    this.ticketRequest = this.api.invoke(supportChatRealtimeControllerIssueTicket, { body: { since: this.cursor.since() } }).subscribe({
      next: ({ ticket }) => {
        if (attempt !== this.attempt) return;
        this.listen(attempt, ticket);
      },
      error: () => {
        if (attempt === this.attempt) this.fail();
      },
    });
  }

  private listen(attempt: number, ticket: string): void {
    const source = this.createEventSource(`${this.api.rootUrl}${EVENTS_PATH}?ticket=${encodeURIComponent(ticket)}`);
    this.source = source;
    for (const name of REALTIME_EVENT_NAMES) {
      source.addEventListener(name, (event: MessageEvent) => {
        if (attempt !== this.attempt) return;
        let data: unknown;
        try {
          data = JSON.parse(String(event.data));
        } catch {
          return;
        }
        this.dispatch({ name, data } as RealtimeEvent);
      });
    }
    source.addEventListener('error', () => {
      if (attempt === this.attempt) this.fail();
    });
  }

  private dispatch(event: RealtimeEvent): void {
    const me = this.auth.user()?.id;
    switch (event.name) {
      case 'ready':
        this.failures = 0;
        this.statusState.set('live');
        this.cadence.setStreamHealthy(true);
        if (event.data.resync) this.resync(null);
        break;
      case 'resync':
        this.resync(event.data.conversation_id);
        break;
      case 'access_revoked':
        this.revoked();
        break;
      case 'message.created':
        this.cursor.advance(event.data.conversation_id, event.data.message.seq);
        if (event.data.message.sender_user_id !== me) this.unreadCount.refresh();
        break;
      case 'read.updated':
        if (event.data.user_id === me) this.unreadCount.refresh();
        break;
      default:
        // Conversation, typing and presence events need no bookkeeping here; pages consume them.
        break;
    }
    this.eventsSubject.next(event);
  }

  private resync(conversationId: string | null): void {
    this.unreadCount.refresh();
    this.resyncSubject.next(conversationId);
  }

  /**
   * The server is closing the stream because access was lost: do not reconnect with the same session;
   * re-authenticate (login page, "Sin acceso", or the same area again: then reconnect at once).
   */
  private revoked(): void {
    const attempt = ++this.attempt;
    this.closeSource();
    this.cadence.setStreamHealthy(false);
    this.statusState.set('down');
    this.revocation.handle(() => {
      if (attempt === this.attempt && this.users > 0) this.open();
    });
  }

  /** The stream broke (or no ticket): fall back to polling and try again after a back-off. */
  private fail(): void {
    this.closeSource();
    this.cadence.setStreamHealthy(false);
    this.statusState.set('down');
    const base = Math.min(REALTIME_BACKOFF.maxMs, REALTIME_BACKOFF.initialMs * 2 ** this.failures);
    this.failures++;
    const delay = Math.round(base / 2 + (Math.random() * base) / 2);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      if (this.users > 0) this.open();
    }, delay);
  }

  private stop(): void {
    this.attempt++;
    this.closeSource();
    if (this.retryTimer !== null) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.failures = 0;
    this.cursor.clear();
    this.cadence.setStreamHealthy(false);
    this.statusState.set('off');
  }

  private closeSource(): void {
    this.ticketRequest?.unsubscribe();
    this.ticketRequest = null;
    this.source?.close();
    this.source = null;
  }
}

import { HttpErrorResponse } from '@angular/common/http';
import { computed, DestroyRef, DOCUMENT, inject, Injectable, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { catchError, concat, defer, EMPTY, exhaustMap, expand, forkJoin, merge, mergeMap, Observable, of, Subject, switchMap, tap } from 'rxjs';

import type { ConversationDto, MessageDto } from '@app/api/models';
import { apiErrorMessage } from '@app/core/http/api-error';
import { ConnectivityService } from '@app/core/network/connectivity.service';
import { UnreadCountService } from '@app/core/unread/unread-count.service';
import { PollCadence } from '@app/shared/polling/poll-cadence';
import { ChatApiService } from './chat-api.service';
import { ConversationStatus } from './chat-labels';
import { contiguousSeq, mergeMessages } from './message-timeline-order';
import { OutboxStore } from './outbox.store';
import type { OpenedUnread } from './timeline-rows';

/** Messages per history request (first page and each older page). */
export const HISTORY_PAGE_SIZE = 30;
/** Messages per catch-up request when polling after the last known `seq`. */
const CATCH_UP_PAGE_SIZE = 100;

/** What a `read.updated` event (or our own read request) says about a participant's marker. */
export interface ReadMarker {
  readonly conversation_id: string;
  readonly user_id: string;
  readonly last_read_seq: number;
}

interface OpenState {
  readonly conversationId: string | null;
  /**
   * Highest `seq` up to which the server's history pages have answered: a candidate's history skips
   * staff-only internal notes, so the holes below it are entries they never see, not missing messages.
   */
  readonly coveredThrough: number;
  readonly conversation: ConversationDto | null;
  readonly messages: readonly MessageDto[];
  readonly hasOlder: boolean;
  /** Opened at a message (a search result): newer messages than the window exist and are being caught up. */
  readonly hasNewer: boolean;
  /** The message the conversation was opened at (`?mensaje=`), or null for its newest page. */
  readonly focusSeq: number | null;
  readonly loading: boolean;
  readonly loadingOlder: boolean;
  readonly error: string | null;
  /** The caller's unread count when the conversation was opened, and its last `seq` then. */
  readonly openedUnread: OpenedUnread | null;
}

const CLOSED_STATE: OpenState = {
  conversationId: null,
  coveredThrough: 0,
  conversation: null,
  messages: [],
  hasOlder: false,
  hasNewer: false,
  focusSeq: null,
  loading: false,
  loadingOlder: false,
  error: null,
  openedUnread: null,
};

/**
 * The open conversation: its metadata, its timeline ordered by `seq`, and the actions on it (messages
 * being sent live in `OutboxStore`; what it sends arrives here through `applyMessage()`). Provided by each chat page.
 *
 * Every way a message can arrive goes through `applyMessage()` (history pages, polling, send responses,
 * and later the realtime stream's `message.created`), which dedupes by id and orders by `seq`, so the
 * sources can overlap freely. `applyConversation()` and `applyReadMarker()` are the entry points for
 * `conversation.updated` and `read.updated`.
 *
 * Responses are tied to the conversation they were requested for: every request runs inside the
 * `switchMap` of `open()`, so switching to another conversation cancels the previous one's requests.
 */
@Injectable()
export class ConversationStore {
  private readonly api = inject(ChatApiService);
  private readonly unreadCount = inject(UnreadCountService);
  private readonly cadence = inject(PollCadence);
  private readonly document = inject(DOCUMENT);
  private readonly destroyRef = inject(DestroyRef);
  private readonly connectivity = inject(ConnectivityService);

  private readonly state = signal<OpenState>(CLOSED_STATE);
  private readonly outbox = inject(OutboxStore);
  private readonly actionBusy = signal(false);
  private readonly actionErrorState = signal<string | null>(null);
  private readonly readMarkers = signal<readonly ReadMarker[]>([]);

  /** `open()` calls: each switches to a new stream for that conversation, cancelling the previous one's requests. */
  private readonly opens$ = new Subject<string | null>();
  private readonly olderRequests$ = new Subject<void>();
  private readonly pollRequests$ = new Subject<void>();
  private readonly readRequests$ = new Subject<void>();
  private readonly actions$ = new Subject<{ readonly request: Observable<ConversationDto>; readonly fallback: string }>();
  /** The caller's read marker as last confirmed for the open conversation. */
  private readMarkedSeq = 0;

  readonly conversationId = computed(() => this.state().conversationId);
  readonly conversation = computed(() => this.state().conversation);
  readonly messages = computed(() => this.state().messages);
  readonly hasOlder = computed(() => this.state().hasOlder);
  /** The message the timeline was opened at (a search result), to scroll to and highlight. */
  readonly focusSeq = computed(() => this.state().focusSeq);
  readonly loading = computed(() => this.state().loading);
  readonly loadingOlder = computed(() => this.state().loadingOlder);
  readonly error = computed(() => this.state().error);
  /** Where the "Mensajes nuevos" separator goes (fixed when the conversation was opened). */
  readonly openedUnread = computed(() => this.state().openedUnread);
  readonly busy = this.actionBusy.asReadonly();
  readonly actionError = this.actionErrorState.asReadonly();
  /** Highest `seq` without a hole below it: the `after_seq` cursor. */
  readonly lastSeq = computed(() => Math.max(contiguousSeq(this.state().messages), this.state().coveredThrough));
  readonly isClosed = computed(() => this.state().conversation?.status === 'closed');
  /** Read markers of the other participants (for "Visto"), newest per user. */
  readonly otherReadMarkers = this.readMarkers.asReadonly();

  /** Messages that arrived after the timeline was loaded (polling, events, own sends): announce and scroll. */
  readonly arrivals$ = new Subject<readonly MessageDto[]>();
  /**
   * The open conversation's metadata each time the store applies a server answer or an event that
   * changed it (loaded, polled, an action's answer, `conversation.updated`, a newer message): the list
   * follows it from here, instead of an effect copying one store's signal into the other.
   */
  readonly conversationChanged$ = new Subject<ConversationDto>();
  /** Emitted after the caller's read marker moved, with the conversation's remaining unread count. */
  readonly readMarked$ = new Subject<{ conversationId: string; unreadCount: number }>();

  constructor() {
    // switchMap: whatever was requested for the previous conversation (its first page, an older page,
    // a poll, a read marker, an action) is cancelled when another one opens, so its answers never land.
    // Within one conversation, exhaustMap keeps one request of each kind in flight and drops the rest.
    this.opens$
      .pipe(
        switchMap((id) =>
          id === null
            ? EMPTY
            : merge(
                this.actions$.pipe(mergeMap((action) => this.runActionRequest(action))),
                concat(
                  this.load(id),
                  merge(
                    // Opened at a message: the messages after the window follow at once (older ones load on scrolling up).
                    defer(() => (this.state().hasNewer ? this.catchUp(id).pipe(catchError(() => EMPTY)) : EMPTY)),
                    this.olderRequests$.pipe(exhaustMap(() => this.fetchOlder(id))),
                    this.pollRequests$.pipe(exhaustMap(() => this.pollOnce(id))),
                    this.readRequests$.pipe(exhaustMap(() => this.markReadRequests(id))),
                  ),
                ),
              ),
        ),
        takeUntilDestroyed(this.destroyRef),
      )
      .subscribe();
    // Back online: catch up on what others wrote (the outbox resends what failed on its own).
    this.connectivity.reconnected$.pipe(takeUntilDestroyed(this.destroyRef)).subscribe(() => this.pollNow());
    this.outbox.outcomes$.pipe(takeUntilDestroyed(this.destroyRef)).subscribe((outcome) => {
      // Sending can change the conversation (the first staff reply assigns it, a candidate's reply
      // reopens a resolved one with a system message), and a refusal as closed means it changed: refresh.
      if (outcome.type === 'sent' ? this.applyMessage(outcome.message) : outcome.conversationId === this.state().conversationId) this.pollNow();
    });
  }

  /**
   * Shows `conversationId` (or nothing), at its newest page or, with `focusSeq`, at the window around
   * that message (older pages load on scrolling up, newer ones are caught up). Re-opening the current
   * one at the same place does nothing.
   */
  open(conversationId: string | null, focusSeq: number | null = null): void {
    const current = this.state();
    if (conversationId === current.conversationId && (focusSeq === null || focusSeq === current.focusSeq)) return;
    this.readMarkedSeq = 0;
    this.actionBusy.set(false);
    this.actionErrorState.set(null);
    this.readMarkers.set([]);
    this.state.set({ ...CLOSED_STATE, conversationId, focusSeq: conversationId === null ? null : focusSeq, loading: conversationId !== null });
    this.opens$.next(conversationId);
  }

  /** The conversation, its latest page and the read state, together. */
  private load(conversationId: string): Observable<unknown> {
    const focusSeq = this.state().focusSeq;
    return forkJoin({
      conversation: this.api.getConversation(conversationId),
      page: this.api.history(
        conversationId,
        focusSeq === null ? { page: 1, per_page: HISTORY_PAGE_SIZE } : { around_seq: focusSeq, per_page: HISTORY_PAGE_SIZE },
      ),
      // Who has read what (for «Visto») and the caller's unread count ("Mensajes nuevos"): loaded with
      // the rest, so it is known before the conversation is marked read. Optional: a failure only
      // leaves the receipts to the next `read.updated`.
      readState: this.api.readMarkers(conversationId).pipe(catchError(() => of(null))),
    }).pipe(
      tap({
        next: ({ conversation, page, readState }) => {
          for (const marker of readState?.markers ?? []) {
            this.applyReadMarker({ conversation_id: conversationId, user_id: marker.user_id, last_read_seq: marker.last_read_seq });
          }
          const lastLoaded = page.messages.reduce((max, message) => Math.max(max, message.seq), 0);
          this.state.update((state) => ({
            ...state,
            conversation,
            messages: mergeMessages(state.messages, page.messages),
            coveredThrough: Math.max(state.coveredThrough, page.total),
            hasOlder: page.has_older,
            hasNewer: page.has_newer,
            loading: false,
            openedUnread: readState ? { count: readState.unread_count, seq: Math.max(lastLoaded, conversation.last_message_seq) } : null,
          }));
          this.conversationChanged$.next(conversation);
        },
        error: (error: unknown) => this.state.update((state) => ({ ...state, loading: false, error: loadErrorMessage(error) })),
      }),
      catchError(() => EMPTY),
    );
  }

  /** Loads the page before the oldest message shown (ignored while one is loading or none is left). */
  loadOlder(): void {
    this.olderRequests$.next();
  }

  private fetchOlder(conversationId: string): Observable<unknown> {
    const { messages, hasOlder } = this.state();
    if (!hasOlder || messages.length === 0) return EMPTY;
    this.state.update((state) => ({ ...state, loadingOlder: true }));
    return this.api.history(conversationId, { before_seq: messages[0].seq, per_page: HISTORY_PAGE_SIZE }).pipe(
      tap({
        next: (page) =>
          this.state.update((state) => ({ ...state, messages: mergeMessages(state.messages, page.messages), hasOlder: page.has_older, loadingOlder: false })),
        error: () => this.state.update((state) => ({ ...state, loadingOlder: false })),
      }),
      catchError(() => EMPTY),
    );
  }

  /**
   * Polls the open conversation every `pollIntervalMs` while the tab is visible, plus whenever
   * `pollNow()` asks. Never two polls in flight: ticks that come while one runs are dropped.
   */
  startPolling(): void {
    this.cadence
      .ticks(this.document)
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe(() => this.pollNow());
  }

  /** Polls as soon as no other poll is in flight (ignored until the conversation has loaded). */
  pollNow(): void {
    this.pollRequests$.next();
  }

  /**
   * One poll: the conversation (status, assignment, last `seq`), then, only if it has messages we do
   * not, the history after our last `seq` until `has_newer` is false.
   */
  private pollOnce(conversationId: string): Observable<unknown> {
    return this.api.getConversation(conversationId).pipe(
      switchMap((conversation) => {
        this.applyConversation(conversation);
        if (conversation.last_message_seq <= this.lastSeq()) return EMPTY;
        return this.catchUp(conversationId);
      }),
      catchError(() => EMPTY),
    );
  }

  private catchUp(conversationId: string): Observable<unknown> {
    const fetchAfter = () => this.api.history(conversationId, { after_seq: this.lastSeq(), per_page: CATCH_UP_PAGE_SIZE });
    return fetchAfter().pipe(
      expand((page) => (page.has_newer && page.messages.length > 0 ? fetchAfter() : EMPTY)),
      tap((page) => {
        const through = page.has_newer ? page.messages.reduce((max, message) => Math.max(max, message.seq), 0) : page.total;
        this.state.update((state) => ({ ...state, coveredThrough: Math.max(state.coveredThrough, through) }));
        this.applyMessages(page.messages);
        if (!page.has_newer && this.state().hasNewer) this.state.update((state) => ({ ...state, hasNewer: false }));
      }),
    );
  }

  /** One message from any source. Returns false when it belongs to another conversation. */
  applyMessage(message: MessageDto): boolean {
    if (message.conversation_id !== this.state().conversationId) return false;
    this.applyMessages([message]);
    return true;
  }

  private applyMessages(incoming: readonly MessageDto[]): void {
    const current = this.state();
    const relevant = incoming.filter((message) => message.conversation_id === current.conversationId);
    if (relevant.length === 0) return;
    const before = current.messages;
    const knownMax = before.length > 0 ? before[before.length - 1].seq : 0;
    const merged = mergeMessages(before, relevant);
    this.outbox.confirm(new Set(relevant.map((message) => message.client_message_id)));
    if (merged === before) return;
    const conversation = withNewestMessage(current.conversation, merged);
    this.state.update((state) => ({ ...state, messages: merged, conversation }));
    if (conversation && conversation !== current.conversation) this.conversationChanged$.next(conversation);
    const arrived = relevant.filter((message) => message.seq > knownMax && !before.some((known) => known.id === message.id));
    // Filling in the history after a window opened at a search result is not news: no announcement, no scroll.
    if (arrived.length > 0 && !current.loading && !current.hasNewer) this.arrivals$.next(arrived.sort((a, b) => a.seq - b.seq));
    // A message ahead of a hole (possible with pushed events): fetch what is missing.
    if (merged.length > 0 && merged[merged.length - 1].seq > Math.max(contiguousSeq(merged), this.state().coveredThrough)) this.pollNow();
  }

  /** New metadata for a conversation (`conversation.updated`, a poll, an action's response). */
  applyConversation(incoming: ConversationDto): boolean {
    if (incoming.id !== this.state().conversationId) return false;
    const conversation = keepStaffOnlyFields(this.state().conversation, incoming);
    this.state.update((state) => ({ ...state, conversation }));
    this.conversationChanged$.next(conversation);
    return true;
  }

  /** Another participant's read marker moved (`read.updated`). */
  applyReadMarker(marker: ReadMarker): void {
    if (marker.conversation_id !== this.state().conversationId) return;
    this.readMarkers.update((markers) => {
      const existing = markers.find((known) => known.user_id === marker.user_id);
      if (existing && existing.last_read_seq >= marker.last_read_seq) return markers;
      return [...markers.filter((known) => known.user_id !== marker.user_id), marker];
    });
  }

  /**
   * Moves the caller's read marker to the newest message shown. Call it while the conversation is
   * visible; it does nothing when the marker is already there or a request is in flight.
   */
  markRead(): void {
    this.readRequests$.next();
  }

  /** Marks up to the newest message, again while messages arrived during the request. */
  private markReadRequests(conversationId: string): Observable<unknown> {
    const newestUnmarked = () => {
      const last = this.state().messages.at(-1);
      return last && last.seq > this.readMarkedSeq ? last : null;
    };
    const mark = (messageId: string) =>
      this.api.markRead(conversationId, messageId).pipe(
        tap((readState) => {
          this.unreadCount.refresh();
          this.readMarkedSeq = Math.max(this.readMarkedSeq, readState.last_read_seq);
          this.readMarked$.next({ conversationId, unreadCount: readState.unread_count });
        }),
      );
    const first = newestUnmarked();
    if (!first) return EMPTY;
    return mark(first.id).pipe(
      expand(() => {
        const next = newestUnmarked();
        return next ? mark(next.id) : EMPTY;
      }),
      catchError(() => EMPTY),
    );
  }

  /** Candidate: "Marcar como resuelta" / "Reabrir". Staff: any status. */
  changeStatus(status: ConversationStatus): void {
    const conversationId = this.state().conversationId;
    if (!conversationId) return;
    this.runAction(this.api.updateStatus(conversationId, status), 'No se pudo cambiar el estado.');
  }

  /** Staff: assign the conversation to `userId` (the signed-in agent for "Asignarme"). */
  assignTo(userId: string | null): void {
    const conversationId = this.state().conversationId;
    if (!conversationId) return;
    this.runAction(this.api.updateConversation(conversationId, { assigned_support_user_id: userId }), 'No se pudo asignar la conversación.');
  }

  /** Staff: change the priority. */
  setPriority(priority: ConversationDto['priority']): void {
    const conversationId = this.state().conversationId;
    if (!conversationId) return;
    this.runAction(this.api.updateConversation(conversationId, { priority }), 'No se pudo cambiar la prioridad.');
  }

  private runAction(request: Observable<ConversationDto>, fallback: string): void {
    this.actions$.next({ request, fallback });
  }

  private runActionRequest({ request, fallback }: { readonly request: Observable<ConversationDto>; readonly fallback: string }): Observable<unknown> {
    this.actionBusy.set(true);
    this.actionErrorState.set(null);
    return request.pipe(
      tap({
        next: (conversation) => {
          this.actionBusy.set(false);
          this.applyConversation(conversation);
          // Status changes add a system message to the timeline.
          this.pollNow();
        },
        error: (error: unknown) => {
          this.actionBusy.set(false);
          this.actionErrorState.set(apiErrorMessage(error, fallback));
        },
      }),
      catchError(() => EMPTY),
    );
  }
}

/**
 * The conversation's "last message" fields follow the newest message shown, so what reads them (the
 * candidate summary, the list row) is live without waiting for the next poll of the conversation.
 */
function withNewestMessage(conversation: ConversationDto | null, messages: readonly MessageDto[]): ConversationDto | null {
  const newest = messages[messages.length - 1];
  if (!conversation || !newest || newest.seq <= conversation.last_message_seq) return conversation;
  return { ...conversation, last_message_seq: newest.seq, last_message_at: newest.created_at };
}

function loadErrorMessage(error: unknown): string {
  if (error instanceof HttpErrorResponse && (error.status === 404 || error.status === 403)) {
    return 'Esta conversación no existe o no tienes acceso a ella.';
  }
  return apiErrorMessage(error, 'No se pudo cargar la conversación.');
}

/**
 * Real-time events carry one payload for every viewer: no labels (except label changes) and no contact
 * data of the candidate. An update without them keeps what the staff view already had.
 */
function keepStaffOnlyFields(known: ConversationDto | null, incoming: ConversationDto): ConversationDto {
  if (!known || known.id !== incoming.id) return incoming;
  let merged = incoming;
  if (incoming.labels === undefined && known.labels !== undefined) merged = { ...merged, labels: known.labels };
  const candidate = incoming.candidate as Partial<ConversationDto['candidate']>;
  if (known.candidate.id === incoming.candidate.id && candidate.username === undefined && candidate.email === undefined) {
    merged = { ...merged, candidate: { ...incoming.candidate, username: known.candidate.username, email: known.candidate.email } };
  }
  return merged;
}

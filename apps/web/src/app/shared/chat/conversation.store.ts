import { HttpErrorResponse } from '@angular/common/http';
import { computed, DOCUMENT, inject, Injector } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { patchState, signalStore, withComputed, withHooks, withMethods, withProps, withState } from '@ngrx/signals';
import { rxMethod } from '@ngrx/signals/rxjs-interop';
import { catchError, concat, defer, EMPTY, exhaustMap, expand, forkJoin, mergeMap, Observable, of, pipe, Subject, switchMap, takeUntil, tap } from 'rxjs';

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

/** The caller's read marker moved: the conversation's remaining unread count. */
export interface ReadMarked {
  readonly conversationId: string;
  readonly unreadCount: number;
}

interface ConversationState {
  readonly conversationId: string | null;
  /**
   * Highest `seq` up to which the server's history pages have answered: a candidate's history skips
   * staff-only internal notes, so the holes below it are entries they never see, not missing messages.
   */
  readonly coveredThrough: number;
  readonly conversation: ConversationDto | null;
  /** The timeline, ordered by `seq`. */
  readonly messages: readonly MessageDto[];
  readonly hasOlder: boolean;
  /** Opened at a message (a search result): newer messages than the window exist and are being caught up. */
  readonly hasNewer: boolean;
  /** The message the conversation was opened at (`?mensaje=`), or null for its newest page; to scroll to and highlight. */
  readonly focusSeq: number | null;
  readonly loading: boolean;
  readonly loadingOlder: boolean;
  readonly error: string | null;
  /** The caller's unread count when the conversation was opened, and its last `seq` then. */
  readonly openedUnread: OpenedUnread | null;
  /** A status, assignment or priority change is in flight. */
  readonly busy: boolean;
  readonly actionError: string | null;
  /** Read markers of the other participants (for "Visto"), newest per user. */
  readonly otherReadMarkers: readonly ReadMarker[];
  /** The caller's read marker as last confirmed for the open conversation. */
  readonly _readMarkedSeq: number;
}

const CLOSED_STATE: ConversationState = {
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
  busy: false,
  actionError: null,
  otherReadMarkers: [],
  _readMarkedSeq: 0,
};

/** What `open()` asks for: a conversation (or none), at its newest page or at the window around `focusSeq`. */
interface OpenRequest {
  readonly conversationId: string | null;
  readonly focusSeq: number | null;
}

interface ConversationAction {
  readonly request: Observable<ConversationDto>;
  readonly fallback: string;
}

/**
 * The open conversation: its metadata, its timeline ordered by `seq`, older pages, catch-up polling,
 * read markers and the actions on it (messages being sent live in `OutboxStore`; what it sends arrives
 * here through `applyMessage()`). Provided by each chat page.
 *
 * Entry points: every way a message can arrive goes through `applyMessage()` (history pages, polling,
 * send responses, the realtime stream's `message.created`), which dedupes by id and orders by `seq`, so
 * the sources can overlap freely; `applyConversation()` and `applyReadMarker()` take
 * `conversation.updated` and `read.updated`. Other stores follow this one through `arrivals$`,
 * `conversationChanged$` and `readMarked$`.
 *
 * Requests: one `rxMethod` per kind, each with its own concurrency (`switchMap` for opening, `exhaustMap`
 * for older pages, polls and read markers, `mergeMap` for actions). Every request belongs to the
 * conversation it was made for: opening another one ends it (`forOpenConversation`), so a late answer
 * never lands on the next conversation.
 */
export const ConversationStore = signalStore(
  withState<ConversationState>(CLOSED_STATE),
  withComputed(({ messages, coveredThrough, conversation }) => ({
    /** Highest `seq` without a hole below it (holes the server's pages answered for are no holes): the `after_seq` cursor. */
    lastSeq: computed(() => Math.max(contiguousSeq(messages()), coveredThrough())),
    isClosed: computed(() => conversation()?.status === 'closed'),
  })),
  withProps(() => ({
    /** Emits when another conversation opens: the previous one's requests end there. */
    _switched: new Subject<void>(),
    _arrivals: new Subject<readonly MessageDto[]>(),
    _conversationChanged: new Subject<ConversationDto>(),
    _readMarked: new Subject<ReadMarked>(),
  })),
  withProps(({ _arrivals, _conversationChanged, _readMarked }) => ({
    /** Messages that arrived after the timeline was loaded (polling, events, own sends): announce and scroll. */
    arrivals$: _arrivals.asObservable(),
    /**
     * The open conversation's metadata each time the store applies a server answer or an event that
     * changed it (loaded, polled, an action's answer, `conversation.updated`, a newer message): the list
     * follows it from here, instead of an effect copying one store's signal into the other.
     */
    conversationChanged$: _conversationChanged.asObservable(),
    /** Emitted after the caller's read marker moved, with the conversation's remaining unread count. */
    readMarked$: _readMarked.asObservable(),
  })),
  withMethods(
    (
      store,
      api = inject(ChatApiService),
      outbox = inject(OutboxStore),
      unreadCount = inject(UnreadCountService),
      cadence = inject(PollCadence),
      document = inject(DOCUMENT),
      injector = inject(Injector),
    ) => {
      /**
       * `work` for the conversation open now, ended as soon as another one opens (its answers never land).
       * Nothing while none is open; nothing but actions while its first page is loading.
       */
      const forOpenConversation = (work: (conversationId: string) => Observable<unknown>, whileLoading = false): Observable<unknown> => {
        const conversationId = store.conversationId();
        if (conversationId === null || (store.loading() && !whileLoading)) return EMPTY;
        return work(conversationId).pipe(takeUntil(store._switched));
      };

      // ---- entry points (no requests) ----

      const applyConversation = (incoming: ConversationDto): boolean => {
        if (incoming.id !== store.conversationId()) return false;
        const conversation = keepStaffOnlyFields(store.conversation(), incoming);
        patchState(store, { conversation });
        store._conversationChanged.next(conversation);
        return true;
      };

      const applyReadMarker = (marker: ReadMarker): void => {
        if (marker.conversation_id !== store.conversationId()) return;
        const markers = store.otherReadMarkers();
        const existing = markers.find((known) => known.user_id === marker.user_id);
        if (existing && existing.last_read_seq >= marker.last_read_seq) return;
        patchState(store, { otherReadMarkers: [...markers.filter((known) => known.user_id !== marker.user_id), marker] });
      };

      const applyMessages = (incoming: readonly MessageDto[]): void => {
        const conversationId = store.conversationId();
        const relevant = incoming.filter((message) => message.conversation_id === conversationId);
        if (relevant.length === 0) return;
        const before = store.messages();
        const current = store.conversation();
        const wasLoading = store.loading();
        const fillingIn = store.hasNewer();
        const knownMax = before.length > 0 ? before[before.length - 1].seq : 0;
        const merged = mergeMessages(before, relevant);
        outbox.confirm(new Set(relevant.map((message) => message.client_message_id)));
        if (merged === before) return;
        const conversation = withNewestMessage(current, merged);
        patchState(store, { messages: merged, conversation });
        if (conversation && conversation !== current) store._conversationChanged.next(conversation);
        const arrived = relevant.filter((message) => message.seq > knownMax && !before.some((known) => known.id === message.id));
        // Filling in the history after a window opened at a search result is not news: no announcement, no scroll.
        if (arrived.length > 0 && !wasLoading && !fillingIn) store._arrivals.next(arrived.sort((a, b) => a.seq - b.seq));
        // A message ahead of a hole (possible with pushed events): fetch what is missing.
        if (merged.length > 0 && merged[merged.length - 1].seq > Math.max(contiguousSeq(merged), store.coveredThrough())) poll();
      };

      // ---- opening: the conversation, its latest page (or the window around focusSeq) and the read state, together ----

      const load = (conversationId: string, focusSeq: number | null): Observable<unknown> =>
        forkJoin({
          conversation: api.getConversation(conversationId),
          page: api.history(
            conversationId,
            focusSeq === null ? { page: 1, per_page: HISTORY_PAGE_SIZE } : { around_seq: focusSeq, per_page: HISTORY_PAGE_SIZE },
          ),
          // Who has read what (for «Visto») and the caller's unread count ("Mensajes nuevos"): loaded with
          // the rest, so it is known before the conversation is marked read. Optional: a failure only
          // leaves the receipts to the next `read.updated`.
          readState: api.readMarkers(conversationId).pipe(catchError(() => of(null))),
        }).pipe(
          tap({
            next: ({ conversation, page, readState }) => {
              for (const marker of readState?.markers ?? []) {
                applyReadMarker({ conversation_id: conversationId, user_id: marker.user_id, last_read_seq: marker.last_read_seq });
              }
              const lastLoaded = page.messages.reduce((max, message) => Math.max(max, message.seq), 0);
              patchState(store, ({ messages, coveredThrough }) => ({
                conversation,
                messages: mergeMessages(messages, page.messages),
                // The newest page covers everything up to the conversation's last seq, holes included (internal
                // notes); a window opened at a message only up to its newest entry (the catch-up does the rest).
                coveredThrough: Math.max(coveredThrough, page.has_newer ? lastLoaded : page.total),
                hasOlder: page.has_older,
                hasNewer: page.has_newer,
                loading: false,
                openedUnread: readState ? { count: readState.unread_count, seq: Math.max(lastLoaded, conversation.last_message_seq) } : null,
              }));
              store._conversationChanged.next(conversation);
            },
            error: (error: unknown) => patchState(store, { loading: false, error: loadErrorMessage(error) }),
          }),
          catchError(() => EMPTY),
        );

      // switchMap: opening another conversation cancels the previous one's first page (and the catch-up
      // after a window opened at a message); `_switched` ends its other requests (older page, poll, read
      // marker, action) in the other methods.
      const openConversation = rxMethod<OpenRequest>(
        pipe(
          tap(({ conversationId, focusSeq }) => {
            store._switched.next();
            patchState(store, { ...CLOSED_STATE, conversationId, focusSeq: conversationId === null ? null : focusSeq, loading: conversationId !== null });
          }),
          switchMap(({ conversationId, focusSeq }) =>
            conversationId === null
              ? EMPTY
              : concat(
                  load(conversationId, focusSeq),
                  // Opened at a message: the messages after the window follow at once (older ones load on scrolling up).
                  defer(() => (store.hasNewer() ? catchUp(conversationId).pipe(catchError(() => EMPTY)) : EMPTY)),
                ),
          ),
        ),
      );

      // ---- older pages ----

      const fetchOlder = (conversationId: string): Observable<unknown> => {
        const messages = store.messages();
        if (!store.hasOlder() || messages.length === 0) return EMPTY;
        patchState(store, { loadingOlder: true });
        return api.history(conversationId, { before_seq: messages[0].seq, per_page: HISTORY_PAGE_SIZE }).pipe(
          tap({
            next: (page) =>
              patchState(store, ({ messages }) => ({ messages: mergeMessages(messages, page.messages), hasOlder: page.has_older, loadingOlder: false })),
            error: () => patchState(store, { loadingOlder: false }),
          }),
          catchError(() => EMPTY),
        );
      };
      const loadOlder = rxMethod<void>(exhaustMap(() => forOpenConversation(fetchOlder)));

      // ---- polling: the conversation, then only what is new after the last seq ----

      const catchUp = (conversationId: string): Observable<unknown> => {
        const fetchAfter = () => api.history(conversationId, { after_seq: store.lastSeq(), per_page: CATCH_UP_PAGE_SIZE });
        return fetchAfter().pipe(
          expand((page) => (page.has_newer && page.messages.length > 0 ? fetchAfter() : EMPTY)),
          tap((page) => {
            // A full answer covers everything up to the conversation's last seq, holes included (internal notes).
            const through = page.has_newer ? page.messages.reduce((max, message) => Math.max(max, message.seq), 0) : page.total;
            patchState(store, ({ coveredThrough }) => ({ coveredThrough: Math.max(coveredThrough, through) }));
            applyMessages(page.messages);
            if (!page.has_newer && store.hasNewer()) patchState(store, { hasNewer: false });
          }),
        );
      };
      const pollOnce = (conversationId: string): Observable<unknown> =>
        api.getConversation(conversationId).pipe(
          switchMap((conversation) => {
            applyConversation(conversation);
            return conversation.last_message_seq <= store.lastSeq() ? EMPTY : catchUp(conversationId);
          }),
          catchError(() => EMPTY),
        );
      // exhaustMap: never two polls in flight; a tick or pollNow() while one runs is dropped.
      const poll = rxMethod<void>(exhaustMap(() => forOpenConversation(pollOnce)));

      // ---- the caller's read marker ----

      /** Marks up to the newest message, again while messages arrived during the request. */
      const markUpToNewest = (conversationId: string): Observable<unknown> => {
        const newestUnmarked = () => {
          const last = store.messages().at(-1);
          return last && last.seq > store._readMarkedSeq() ? last : null;
        };
        const mark = (messageId: string) =>
          api.markRead(conversationId, messageId).pipe(
            tap((readState) => {
              unreadCount.refresh();
              patchState(store, ({ _readMarkedSeq }) => ({ _readMarkedSeq: Math.max(_readMarkedSeq, readState.last_read_seq) }));
              store._readMarked.next({ conversationId, unreadCount: readState.unread_count });
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
      };
      const markRead = rxMethod<void>(exhaustMap(() => forOpenConversation(markUpToNewest)));

      // ---- status, assignment, priority ----

      const runAction = rxMethod<ConversationAction>(
        mergeMap(({ request, fallback }) =>
          forOpenConversation(() => {
            patchState(store, { busy: true, actionError: null });
            return request.pipe(
              tap({
                next: (conversation) => {
                  patchState(store, { busy: false });
                  applyConversation(conversation);
                  // Status changes add a system message to the timeline.
                  poll();
                },
                error: (error: unknown) => patchState(store, { busy: false, actionError: apiErrorMessage(error, fallback) }),
              }),
              catchError(() => EMPTY),
            );
          }, true),
        ),
      );
      const act = (request: (conversationId: string) => Observable<ConversationDto>, fallback: string): void => {
        const conversationId = store.conversationId();
        if (conversationId) runAction({ request: request(conversationId), fallback });
      };

      return {
        /**
         * Shows `conversationId` (or nothing), at its newest page or, with `focusSeq`, at the window around
         * that message (older pages load on scrolling up, newer ones are caught up). Re-opening the current
         * one at the same place does nothing.
         */
        open(conversationId: string | null, focusSeq: number | null = null): void {
          if (conversationId === store.conversationId() && (focusSeq === null || focusSeq === store.focusSeq())) return;
          openConversation({ conversationId, focusSeq });
        },
        /** One message from any source. Returns false when it belongs to another conversation. */
        applyMessage(message: MessageDto): boolean {
          if (message.conversation_id !== store.conversationId()) return false;
          applyMessages([message]);
          return true;
        },
        /** New metadata for a conversation (`conversation.updated`, a poll, an action's response). */
        applyConversation,
        /** Another participant's read marker moved (`read.updated`). */
        applyReadMarker,
        /** Loads the page before the oldest message shown (ignored while one is loading or none is left). */
        loadOlder(): void {
          loadOlder();
        },
        /**
         * Polls the open conversation every `pollIntervalMs` while the tab is visible, plus whenever
         * `pollNow()` asks. Never two polls in flight: ticks that come while one runs are dropped.
         */
        startPolling(): void {
          poll(cadence.ticks(document), { injector });
        },
        /** Polls as soon as no other poll is in flight (ignored until the conversation has loaded). */
        pollNow(): void {
          poll();
        },
        /**
         * Moves the caller's read marker to the newest message shown. Call it while the conversation is
         * visible; it does nothing when the marker is already there or a request is in flight.
         */
        markRead(): void {
          markRead();
        },
        /** Candidate: "Marcar como resuelta" / "Reabrir". Staff: any status. */
        changeStatus(status: ConversationStatus): void {
          act((id) => api.updateStatus(id, status), 'No se pudo cambiar el estado.');
        },
        /** Staff: assign the conversation to `userId` (the signed-in agent for "Asignarme"). */
        assignTo(userId: string | null): void {
          act((id) => api.updateConversation(id, { assigned_support_user_id: userId }), 'No se pudo asignar la conversación.');
        },
        /** Staff: change the priority. */
        setPriority(priority: ConversationDto['priority']): void {
          act((id) => api.updateConversation(id, { priority }), 'No se pudo cambiar la prioridad.');
        },
      };
    },
  ),
  withHooks({
    onInit(store) {
      // Back online: catch up on what others wrote (the outbox resends what failed on its own).
      inject(ConnectivityService)
        .reconnected$.pipe(takeUntilDestroyed())
        .subscribe(() => store.pollNow());
      // Sending can change the conversation (the first staff reply assigns it, a candidate's reply
      // reopens a resolved one with a system message), and a refusal as closed means it changed: refresh.
      inject(OutboxStore)
        .outcomes$.pipe(takeUntilDestroyed())
        .subscribe((outcome) => {
          if (outcome.type === 'sent' ? store.applyMessage(outcome.message) : outcome.conversationId === store.conversationId()) store.pollNow();
        });
    },
  }),
);

export type ConversationStore = InstanceType<typeof ConversationStore>;

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

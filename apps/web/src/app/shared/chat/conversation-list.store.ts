import { computed, DOCUMENT, inject } from '@angular/core';
import { patchState, signalStore, withComputed, withMethods, withState } from '@ngrx/signals';
import { rxMethod } from '@ngrx/signals/rxjs-interop';
import { catchError, concat, EMPTY, exhaustMap, merge, Observable, pipe, Subject, switchMap, tap } from 'rxjs';

import type { ConversationDto, ConversationListItemDto, MessageDto } from '@app/api/models';
import { apiErrorMessage } from '@app/core/http/api-error';
import { PollCadence } from '@app/shared/polling/poll-cadence';
import { ChatApiService, ConversationListResult } from './chat-api.service';
import { ConversationStatus } from './chat-labels';

export const LIST_PAGE_SIZE = 20;

export interface ConversationFilters {
  readonly status: ConversationStatus | null;
  readonly assignedToMe: boolean;
  /** Staff: the "Sin asignar" queue, the longest-waiting first. */
  readonly unassigned?: boolean;
  /** Staff: only conversations escalated to coordinators. */
  readonly escalated?: boolean;
  readonly search: string;
  /** Staff: only conversations with this label. */
  readonly labelId: string | null;
}

export const NO_FILTERS: ConversationFilters = { status: null, assignedToMe: false, search: '', labelId: null };

interface ListState {
  /** The listed conversations by id (one copy each, whichever way it arrived)... */
  readonly entities: Readonly<Record<string, ConversationListItemDto>>;
  /** ...and their order in the list. */
  readonly ids: readonly string[];
  readonly filters: ConversationFilters;
  /** Last page loaded (infinite scroll appends page + 1). */
  readonly page: number;
  readonly pages: number;
  readonly total: number;
  readonly loading: boolean;
  readonly loadingMore: boolean;
  readonly error: string | null;
}

const INITIAL: ListState = { entities: {}, ids: [], filters: NO_FILTERS, page: 0, pages: 0, total: 0, loading: false, loadingMore: false, error: null };

/**
 * The conversation list (the candidate's conversations, or the support inbox): filters, infinite
 * scroll and polling. Polling revalidates page 1 with `If-None-Match` (a 304 costs the server almost
 * nothing) and merges it over what is loaded; pages further down keep what they had.
 *
 * Conversations are kept normalised (by id, plus the order) and `items` is derived from them. Every
 * request belongs to the filters it was made for: a change of filters switches to a new stream, which
 * cancels the previous one's requests (first page, next pages, revalidations), so a late answer for
 * filters no longer selected never lands.
 *
 * `upsert()`, `applyMessage()` and `markReadLocally()` are the entry points for the open conversation's
 * changes and for `conversation.updated` / `message.created` events.
 */
export const ConversationListStore = signalStore(
  withState<ListState>(INITIAL),
  withComputed(({ entities, ids, page, pages }) => ({
    items: computed(() => ids().map((id) => entities()[id])),
    hasMore: computed(() => page() < pages()),
    /** True once the first page has arrived (an empty list then really means "none"). */
    loaded: computed(() => page() > 0),
  })),
  withMethods((store, api = inject(ChatApiService), cadence = inject(PollCadence), document = inject(DOCUMENT)) => {
    let etag: string | null = null;
    const moreRequests = new Subject<void>();
    const refreshRequests = new Subject<void>();

    const firstPage = (filters: ConversationFilters): Observable<unknown> =>
      api.listConversations(query(filters, 1)).pipe(
        tap({
          next: (result) => {
            if (result.notModified) return;
            etag = result.etag;
            patchState(store, { ...normalise(result.list.conversations), page: 1, pages: result.list.pages, total: result.list.total, loading: false });
          },
          error: (error: unknown) =>
            patchState(store, { ...normalise([]), loading: false, error: apiErrorMessage(error, 'No se pudieron cargar las conversaciones.') }),
        }),
        catchError(() => EMPTY),
      );

    const nextPage = (): Observable<unknown> => {
      const page = store.page();
      const filters = store.filters();
      if (page >= store.pages()) return EMPTY;
      patchState(store, { loadingMore: true });
      return api.listConversations(query(filters, page + 1)).pipe(
        tap({
          next: (result) => {
            if (result.notModified) return;
            // New activity can move a conversation between pages: keep one copy, where it already is.
            const known = store.entities();
            const added = result.list.conversations.filter((item) => !known[item.id]);
            patchState(store, {
              ...normalise([...store.items(), ...added]),
              page: page + 1,
              pages: result.list.pages,
              total: result.list.total,
              loadingMore: false,
            });
          },
          error: () => patchState(store, { loadingMore: false }),
        }),
        catchError(() => EMPTY),
      );
    };

    /** One revalidation of page 1: a 304 changes nothing; a new page replaces the items it holds. */
    const revalidate = (): Observable<unknown> => {
      if (store.page() === 0) return EMPTY;
      return api.listConversations(query(store.filters(), 1), etag).pipe(
        tap((result: ConversationListResult) => {
          if (result.notModified) return;
          etag = result.etag;
          const fresh = result.list.conversations;
          const freshIds = new Set(fresh.map((item) => item.id));
          const below = store.items().slice(Math.min(store.ids().length, LIST_PAGE_SIZE));
          patchState(store, {
            ...normalise([...fresh, ...below.filter((item) => !freshIds.has(item.id))]),
            pages: Math.max(result.list.pages, 1),
            total: result.list.total,
            error: null,
          });
        }),
        catchError(() => EMPTY),
      );
    };

    // Per filters: the first page, then next pages and revalidations, each never two in flight.
    const load = rxMethod<ConversationFilters>(
      pipe(
        tap((filters) => {
          etag = null;
          patchState(store, { ...INITIAL, filters, entities: store.entities(), ids: store.ids(), loading: true });
        }),
        switchMap((filters) => concat(firstPage(filters), merge(moreRequests.pipe(exhaustMap(nextPage)), refreshRequests.pipe(exhaustMap(revalidate))))),
      ),
    );
    const poll = rxMethod<void>(tap(() => refreshRequests.next()));

    return {
      /** Loads page 1 for `filters` (merged over the current ones), dropping whatever was loaded. */
      setFilters(changes: Partial<ConversationFilters>): void {
        load({ ...store.filters(), ...changes });
      },
      /** Reloads from page 1 with the current filters. */
      reload(): void {
        load(store.filters());
      },
      /** Infinite scroll: the next page (ignored while loading or when there is none). */
      loadMore(): void {
        moreRequests.next();
      },
      /** Polls page 1 every `pollIntervalMs` while the tab is visible; never two requests in flight. */
      startPolling(): void {
        poll(cadence.ticks(document));
      },
      refreshNow(): void {
        refreshRequests.next();
      },
      /** A conversation created or changed here (or by a `conversation.updated` event). */
      upsert(conversation: ConversationDto): void {
        const existing = store.entities()[conversation.id];
        if (existing) {
          // The open conversation is reported after every poll: an unchanged answer must not give the
          // list a new item (and a new `items` array), or each poll re-renders the list for nothing.
          if (Object.entries(conversation).every(([key, value]) => sameJson(existing[key as keyof ConversationListItemDto], value))) return;
          patchState(store, ({ entities }) => ({ entities: { ...entities, [conversation.id]: { ...existing, ...conversation } } }));
          return;
        }
        if (!matchesFilters(conversation, store.filters())) return;
        const item: ConversationListItemDto = { ...conversation, last_message: null, unread_count: 0 };
        patchState(store, ({ entities, ids, total }) => ({ entities: { ...entities, [item.id]: item }, ids: [item.id, ...ids], total: total + 1 }));
      },
      /**
       * A new message in a listed conversation moves it to the top with its preview; `unread` (a pushed
       * message from someone else, in a conversation not being read) also raises its unread badge.
       */
      applyMessage(message: MessageDto, unread = false): void {
        const item = store.entities()[message.conversation_id];
        if (!item || item.last_message_seq >= message.seq) return;
        const updated: ConversationListItemDto = {
          ...item,
          last_message: message,
          last_message_at: message.created_at,
          last_message_seq: message.seq,
          unread_count: unread ? item.unread_count + 1 : item.unread_count,
        };
        patchState(store, ({ entities, ids }) => ({ entities: { ...entities, [item.id]: updated }, ids: [item.id, ...ids.filter((id) => id !== item.id)] }));
      },
      /** The conversation was just read here: clear its badge without waiting for the next poll. */
      markReadLocally(conversationId: string, unreadCount = 0): void {
        const item = store.entities()[conversationId];
        if (!item || item.unread_count === unreadCount) return;
        patchState(store, ({ entities }) => ({ entities: { ...entities, [conversationId]: { ...item, unread_count: unreadCount } } }));
      },
    };
  }),
);

export type ConversationListStore = InstanceType<typeof ConversationListStore>;

function normalise(items: readonly ConversationListItemDto[]): Pick<ListState, 'entities' | 'ids'> {
  return { entities: Object.fromEntries(items.map((item) => [item.id, item])), ids: items.map((item) => item.id) };
}

function query(filters: ConversationFilters, page: number) {
  return {
    page,
    per_page: LIST_PAGE_SIZE,
    ...(filters.status ? { status: filters.status } : {}),
    ...(filters.assignedToMe ? { assigned_to_me: true } : {}),
    ...(filters.unassigned ? { unassigned: true } : {}),
    ...(filters.escalated ? { tier: 'coordinator' as const } : {}),
    ...(filters.search.trim() ? { search: filters.search.trim() } : {}),
    ...(filters.labelId ? { label_id: filters.labelId } : {}),
  };
}

function matchesFilters(conversation: ConversationDto, filters: ConversationFilters): boolean {
  if (filters.status && conversation.status !== filters.status) return false;
  if (filters.labelId && !conversation.labels?.some((label) => label.id === filters.labelId)) return false;
  if (filters.unassigned && conversation.assigned_support_user_id) return false;
  if (filters.escalated && conversation.handling_tier !== 'coordinator') return false;
  return true;
}

/** Equal as the API sends them (DTOs are plain JSON; nested users arrive as new objects each time). */
function sameJson(a: unknown, b: unknown): boolean {
  return a === b || JSON.stringify(a) === JSON.stringify(b);
}

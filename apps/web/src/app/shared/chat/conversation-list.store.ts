import { computed, DestroyRef, DOCUMENT, inject, Injectable, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { catchError, EMPTY, exhaustMap, map, merge, Observable, of, Subject, takeUntil, tap } from 'rxjs';

import type { ConversationDto, ConversationListItemDto, MessageDto } from '@app/api/models';
import { apiErrorMessage } from '@app/core/http/api-error';
import { PollCadence } from '@app/shared/polling/poll-cadence';
import { ChatApiService } from './chat-api.service';
import { ConversationStatus } from './chat-labels';

export const LIST_PAGE_SIZE = 20;

export interface ConversationFilters {
  readonly status: ConversationStatus | null;
  readonly assignedToMe: boolean;
  readonly search: string;
}

export const NO_FILTERS: ConversationFilters = { status: null, assignedToMe: false, search: '' };

interface ListState {
  readonly items: readonly ConversationListItemDto[];
  readonly filters: ConversationFilters;
  /** Last page loaded (infinite scroll appends page + 1). */
  readonly page: number;
  readonly pages: number;
  readonly total: number;
  readonly loading: boolean;
  readonly loadingMore: boolean;
  readonly error: string | null;
}

const INITIAL: ListState = { items: [], filters: NO_FILTERS, page: 0, pages: 0, total: 0, loading: false, loadingMore: false, error: null };

/**
 * The conversation list (the candidate's conversations, or the support inbox): filters, infinite
 * scroll and polling. Polling revalidates page 1 with `If-None-Match` (a 304 costs the server almost
 * nothing) and merges it over what is loaded; pages further down keep what they had.
 *
 * `upsert()`, `applyMessage()` and `markReadLocally()` are the entry points for the open conversation's
 * changes and, later, for `conversation.updated` / `message.created` events.
 */
@Injectable()
export class ConversationListStore {
  private readonly api = inject(ChatApiService);
  private readonly cadence = inject(PollCadence);
  private readonly document = inject(DOCUMENT);
  private readonly destroyRef = inject(DestroyRef);

  private readonly state = signal<ListState>(INITIAL);
  private readonly filtersChanged$ = new Subject<void>();
  private readonly refreshRequests$ = new Subject<void>();
  /** Bumped whenever the filters change: responses for older filters are dropped. */
  private generation = 0;
  private etag: string | null = null;

  readonly items = computed(() => this.state().items);
  readonly filters = computed(() => this.state().filters);
  readonly total = computed(() => this.state().total);
  readonly loading = computed(() => this.state().loading);
  readonly loadingMore = computed(() => this.state().loadingMore);
  readonly error = computed(() => this.state().error);
  readonly hasMore = computed(() => this.state().page < this.state().pages);
  /** True once the first page has arrived (an empty list then really means "none"). */
  readonly loaded = computed(() => this.state().page > 0);

  /** Loads page 1 for `filters` (merged over the current ones), dropping whatever was loaded. */
  setFilters(changes: Partial<ConversationFilters>): void {
    const generation = ++this.generation;
    this.filtersChanged$.next();
    this.etag = null;
    const filters = { ...this.state().filters, ...changes };
    this.state.set({ ...INITIAL, filters, items: this.state().items, loading: true });
    this.api
      .listConversations(this.query(filters, 1))
      .pipe(takeUntil(this.filtersChanged$))
      .subscribe({
        next: (result) => {
          if (generation !== this.generation || result.notModified) return;
          this.etag = result.etag;
          this.state.update((state) => ({
            ...state,
            items: result.list.conversations,
            page: 1,
            pages: result.list.pages,
            total: result.list.total,
            loading: false,
          }));
        },
        error: (error: unknown) => {
          if (generation !== this.generation) return;
          this.state.update((state) => ({ ...state, items: [], loading: false, error: apiErrorMessage(error, 'No se pudieron cargar las conversaciones.') }));
        },
      });
  }

  /** Reloads from page 1 with the current filters. */
  reload(): void {
    this.setFilters({});
  }

  /** Infinite scroll: the next page (ignored while loading or when there is none). */
  loadMore(): void {
    const { page, pages, loading, loadingMore, filters } = this.state();
    if (loading || loadingMore || page >= pages) return;
    const generation = this.generation;
    this.state.update((state) => ({ ...state, loadingMore: true }));
    this.api
      .listConversations(this.query(filters, page + 1))
      .pipe(takeUntil(this.filtersChanged$))
      .subscribe({
        next: (result) => {
          if (generation !== this.generation || result.notModified) return;
          this.state.update((state) => ({
            ...state,
            // New activity can move a conversation between pages: keep one copy, where it already is.
            items: appendNew(state.items, result.list.conversations),
            page: page + 1,
            pages: result.list.pages,
            total: result.list.total,
            loadingMore: false,
          }));
        },
        error: () => {
          if (generation === this.generation) this.state.update((state) => ({ ...state, loadingMore: false }));
        },
      });
  }

  /** Polls page 1 every `pollIntervalMs` while the tab is visible; never two requests in flight. */
  startPolling(): void {
    merge(this.cadence.ticks(this.document), this.refreshRequests$)
      .pipe(
        exhaustMap(() => this.refreshOnce()),
        takeUntilDestroyed(this.destroyRef),
      )
      .subscribe();
  }

  refreshNow(): void {
    this.refreshRequests$.next();
  }

  /** One revalidation of page 1: a 304 changes nothing; a new page replaces the items it holds. */
  refreshOnce(): Observable<void> {
    const { loading, page, filters } = this.state();
    if (loading || page === 0) return of(undefined);
    const generation = this.generation;
    return this.api.listConversations(this.query(filters, 1), this.etag).pipe(
      tap((result) => {
        if (generation !== this.generation || result.notModified) return;
        this.etag = result.etag;
        const fresh = result.list.conversations;
        const freshIds = new Set(fresh.map((item) => item.id));
        this.state.update((state) => ({
          ...state,
          items: [...fresh, ...state.items.slice(firstPageLength(state)).filter((item) => !freshIds.has(item.id))],
          pages: Math.max(result.list.pages, 1),
          total: result.list.total,
          error: null,
        }));
      }),
      map(() => undefined),
      takeUntil(this.filtersChanged$),
      catchError(() => EMPTY),
    );
  }

  /** A conversation created or changed here (or by a `conversation.updated` event). */
  upsert(conversation: ConversationDto): void {
    this.state.update((state) => {
      const index = state.items.findIndex((item) => item.id === conversation.id);
      if (index === -1) {
        if (!matchesFilters(conversation, state.filters)) return state;
        const item: ConversationListItemDto = { ...conversation, last_message: null, unread_count: 0 };
        return { ...state, items: [item, ...state.items], total: state.total + 1 };
      }
      const items = [...state.items];
      items[index] = { ...items[index], ...conversation };
      return { ...state, items };
    });
  }

  /**
   * A new message in a listed conversation moves it to the top with its preview; `unread` (a pushed
   * message from someone else, in a conversation not being read) also raises its unread badge.
   */
  applyMessage(message: MessageDto, unread = false): void {
    this.state.update((state) => {
      const item = state.items.find((known) => known.id === message.conversation_id);
      if (!item || item.last_message_seq >= message.seq) return state;
      const updated: ConversationListItemDto = {
        ...item,
        last_message: message,
        last_message_at: message.created_at,
        last_message_seq: message.seq,
        unread_count: unread ? item.unread_count + 1 : item.unread_count,
      };
      return { ...state, items: [updated, ...state.items.filter((known) => known.id !== item.id)] };
    });
  }

  /** The conversation was just read here: clear its badge without waiting for the next poll. */
  markReadLocally(conversationId: string, unreadCount = 0): void {
    this.state.update((state) => ({
      ...state,
      items: state.items.map((item) => (item.id === conversationId && item.unread_count !== unreadCount ? { ...item, unread_count: unreadCount } : item)),
    }));
  }

  private query(filters: ConversationFilters, page: number) {
    return {
      page,
      per_page: LIST_PAGE_SIZE,
      ...(filters.status ? { status: filters.status } : {}),
      ...(filters.assignedToMe ? { assigned_to_me: true } : {}),
      ...(filters.search.trim() ? { search: filters.search.trim() } : {}),
    };
  }
}

function appendNew(current: readonly ConversationListItemDto[], incoming: readonly ConversationListItemDto[]): readonly ConversationListItemDto[] {
  const known = new Set(current.map((item) => item.id));
  return [...current, ...incoming.filter((item) => !known.has(item.id))];
}

/** How many of the loaded items came from page 1. */
function firstPageLength(state: ListState): number {
  return Math.min(state.items.length, LIST_PAGE_SIZE);
}

function matchesFilters(conversation: ConversationDto, filters: ConversationFilters): boolean {
  if (filters.status && conversation.status !== filters.status) return false;
  return true;
}

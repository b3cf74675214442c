import { inject } from '@angular/core';
import { patchState, signalStore, withComputed, withMethods, withState } from '@ngrx/signals';
import { rxMethod } from '@ngrx/signals/rxjs-interop';
import { computed } from '@angular/core';
import { catchError, EMPTY, exhaustMap, pipe, switchMap, tap } from 'rxjs';

import { Api } from '@app/api/api';
import { supportChatAuditControllerExport, supportChatAuditControllerList } from '@app/api/functions';
import type { SupportChatAuditControllerList$Params } from '@app/api/fn/chat-de-soporte-auditoria/support-chat-audit-controller-list';
import type { AuditEventDto } from '@app/api/models';
import { apiErrorMessage } from '@app/core/http/api-error';

/** The filters of the audit page; empty strings mean "any". Dates are `YYYY-MM-DD` in the viewer's time zone. */
export interface AuditFilters {
  readonly actorUserId: string;
  readonly action: string;
  readonly conversationId: string;
  readonly fromDate: string;
  readonly toDate: string;
}

export const NO_AUDIT_FILTERS: AuditFilters = { actorUserId: '', action: '', conversationId: '', fromDate: '', toDate: '' };

interface AuditState {
  readonly filters: AuditFilters;
  readonly events: readonly AuditEventDto[];
  readonly nextCursor: string | null;
  readonly loading: boolean;
  readonly exporting: boolean;
  readonly error: string | null;
}

/** The query of the API for `filters`: days become instants (from the start of `fromDate` to the end of `toDate`, local time). */
export function auditQuery(filters: AuditFilters): Omit<SupportChatAuditControllerList$Params, 'cursor'> {
  const query: Omit<SupportChatAuditControllerList$Params, 'cursor'> = {};
  if (filters.actorUserId) query.actor_user_id = filters.actorUserId;
  if (filters.action) query.action = filters.action as NonNullable<SupportChatAuditControllerList$Params['action']>;
  if (filters.conversationId.trim()) query.conversation_id = filters.conversationId.trim();
  if (filters.fromDate) query.from = new Date(`${filters.fromDate}T00:00:00`).toISOString();
  if (filters.toDate) {
    const end = new Date(`${filters.toDate}T00:00:00`);
    end.setDate(end.getDate() + 1);
    query.to = end.toISOString();
  }
  return query;
}

/**
 * The audit page's state: the filters, the entries loaded so far (newest first, 50 per page with the
 * server's cursor), and the CSV export of everything the filters match.
 */
export const AuditStore = signalStore(
  withState<AuditState>({ filters: NO_AUDIT_FILTERS, events: [], nextCursor: null, loading: false, exporting: false, error: null }),
  withComputed((store) => ({
    /** Actors seen in the loaded entries, for the actor filter (plus the one selected). */
    actors: computed(() => {
      const byId = new Map<string, string>();
      for (const event of store.events()) byId.set(event.actor_user_id, event.actor_name);
      return [...byId].map(([id, name]) => ({ id, name })).sort((a, b) => a.name.localeCompare(b.name, 'es'));
    }),
  })),
  withMethods((store, api = inject(Api)) => {
    const load = rxMethod<AuditFilters>(
      pipe(
        tap((filters) => patchState(store, { filters, loading: true, error: null })),
        // A new filter cancels the previous filter's request.
        switchMap((filters) =>
          api.invoke(supportChatAuditControllerList, auditQuery(filters)).pipe(
            tap((page) => patchState(store, { events: page.events, nextCursor: page.next_cursor ?? null, loading: false })),
            catchError((error: unknown) => {
              patchState(store, { events: [], nextCursor: null, loading: false, error: apiErrorMessage(error, 'No se pudo cargar la bitácora.') });
              return EMPTY;
            }),
          ),
        ),
      ),
    );
    const loadMore = rxMethod<void>(
      pipe(
        exhaustMap(() => {
          const cursor = store.nextCursor();
          if (!cursor) return EMPTY;
          patchState(store, { loading: true, error: null });
          return api.invoke(supportChatAuditControllerList, { ...auditQuery(store.filters()), cursor }).pipe(
            tap((page) => patchState(store, { events: [...store.events(), ...page.events], nextCursor: page.next_cursor ?? null, loading: false })),
            catchError((error: unknown) => {
              patchState(store, { loading: false, error: apiErrorMessage(error, 'No se pudo cargar más entradas.') });
              return EMPTY;
            }),
          );
        }),
      ),
    );
    /** Downloads the CSV of every entry the filters match (the server streams it; the browser saves it). */
    // The callback travels in an object: rxMethod would read a bare function as a signal.
    const exportCsv = rxMethod<{ save: (csv: string) => void }>(
      pipe(
        exhaustMap(({ save }) => {
          patchState(store, { exporting: true, error: null });
          return api.invoke(supportChatAuditControllerExport, auditQuery(store.filters())).pipe(
            tap((csv) => {
              patchState(store, { exporting: false });
              save(csv);
            }),
            catchError((error: unknown) => {
              patchState(store, { exporting: false, error: apiErrorMessage(error, 'No se pudo exportar la bitácora.') });
              return EMPTY;
            }),
          );
        }),
      ),
    );
    return {
      setFilters: (changes: Partial<AuditFilters>) => load({ ...store.filters(), ...changes }),
      clearFilters: () => load(NO_AUDIT_FILTERS),
      loadMore: () => loadMore(),
      exportCsv: (save: (csv: string) => void) => exportCsv({ save }),
    };
  }),
);

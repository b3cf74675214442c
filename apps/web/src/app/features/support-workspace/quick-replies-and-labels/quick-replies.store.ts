import { inject } from '@angular/core';
import { patchState, signalStore, withMethods, withState } from '@ngrx/signals';
import { rxMethod } from '@ngrx/signals/rxjs-interop';
import { catchError, concatMap, EMPTY, Observable, pipe, switchMap, tap } from 'rxjs';

import type { CreateQuickReplyDto, QuickReplyDto, UpdateQuickReplyDto } from '@app/api/models';
import { apiErrorMessage } from '@app/core/http/api-error';
import { TeamToolsApiService } from '@app/shared/team-tools/team-tools-api.service';

interface QuickRepliesState {
  readonly replies: readonly QuickReplyDto[];
  /** The caller manages the team's replies (the server's admin roles). */
  readonly canManageTeam: boolean;
  readonly loaded: boolean;
  /** The last failed load or change, in Spanish (the server's message). */
  readonly error: string | null;
  /** A change is being saved. */
  readonly saving: boolean;
  /** Changes the server accepted so far. */
  readonly saved: number;
}

export type QuickReplyChange = (
  | { readonly kind: 'create'; readonly body: CreateQuickReplyDto }
  | { readonly kind: 'update'; readonly id: string; readonly body: UpdateQuickReplyDto }
  | { readonly kind: 'delete'; readonly id: string }
) & {
  /** Called once the server accepted the change (e.g. to clear the form). */
  readonly onSaved?: () => void;
};

/**
 * The management page's quick replies (the caller's and the team's). Changes run one after another
 * and each reloads the list, so the order shown is always the server's.
 */
export const QuickRepliesStore = signalStore(
  withState<QuickRepliesState>({ replies: [], canManageTeam: false, loaded: false, error: null, saving: false, saved: 0 }),
  withMethods((store, api = inject(TeamToolsApiService)) => {
    const reload = (): Observable<unknown> =>
      api.quickReplies().pipe(
        tap((list) => patchState(store, { replies: list.quick_replies, canManageTeam: list.can_manage_team, loaded: true })),
        catchError((error: unknown) => {
          patchState(store, { loaded: true, error: apiErrorMessage(error, 'No se pudieron cargar las respuestas rápidas.') });
          return EMPTY;
        }),
      );
    const write = (change: QuickReplyChange): Observable<unknown> => {
      switch (change.kind) {
        case 'create':
          return api.createQuickReply(change.body);
        case 'update':
          return api.updateQuickReply(change.id, change.body);
        case 'delete':
          return api.deleteQuickReply(change.id);
      }
    };
    return {
      load: rxMethod<void>(pipe(switchMap(() => reload()))),
      save: rxMethod<QuickReplyChange>(
        pipe(
          tap(() => patchState(store, { saving: true, error: null })),
          concatMap((change) =>
            write(change).pipe(
              tap(() => {
                patchState(store, (state) => ({ saving: false, saved: state.saved + 1 }));
                change.onSaved?.();
              }),
              switchMap(() => reload()),
              catchError((error: unknown) => {
                patchState(store, { saving: false, error: apiErrorMessage(error, 'No se pudo guardar la respuesta rápida.') });
                return EMPTY;
              }),
            ),
          ),
        ),
      ),
    };
  }),
);

export type QuickRepliesStore = InstanceType<typeof QuickRepliesStore>;
